import type { SqlStep } from '../../steps/sql-step.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import type { StepOf } from '../shared/step-hooks.ts';
import { valueKind } from '../shared/value-kind.ts';

const INSTANT = 'algorithm=instant';
const ONLINE = 'algorithm=inplace, lock=none';

/** Whether a type change keeps the column's SQL type (a change of an enum's values, or to or from an enum). */
export function sameStoredType(step: StepOf<'alterColumnType'>, context: CompileContext): boolean {
  const column = context.state.get(step.table)?.columns.find((c) => c.name === step.column);
  return column !== undefined && context.module.columnType(step) === context.module.columnType(column.spec);
}

/**
 * The algorithm clause for a step on a table that holds rows, where it is valid on both MySQL 8.0.12+ and
 * MariaDB 10.3+: INSTANT for adding a column at the end and for defaults; INPLACE without locks for the
 * rebuilds that allow concurrent writes. The server refuses rather than silently copying the table.
 */
export function algorithmFor(step: SqlStep, context: CompileContext): string | undefined {
  if (!('table' in step) || context.state.get(step.table)?.fresh !== false) return undefined;
  switch (step.kind) {
    case 'addColumn':
      return INSTANT;
    case 'setDefault': {
      const column = context.state.get(step.table)?.columns.find((c) => c.name === step.column);
      return column && valueKind(column.spec.type) === 'json' ? undefined : INSTANT;
    }
    case 'dropDefault':
      return INSTANT;
    case 'alterColumnType':
      // the stored type stays and only an enum's CHECK changes: a change of the column's definition alone
      // (MariaDB does not read the rows then; `validateEnumCheck` does)
      return sameStoredType(step, context) ? INSTANT : undefined;
    case 'renameColumn':
    case 'dropColumn':
    case 'setNotNull':
    case 'dropNotNull':
    case 'changePrimaryKey':
      return ONLINE;
    default:
      return undefined;
  }
}
