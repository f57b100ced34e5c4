import {
  type Change,
  emptySnapshot,
  type Migration,
  type Snapshot,
  unacknowledgedChanges,
} from '@evolve/core';
import type { CheckFinding, Relative } from './check-finding.ts';
import type { MigrationFile } from './migrations-folder.ts';

const short = (hash: string) => hash.slice(0, 12);

/** What `findTodoTransforms` (@evolve/document) reports, as the CLI needs it. */
export interface TodoLike {
  migration: string;
  model: string;
  field: string;
  message: string;
}

/** The line (1-based) where a migration file names a transform's field, to point at: its `todo(...)`, else its key. */
export function todoLine(file: MigrationFile, todo: Pick<TodoLike, 'model' | 'field'>): number | undefined {
  const path = `${todo.model}.${todo.field}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const key = (todo.field.split('.').pop() ?? todo.field).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const patterns = [
    new RegExp(`(?<![.\\w])todo\\(\\s*['"\`]${path}['"\`]`),
    new RegExp(`\\btodo\\(\\s*['"\`]${path}['"\`]`),
    new RegExp(`^\\s*['"]?${key}['"]?\\s*:`, 'm'),
  ];
  for (const pattern of patterns) {
    const line = lineOf(file.text, pattern);
    if (line !== undefined) return line;
  }
  return undefined;
}

/**
 * TODO transforms, found from what the migrations hold (see @evolve/document's `findTodoTransforms`), never
 * from their text: the generated `up` keeps `d.todo(...)` as the fallback of a transform that is filled.
 */
export function todoFindings(
  todos: readonly TodoLike[],
  files: readonly MigrationFile[],
  rel: Relative,
): CheckFinding[] {
  const byId = new Map(files.map((f) => [f.id, f]));
  return todos.map((todo) => {
    const file = byId.get(todo.migration);
    const line = file ? todoLine(file, todo) : undefined;
    return {
      code: 'TODO_TRANSFORM',
      severity: 'error' as const,
      message: `${todo.migration}: ${todo.message}${line ? ` (line ${line})` : ''}: write it as a function of the old row`,
      path: todo.migration,
      ...(file ? { file: rel(file.path) } : {}),
      ...(line ? { line } : {}),
    };
  });
}

/** Destructive or lossy changes that the migration's `acknowledge` list does not cover (core's one rule). */
export function unacknowledged(migration: Migration): Change[] {
  return unacknowledgedChanges(migration);
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/**
 * What the loaded migrations say: a broken chain of snapshot hashes, unacknowledged destructive or lossy changes, and a `snapshot.json` that is not where the chain ends.
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
