import { type Change, emptySnapshot, isTodo, type Migration, type Snapshot } from '@evolve/core';
import type { CheckFinding, Relative } from './check-finding.ts';
import type { MigrationFile } from './migrations-folder.ts';

const short = (hash: string) => hash.slice(0, 12);

/** Lines (1-based) of a migration file that call `todo(` outside comments and imports. */
export function todoLines(file: MigrationFile): number[] {
  const lines: number[] = [];
  file.text.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*(import|export \{)/.test(code)) return;
    if (/\btodo\(/.test(code)) lines.push(i + 1);
  });
  return lines;
}

/** TODO transforms left in the files, found by text, with their lines. */
export function todoFindings(files: readonly MigrationFile[], rel: Relative): CheckFinding[] {
  return files.flatMap((file) =>
    todoLines(file).map((line) => ({
      code: 'TODO_TRANSFORM',
      severity: 'error' as const,
      message: `${file.id}: a TODO transform remains (line ${line}): replace todo(...) with a function of the old row`,
      path: file.id,
      file: rel(file.path),
      line,
    })),
  );
}

/** Destructive or lossy changes that the migration's `acknowledge` list does not cover. */
export function unacknowledged(migration: Migration): Change[] {
  const acks = migration.acknowledge ?? [];
  return migration.changes.filter((c) => {
    if (c.risk !== 'destructive' && c.risk !== 'lossy') return false;
    const path = [c.model, ...c.path].join('.');
    return !acks.some((a) => a === '*' || a === path || path.startsWith(`${a}.`));
  });
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/**
 * What the loaded migrations say: a broken chain of snapshot hashes, TODO transforms the text scan missed,
 * unacknowledged destructive or lossy changes, and a `snapshot.json` that is not where the chain ends.
 */
export function migrationFindings(
  migrations: readonly Migration[],
  files: readonly MigrationFile[],
  latest: Snapshot,
  rel: Relative,
): CheckFinding[] {
  const findings: CheckFinding[] = [];
  const byId = new Map(files.map((f) => [f.id, f]));
  let expectedFrom = emptySnapshot().hash;
  for (const m of migrations) {
    const file = byId.get(m.id);
    const at = file ? { file: rel(file.path) } : {};
    if (m.from !== expectedFrom) {
      findings.push({
        code: 'INVALID_MIGRATION',
        severity: 'error',
        message: `${m.id} starts from snapshot ${short(m.from)}, but the previous migration ends at ${short(expectedFrom)}`,
        path: m.id,
        ...at,
      });
    }
    expectedFrom = m.to;
    const hasTextTodo = file ? todoLines(file).length > 0 : false;
    for (const [model, fields] of Object.entries(m.transforms ?? {})) {
      for (const [field, fn] of Object.entries(fields ?? {})) {
        if (isTodo(fn) && !hasTextTodo) {
          findings.push({
            code: 'TODO_TRANSFORM',
            severity: 'error',
            message: `${m.id}: the transform for ${model}.${field} is still a TODO`,
            path: `${model}.${field}`,
            ...at,
          });
        }
      }
    }
    for (const change of unacknowledged(m)) {
      const path = [change.model, ...change.path].join('.');
      findings.push({
        code: 'UNACKNOWLEDGED_CHANGE',
        severity: 'error',
        message: `${m.id}: ${change.kind} ${path} is ${change.risk}; add '${path}' to acknowledge once reviewed`,
        path,
        ...at,
        ...(file ? { line: lineOf(file.text, /^\s*acknowledge:/m) } : {}),
      });
    }
  }
  if (migrations.length > 0 && latest.hash !== expectedFrom) {
    findings.push({
      code: 'INVALID_SNAPSHOT',
      severity: 'error',
      message: `snapshot.json (${short(latest.hash)}) is not where the last migration ends (${short(expectedFrom)})`,
    });
  }
  return findings;
}
