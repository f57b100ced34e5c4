import { type CompiledQuery, sql } from 'kysely';
import { columnOfTable, tableOf } from '../shared/apply-step.ts';
import { ddl, pathOf } from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-capabilities.ts';
import { enumValuesOf } from '../shared/enum-check.ts';
import { derivedName } from '../shared/sql-fragments.ts';
import type { StepHook, StepOf } from '../shared/step-hooks.ts';
import { valueKind } from '../shared/value-kind.ts';
import { addEnumCheck, compilePostgresEnumSwap, dropEnumCheck } from './postgres-enum-check.ts';

/** The statements of a type change in place: the old enum CHECK and default off, the type, then them back. */
function changeTypeStatements(step: StepOf<'alterColumnType'>, context: CompileContext): CompiledQuery[] {
  const { module, state } = context;
  const db = module.db;
  const table = tableOf(state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  const type = sql.raw(module.columnType(step));
  const statements: CompiledQuery[] = [];
  // the old enum's CHECK would not apply to the new type: it goes first; the new one comes after
  if (enumValuesOf(column.spec)) statements.push(dropEnumCheck(context, step.table, step.column));
  const hasDefault = column.spec.default !== undefined && column.spec.default !== null;
  // an old default may not cast to the new type: drop it and set it again afterwards
  if (hasDefault)
    statements.push(
      db.schema
        .alterTable(step.table)
        .alterColumn(step.column, (c) => c.dropDefault())
        .compile(),
    );
  // between kinds an explicit cast converts; within a kind the assignment cast refuses values that no
  // longer fit (an explicit cast to varchar(n) would truncate them silently)
  const sameKind =
    valueKind(column.spec.type) === valueKind(step.type) && !step.sqlType && !column.spec.sqlType;
  const using = sameKind ? sql`` : sql` using ${sql.id(step.column)}::${type}`;
  statements.push(
    sql`alter table ${sql.table(step.table)} alter column ${sql.id(step.column)} type ${type}${using}`.compile(
      db,
    ),
  );
  const values = enumValuesOf(step);
  if (values) statements.push(...addEnumCheck(context, table, step.column, values));
  if (hasDefault) {
    const spec = { ...column.spec, type: step.type };
    statements.push(
      db.schema
        .alterTable(step.table)
        .alterColumn(step.column, (c) => c.setDefault(module.defaultExpression(spec, column.spec.default!)))
        .compile(),
    );
  }
  return statements;
}

/** ALTER COLUMN TYPE; nothing (or only the enum CHECK swapped) when the stored type stays. */
export const alterPostgresColumnType: StepHook<'alterColumnType'> = (step, context) => {
  const { module, state } = context;
  const table = tableOf(state, step.table, step);
  const column = columnOfTable(table, step.column, step);
  if (module.columnType(step) === module.columnType(column.spec)) {
    // the stored type stays (a string that became unbounded is text already): nothing to do, unless the
    // CHECK of an enum's values changes
    if (!enumValuesOf(step) && !enumValuesOf(column.spec)) return [];
    return compilePostgresEnumSwap(step, context);
  }
  return [
    ddl(
      `change type of ${step.table}.${step.column} to ${module.columnType(step)}${step.rewrite ? ' (rewrites the table)' : ''}`,
      changeTypeStatements(step, context),
      {
        path: pathOf(table, step.column),
        rewritesTable: step.rewrite,
        ...(step.lossy ? { destructive: true } : {}),
      },
    ),
  ];
};

/**
 * SET NOT NULL; on a table that holds rows through a NOT VALID check validated without blocking writes,
 * which SET NOT NULL then uses instead of a scan.
 */
export const setPostgresNotNull: StepHook<'setNotNull'> = (step, { module, state }) => {
  const db = module.db;
  const table = tableOf(state, step.table, step);
  columnOfTable(table, step.column, step);
  const path = pathOf(table, step.column);
  const setNotNull = db.schema
    .alterTable(step.table)
    .alterColumn(step.column, (c) => c.setNotNull())
    .compile();
  if (table.fresh) return [ddl(`set ${step.table}.${step.column} not null`, [setNotNull], { path })];
  const check = derivedName(step.table, step.column, 'not_null');
  return [
    ddl(
      `add check ${check} (${step.column} is not null) not valid`,
      [
        db.schema.alterTable(step.table).dropConstraint(check).ifExists().compile(),
        sql`alter table ${sql.table(step.table)} add constraint ${sql.id(check)} check (${sql.id(step.column)} is not null) not valid`.compile(
          db,
        ),
      ],
      { path },
    ),
    {
      description: `validate ${check} (scans ${step.table} without blocking writes)`,
      transactional: false,
      statements: [
        sql`alter table ${sql.table(step.table)} validate constraint ${sql.id(check)}`.compile(db),
      ],
      path,
    },
    ddl(
      `set ${step.table}.${step.column} not null`,
      [setNotNull, db.schema.alterTable(step.table).dropConstraint(check).compile()],
      { path },
    ),
  ];
};

/** DROP NOT NULL. */
export const dropPostgresNotNull: StepHook<'dropNotNull'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  const query = module.db.schema
    .alterTable(step.table)
    .alterColumn(step.column, (c) => c.dropNotNull())
    .compile();
  return [
    ddl(`drop not null on ${step.table}.${step.column}`, [query], { path: pathOf(table, step.column) }),
  ];
};
