import { internalIdentifier, type JsonValue } from '@evolve/core';
import { sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { applyStep, tableOf } from '../shared/apply-step.ts';
import { createTableQuery, pathOf } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { primaryKeyName } from '../shared/sql-fragments.ts';
import { cloneTable, type SchemaState } from '../shared/table-state.ts';

const CHECK_TABLE = '_evolve_rebuild_check';
const CHECK_COLUMN = 'foreign_key_violation_after_rebuild';

/**
 * SQLite's documented table rebuild (https://sqlite.org/lang_altertable.html#otheralter) for what ALTER
 * cannot express: foreign keys off outside the transaction (so dropping the old table never cascades to
 * child rows), create the new table, copy the rows (COALESCE to the default where a column becomes NOT
 * NULL), drop the old table, rename the new one, recreate indexes and triggers, then
 * `foreign_key_check` before commit, and foreign keys back on.
 */
export function rebuildTable(
  steps: readonly (SqlStep & { table: string })[],
  context: CompileContext,
  reasons: readonly string[],
  /** NULLs to fill with a constant while copying (folded constant backfills). */
  fills: Record<string, JsonValue> = {},
): CompiledStep[] {
  const { module, state } = context;
  const db = module.db;
  const [step] = steps;
  if (!step) return [];
  const table = tableOf(state, step.table, step);
  const scratch: SchemaState = new Map([[table.name, cloneTable(table)]]);
  for (const s of steps) applyStep(scratch, s);
  const next = scratch.get(table.name) ?? table;
  const temp = internalIdentifier(`_evolve_new_${table.name}`, ['rebuild', table.name]);
  const copied = next.columns.filter((c) => table.columns.some((o) => o.name === c.name));
  const values = copied.map((c) => {
    const old = table.columns.find((o) => o.name === c.name);
    const fill =
      fills[c.name] ??
      (!c.spec.nullable && old?.spec.nullable && c.spec.default !== undefined ? c.spec.default : null);
    return fill !== null && fill !== undefined
      ? sql`coalesce(${sql.ref(c.name)}, ${module.defaultExpression(c.spec, fill)})`.as(c.name)
      : sql.ref(c.name).as(c.name);
  });
  const statements = [
    createTableQuery(module, next, {
      as: temp,
      foreignKeys: true,
      primaryKeyName: primaryKeyName(table.name),
    }),
    db
      .insertInto(temp)
      .columns(copied.map((c) => c.name))
      .expression(db.selectFrom(table.name).select(values as never))
      .compile(),
    db.schema.dropTable(table.name).compile(),
    db.schema.alterTable(temp).renameTo(table.name).compile(),
    ...next.indexes.map((index) => {
      let builder = db.schema.createIndex(index.name).on(table.name).columns(index.columns);
      if (index.unique) builder = builder.unique();
      return builder.compile();
    }),
    // fails the transaction on a violated foreign key even where the runner does not read `verify`
    sql`create temp table if not exists ${sql.id(CHECK_TABLE)} (${sql.id(CHECK_COLUMN)} text not null)`.compile(
      db,
    ),
    sql`insert into ${sql.id(CHECK_TABLE)} select null from pragma_foreign_key_check(${sql.lit(table.name)}) limit 1`.compile(
      db,
    ),
    sql`drop table temp.${sql.id(CHECK_TABLE)}`.compile(db),
  ];
  const path = 'column' in step && typeof step.column === 'string' ? pathOf(table, step.column) : table.model;
  const rebuild: CompiledStep = {
    description: `rebuild table ${table.name} to ${reasons.join(', ')}`,
    transactional: true,
    statements,
    verify: [sql`select * from pragma_foreign_key_check(${sql.lit(table.name)})`.compile(db)],
    recreateTriggersOf: table.name,
    rewritesTable: !table.fresh,
    path,
    ...(steps.some((s) => s.kind === 'dropColumn' || (s.kind === 'alterColumnType' && s.lossy))
      ? { destructive: true }
      : {}),
  };
  // a table created by this migration is empty: nothing can cascade, no need to leave the transaction
  if (table.fresh) return [rebuild];
  return [
    {
      description: `foreign keys off for the rebuild of ${table.name}`,
      transactional: false,
      statements: [sql`pragma foreign_keys = off`.compile(db)],
    },
    rebuild,
    {
      description: 'foreign keys back on',
      transactional: false,
      statements: [sql`pragma foreign_keys = on`.compile(db)],
    },
  ];
}
