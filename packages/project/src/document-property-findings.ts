import type { Migration } from '@evolve/core';
import type { DocumentPropertyFinding } from '@evolve/document';
import type { CheckFinding, Relative } from './check-finding.ts';
import type { MigrationFile } from './migrations-folder.ts';
import type { PropertyOptions } from './property-findings.ts';

/**
 * `transform-property` findings of document models: the upgraders of every document model run by
 * `verifyDocumentMigrations` (@evolve/document) on random documents of each version, each failure with the
 * property it breaks, its shrunk document, the problem, and the seed that reproduces it.
 */
export async function documentPropertyFindings(
  migrations: readonly Migration[],
  files: readonly MigrationFile[],
  options: PropertyOptions,
  rel: Relative,
): Promise<CheckFinding[]> {
  const { verifyDocumentMigrations } = await import('@evolve/document');
  const byId = new Map(files.map((f) => [f.id, f]));
  const found = verifyDocumentMigrations({
    migrations,
    ...(options.runs !== undefined ? { runs: options.runs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  return found.map((f) => {
    const file = byId.get(f.migration);
    const line = file ? findingLine(file.text, f) : undefined;
    return {
      code: f.rule,
      severity: 'error' as const,
      message: `${f.migration}: ${f.message} (seed ${f.seed})`,
      path: f.path ? `${f.model}.${f.path}` : f.model,
      counterexample: f.counterexample,
      ...(file ? { file: rel(file.path) } : {}),
      ...(line ? { line } : {}),
    };
  });
}

/**
 * Where to point: a failing upgrade at the transform of its field (else the model's transforms), a step
 * that is not lossless or departs from the interpreter at the model's `documents` entry; each falls back to
 * the other.
 */
function findingLine(text: string, f: DocumentPropertyFinding): number | undefined {
  const inTransforms = () =>
    (f.path ? memberLine(text, 'transforms', f.path) : undefined) ?? memberLine(text, 'transforms', f.model);
  const inDocuments = () => memberLine(text, 'documents', f.model);
  return f.property === 'valid-upgrade' || f.property === 'idempotent-upgrade'
    ? (inTransforms() ?? inDocuments())
    : (inDocuments() ?? inTransforms());
}

/** The line (1-based) of a member `key:` after the first `section:` of a migration file. */
function memberLine(text: string, section: string, key: string): number | undefined {
  const start = new RegExp(`^\\s*${section}\\s*:`, 'm').exec(text);
  if (!start) return undefined;
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const member = new RegExp(`^\\s*(?:${escaped}|'${escaped}'|"${escaped}")\\s*:`, 'm');
  const found = member.exec(text.slice(start.index));
  return found ? text.slice(0, start.index + found.index).split('\n').length : undefined;
}
