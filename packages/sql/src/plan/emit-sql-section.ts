import { applyChanges, type ChangeSet, reverse, type Snapshot } from '@evolve/core';
import { isDestructiveStep, type SqlStep } from '../steps/sql-step.ts';
import { planSqlSteps } from './plan-sql-steps.ts';
import { renderStep } from './render-step.ts';

export interface EmitOptions {
  /** The schema before the change set. */
  before: Snapshot;
  /** The migration's transforms (which model/field paths have one). */
  transforms?: Record<string, Record<string, unknown>>;
  /** Indentation of the `sql:` line (default two spaces, inside `defineMigration({ ... })`). */
  indent?: string;
}

/** The section's source and the steps it spells out (what evaluating `code` gives back). */
export interface EmittedSqlSection {
  code: string;
  /** Names to import from `@evolve/sql`. */
  imports: string[];
  up: readonly SqlStep[];
  down: readonly SqlStep[];
}

function renderSteps(steps: readonly SqlStep[], indent: string, imports: Set<string>): string {
  if (steps.length === 0) return '[]';
  const lines = steps.map((step) => {
    const { code, imports: names } = renderStep(step, `${indent}  `);
    for (const n of names) imports.add(n);
    const note = isDestructiveStep(step)
      ? `${indent}  // destructive: loses data; acknowledge it in \`acknowledge\`\n`
      : '';
    return `${note}${indent}  ${code},`;
  });
  return `[\n${lines.join('\n')}\n${indent}]`;
}

/**
 * The TS source of a migration module's SQL section: `sql: { up: [...], down: [...] }` as readable
 * constructor calls, with the names to import from `@evolve/sql`. `down` is the plan of the reversed change
 * set against the schema after the migration. Steps that lose data carry a comment. `up` and `down` are the
 * steps themselves, for previews of the migration before it is written.
 *
 * @example
 * const { code, imports } = emitSqlSection(changeSet, { before: prev, transforms });
 * // code: "sql: {\n    up: [\n      addColumn('User', 'email', { ... }),\n ..."
 */
export function emitSqlSection(changeSet: ChangeSet, options: EmitOptions): EmittedSqlSection {
  const indent = options.indent ?? '  ';
  const transforms = options.transforms ? { transforms: options.transforms } : {};
  const up = planSqlSteps(changeSet, { before: options.before, ...transforms });
  const after = applyChanges(options.before, changeSet);
  const down = planSqlSteps(reverse(changeSet), { before: after });
  const imports = new Set<string>();
  const inner = `${indent}  `;
  const code =
    `sql: {\n` +
    `${inner}up: ${renderSteps(up, inner, imports)},\n` +
    `${inner}down: ${renderSteps(down, inner, imports)},\n` +
    `${indent}}`;
  return { code, imports: [...imports].sort(), up, down };
}
