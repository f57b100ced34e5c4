import type { SqlStep } from '../../steps/sql-step.ts';
import type { TableStep } from './rebuild-walk.ts';

/** Steps a foreign key of a new table may move up past: nothing that touches the table or its parent. */
function keyPasses(key: Extract<SqlStep, { kind: 'addForeignKey' }>, other: SqlStep): boolean {
  if (other.kind === 'rawSql') return false;
  const parent = key.references.table;
  if (other.table === key.table) {
    return (
      other.kind === 'createIndex' || other.kind === 'addForeignKey' || other.kind === 'validateForeignKey'
    );
  }
  if (other.kind === 'renameTable')
    return ![other.table, other.to].some((t) => t === parent || t === key.table);
  return !(other.kind === 'dropTable' && other.table === parent);
}

/**
 * Moves each foreign key added to a table created earlier in the same migration up to just after that
 * CREATE TABLE (after the keys already there), when the steps it passes leave the table and its parent
 * alone. The table is empty until the migration ends, so the key is checked against the same rows.
 */
export function keysWithTheirTables(steps: readonly SqlStep[]): SqlStep[] {
  const out = [...steps];
  for (let i = 0; i < out.length; i++) {
    const key = out[i] as SqlStep;
    if (key.kind !== 'addForeignKey') continue;
    let create = -1;
    for (let j = i - 1; j >= 0; j--) {
      const s = out[j] as SqlStep;
      if (s.kind === 'createTable' && s.table === key.table) {
        create = j;
        break;
      }
      if (!keyPasses(key, s)) break;
    }
    if (create < 0) continue;
    let at = create + 1;
    while (at < i && out[at]?.kind === 'addForeignKey' && (out[at] as TableStep).table === key.table) at++;
    if (at === i) continue;
    out.splice(i, 1);
    out.splice(at, 0, key);
  }
  return out;
}
