import pc from 'picocolors';
import type { CheckFinding, CheckResult } from '../project/check.ts';

/**
 * Formats a check result: `text` for people, `json` for tools, `github` for GitHub Actions annotations
 * (`::error file=…,line=…,title=CODE::message`).
 */
export function formatCheck(result: CheckResult, format: 'text' | 'json' | 'github'): string {
  if (format === 'json') {
    const report = { ok: result.exitCode === 0, exitCode: result.exitCode, findings: result.findings };
    // a counterexample may hold bigints (a bigint field), which JSON has no literal for: written as text
    return `${JSON.stringify(report, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value), 2)}\n`;
  }
  if (format === 'github') {
    const lines = result.findings.map(githubAnnotation);
    if (result.exitCode === 0) lines.push('evolve check: clean');
    return `${lines.join('\n')}\n`;
  }
  if (result.findings.length === 0)
    return `${pc.green('ok')} migrations are consistent and match the models\n`;
  const lines = result.findings.map((f) => {
    const label =
      f.severity === 'error'
        ? pc.red('error')
        : f.severity === 'pending'
          ? pc.yellow('pending')
          : pc.yellow('warning');
    const where = f.file ? pc.dim(` (${f.file}${f.line ? `:${f.line}` : ''})`) : '';
    return `${label} ${f.code}: ${f.message}${where}`;
  });
  const summary =
    result.exitCode === 2
      ? 'changes pending: generate a migration (exit 2)'
      : `${result.findings.filter((f) => f.severity === 'error').length} error(s) (exit 1)`;
  return `${lines.join('\n')}\n${summary}\n`;
}

function githubAnnotation(f: CheckFinding): string {
  const level = f.severity === 'warning' ? 'warning' : 'error';
  const props = [
    ...(f.file ? [`file=${escapeProperty(f.file)}`] : []),
    ...(f.line ? [`line=${f.line}`] : []),
    `title=${escapeProperty(`evolve ${f.code}`)}`,
  ];
  return `::${level} ${props.join(',')}::${escapeData(f.message)}`;
}

// GitHub's workflow-command escaping.
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
