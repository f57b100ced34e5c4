import {
  columnOf,
  type FieldSnapshot,
  type ModelSnapshot,
  type Snapshot,
  type TypeSnapshot,
  typeRelation,
  typeText,
} from '@evolve/core';
import type { LiveOp } from './run-live-writer.ts';

/**
 * A write the old application makes that the new schema cannot take: once the migration's contract step
 * for it has run, that write may fail. Derived from the two snapshots, never listed by hand.
 */
export interface OldWriteContract {
  /** "insert hx_customers: new required column joinedYear has no default". */
  description: string;
  /** The column it is about, if one. */
  column?: string;
  /** Whether a statement of the old application is such a write. */
  applies(op: LiveOp): boolean;
}

const columnsOf = (model: ModelSnapshot): Map<string, FieldSnapshot> =>
  new Map(Object.entries(model.fields).map(([name, field]) => [columnOf(name, field), field]));

const required = (field: FieldSnapshot) => !field.nullable && !field.optional;

/** Whether a value the application holds is a value of `type` (structured values are not checked). */
function fits(value: unknown, type: TypeSnapshot): boolean {
  switch (type.kind) {
    case 'string':
      return typeof value === 'string' && (type.maxLength === undefined || value.length <= type.maxLength);
    case 'number':
      return typeof value === 'number' && (!type.integer || Number.isInteger(value));
    case 'boolean':
      return typeof value === 'boolean';
    case 'enum':
      return typeof value === 'string' && type.values.includes(value);
    case 'literal':
      return value === type.value;
    default:
      return true;
  }
}

const writes = (op: LiveOp, table: string, column: string) =>
  op.table === table && op.kind !== 'delete' && op.values !== undefined && column in op.values;

/**
 * What the application at `before` writes that the schema at `after` refuses: a table or column that is
 * gone (dropped or renamed), NULL into a column that became required, a value the column's new type
 * rejects (a removed enum value, a string where a number now goes), and any insert into a table that
 * gained a required column without a constant default (the old code does not know the column).
 */
export function oldWriteContracts(before: Snapshot, after: Snapshot): OldWriteContract[] {
  const out: OldWriteContract[] = [];
  const newModels = new Map(Object.values(after.models).map((m) => [m.table, m]));
  const oldModels = Object.values(before.models)
    .filter((m) => m.target === 'sql')
    .sort((a, b) => a.table.localeCompare(b.table));
  for (const oldModel of oldModels) {
    const table = oldModel.table;
    const next = newModels.get(table);
    if (!next) {
      out.push({
        description: `any write to ${table}: the table is gone`,
        applies: (op) => op.table === table,
      });
      continue;
    }
    const oldColumns = columnsOf(oldModel);
    const newColumns = columnsOf(next);
    for (const [column, field] of [...oldColumns].sort(([a], [b]) => a.localeCompare(b))) {
      const now = newColumns.get(column);
      if (!now) {
        out.push({
          column,
          description: `write ${table}.${column}: the column is gone`,
          applies: (op) => writes(op, table, column),
        });
        continue;
      }
      if (!required(field) && required(now)) {
        out.push({
          column,
          description: `write NULL to ${table}.${column}: the column became required`,
          applies: (op) => writes(op, table, column) && op.values?.[column] === null,
        });
      }
      const relation = typeRelation(field.type, now.type).relation;
      const structured = ['object', 'array', 'json'].includes(now.type.kind);
      if (relation !== 'equal' && relation !== 'widening' && !structured) {
        out.push({
          column,
          description: `write ${table}.${column} with a value ${typeText(now.type)} rejects`,
          applies: (op) =>
            writes(op, table, column) && op.values?.[column] !== null && !fits(op.values?.[column], now.type),
        });
      }
    }
    for (const [column, field] of [...newColumns].sort(([a], [b]) => a.localeCompare(b))) {
      const constant = field.default !== undefined && 'value' in field.default;
      if (oldColumns.has(column) || !required(field) || constant) continue;
      out.push({
        column,
        description: `insert into ${table}: new required column ${column} has no default`,
        applies: (op) => op.table === table && op.kind === 'insert',
      });
    }
  }
  return out;
}

/** Writer errors sorted into those a contract explains and the rest. */
export interface WriterErrors {
  /** Contract description -> failed statements it explains. */
  accepted: Record<string, number>;
  /** Failures no contract explains: a transient jam (lock timeout, NULL refused mid-backfill, ...). */
  unexpected: LiveOp[];
}

/**
 * Sorts the old application's failed statements. A failure is accepted only when it began after the
 * migration started, a contract covers it, and no statement that contract covers succeeded after it: the
 * contract step had run (it is permanent), so the failure was not a transient jam that later cleared.
 */
export function classifyWriterErrors(
  ops: readonly LiveOp[],
  contracts: readonly OldWriteContract[],
  migrationStartedAt: number,
): WriterErrors {
  const lastSuccess = contracts.map((c) =>
    ops.reduce((last, op) => (!op.error && c.applies(op) ? Math.max(last, op.startedAt) : last), -Infinity),
  );
  const accepted: Record<string, number> = {};
  const unexpected: LiveOp[] = [];
  for (const op of ops) {
    if (!op.error) continue;
    const explaining = contracts.filter((c, i) => c.applies(op) && (lastSuccess[i] as number) <= op.endedAt);
    // Counted under the contract whose column the error names, when one does (an insert may break several).
    const contract =
      explaining.find((c) => c.column !== undefined && op.error?.includes(c.column)) ?? explaining[0];
    // an error counts from when the statement failed: on SQLite a statement sent just before the migration
    // began may wait for the database lock through the contract step and fail after it
    if (op.endedAt >= migrationStartedAt && contract) {
      accepted[contract.description] = (accepted[contract.description] ?? 0) + 1;
    } else unexpected.push(op);
  }
  return { accepted, unexpected };
}
