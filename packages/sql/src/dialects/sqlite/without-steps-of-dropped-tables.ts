import type { SqlStep } from '../../steps/sql-step.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { DEFERRABLE, type TableStep, walk } from './rebuild-walk.ts';

/** Whether a definition-only step on a table can be left to the table's later DROP, past `other`. */
function leftToDrop(step: TableStep, parent: string | undefined, other: SqlStep): boolean {
  if (other.kind === 'rawSql' || other.kind === 'backfill') return false;
  if (other.kind === 'renameTable') {
    return ![other.table, other.to].some((t) => t === step.table || t === parent);
  }
  if (other.table === step.table) {
    const kinds: SqlStep['kind'][] = ['dropTable', 'createIndex', 'dropIndex', 'validateForeignKey'];
    return kinds.includes(other.kind) || DEFERRABLE.has(other.kind);
  }
  // the key stays until the DROP: its parent must keep its rows till then (its indexes may change)
  return other.table !== parent || ['createIndex', 'dropIndex', 'validateForeignKey'].includes(other.kind);
}

/**
 * Leaves out definition-only rebuild steps (a default, a NOT NULL dropped, a type, a foreign key) on a
 * table that a later step of the migration drops, when nothing in between depends on them: rebuilding a
 * table only to drop it copies every row for nothing (the down migration of a new table with a foreign
 * key did exactly that).
 */
export function withoutStepsOfDroppedTables(steps: readonly SqlStep[], context: CompileContext): SqlStep[] {
  const at = walk(steps, context);
  const gone = new Set<number>();
  for (const [i, { step, before }] of at.entries()) {
    if (!DEFERRABLE.has(step.kind) || !('table' in step)) continue;
    const parent =
      step.kind === 'addForeignKey'
        ? step.references.table
        : step.kind === 'dropForeignKey'
          ? before.get(step.table)?.foreignKeys.find((f) => f.name === step.name)?.references.table
          : undefined;
    if (step.kind === 'dropForeignKey' && parent === undefined) continue;
    for (let j = i + 1; j < steps.length; j++) {
      const other = steps[j] as SqlStep;
      if (!leftToDrop(step, parent, other)) break;
      if (other.kind === 'dropTable' && other.table === step.table) {
        gone.add(i);
        break;
      }
    }
  }
  return steps.filter((_, i) => !gone.has(i));
}
