import { type CompiledQuery, sql } from 'kysely';
import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep } from '../../steps/sql-step.ts';
import { columnOfTable, tableOf } from '../shared/apply-step.ts';
import {
  compileAddForeignKeyPlain,
  compileBackfill,
  compileCommonStep,
  compileCreateIndexPlain,
  compileRawSql,
  compileSetDefault,
  ddl,
  pathOf,
} from '../shared/common-steps.ts';
import type { CompileContext } from '../shared/dialect-module.ts';
import { enumValuesOf } from '../shared/enum-check.ts';
import { derivedName, idList, onDeleteKeyword, primaryKeyName } from '../shared/sql-fragments.ts';
import { valueKind } from '../shared/value-kind.ts';
import {
  addEnumCheck,
  compilePostgresAddColumn,
  compilePostgresEnumSwap,
  compilePostgresValidateEnumCheck,
  dropEnumCheck,
  renameEnumCheck,
} from './postgres-enum-check.ts';
import { compilePostgresIdentity } from './postgres-identity.ts';

/**
 * PostgreSQL: transactional DDL with the non-blocking forms on tables that already hold rows —
 * CREATE INDEX CONCURRENTLY (outside a transaction; a failed build leaves an INVALID index, so the step
 * drops any leftover of that name first, which also makes it idempotent), foreign keys and NOT NULL
 * through NOT VALID constraints validated in their own step. Tables created by the same migration are
 * empty and get the plain forms.
 */
export function compilePostgresStep(step: SqlStep, context: CompileContext): CompiledStep[] {
  const { module, state } = context;
  const db = module.db;
  switch (step.kind) {
    case 'createTable':
    case 'dropTable':
    case 'dropColumn':
      return compileCommonStep(step, context);
    case 'addColumn':
      return compilePostgresAddColumn(step, context);
    case 'renameColumn': {
      const [renamed] = compileCommonStep(step, context) as [CompiledStep];
      const column = columnOfTable(tableOf(state, step.table, step), step.column, step);
      // keeps an enum's CHECK named after its column, as evolve creates it (later steps drop it by name)
      const renames = enumValuesOf(column.spec)
        ? [renameEnumCheck(context, step.table, [step.table, step.column], [step.table, step.to])]
        : [];
      return [{ ...renamed, statements: [...renamed.statements, ...renames] }];
    }
    case 'renameTable': {
      const table = tableOf(state, step.table, step);
      const checks = table.columns
        .filter((c) => enumValuesOf(c.spec))
        .map((c) => renameEnumCheck(context, step.to, [step.table, c.name], [step.to, c.name]));
      return [
        ddl(
          `rename table ${step.table} to ${step.to}`,
          [
            db.schema.alterTable(step.table).renameTo(step.to).compile(),
            // keeps the primary key constraint named after its table, as evolve creates it
            db.schema
              .alterTable(step.to)
              .renameConstraint(primaryKeyName(step.table), primaryKeyName(step.to))
              .compile(),
            ...checks,
          ],
          { path: table.model },
        ),
      ];
    }
    case 'validateEnumCheck':
      return compilePostgresValidateEnumCheck(step, context);
    case 'alterColumnType': {
      const table = tableOf(state, step.table, step);
      const column = columnOfTable(table, step.column, step);
      if (module.columnType(step) === module.columnType(column.spec)) {
        // the stored type stays (a string that became unbounded is text already): nothing to do, unless the
        // CHECK of an enum's values changes
        if (!enumValuesOf(step) && !enumValuesOf(column.spec)) return [];
        return compilePostgresEnumSwap(step, context);
      }
      const type = sql.raw(module.columnType(step));
      const statements: CompiledQuery[] = [];
      // the old enum's CHECK would not apply to the new type: it goes first; the new one comes after
      const oldCheck = enumValuesOf(column.spec) ? [dropEnumCheck(context, step.table, step.column)] : [];
      statements.push(...oldCheck);
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
            .alterColumn(step.column, (c) =>
              c.setDefault(module.defaultExpression(spec, column.spec.default!)),
            )
            .compile(),
        );
      }
      return [
        ddl(
          `change type of ${step.table}.${step.column} to ${module.columnType(step)}${step.rewrite ? ' (rewrites the table)' : ''}`,
          statements,
          {
            path: pathOf(table, step.column),
            rewritesTable: step.rewrite,
            ...(step.lossy ? { destructive: true } : {}),
          },
        ),
      ];
    }
    case 'setNotNull': {
      const table = tableOf(state, step.table, step);
      columnOfTable(table, step.column, step);
      const path = pathOf(table, step.column);
      const setNotNull = db.schema
        .alterTable(step.table)
        .alterColumn(step.column, (c) => c.setNotNull())
        .compile();
      if (table.fresh) return [ddl(`set ${step.table}.${step.column} not null`, [setNotNull], { path })];
      // NOT VALID check, validated without blocking writes; SET NOT NULL then uses it instead of a scan
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
    }
    case 'dropNotNull': {
      const table = tableOf(state, step.table, step);
      return [
        ddl(
          `drop not null on ${step.table}.${step.column}`,
          [
            db.schema
              .alterTable(step.table)
              .alterColumn(step.column, (c) => c.dropNotNull())
              .compile(),
          ],
          { path: pathOf(table, step.column) },
        ),
      ];
    }
    case 'setDefault':
    case 'dropDefault':
      return compileSetDefault(step, context);
    case 'createIndex': {
      const table = tableOf(state, step.table, step);
      if (table.fresh) return compileCreateIndexPlain(step, context);
      const unique = step.unique ? sql.raw('unique ') : sql.raw('');
      return [
        {
          description: `create ${step.unique ? 'unique ' : ''}index ${step.name} on ${step.table} concurrently`,
          transactional: false,
          // No `if not exists` and no drop before it: a name already taken fails the build, unless the
          // runner confirms the index as this step's own work (runtime/postgres-confirm-applied.ts).
          statements: [
            sql`create ${unique}index concurrently ${sql.id(step.name)} on ${sql.table(step.table)} (${idList(step.columns)})`.compile(
              db,
            ),
          ],
          path: table.model,
        },
      ];
    }
    case 'dropIndex': {
      const table = tableOf(state, step.table, step);
      if (table.fresh) {
        return [
          ddl(`drop index ${step.name}`, [db.schema.dropIndex(step.name).compile()], { path: table.model }),
        ];
      }
      return [
        {
          description: `drop index ${step.name} concurrently`,
          transactional: false,
          statements: [sql`drop index concurrently if exists ${sql.id(step.name)}`.compile(db)],
          path: table.model,
        },
      ];
    }
    case 'addForeignKey': {
      const table = tableOf(state, step.table, step);
      if (table.fresh) return compileAddForeignKeyPlain(step, context);
      return [
        ddl(
          `add foreign key ${step.name} on ${step.table} (not valid)`,
          [
            db.schema.alterTable(step.table).dropConstraint(step.name).ifExists().compile(),
            sql`alter table ${sql.table(step.table)} add constraint ${sql.id(step.name)} foreign key (${idList(step.columns)}) references ${sql.table(step.references.table)} (${idList(step.references.columns)}) on delete ${onDeleteKeyword(step.onDelete)} not valid`.compile(
              db,
            ),
          ],
          { path: table.model },
        ),
      ];
    }
    case 'validateForeignKey': {
      const table = tableOf(state, step.table, step);
      if (table.fresh) return [];
      return [
        {
          description: `validate foreign key ${step.name} (scans ${step.table} without blocking writes)`,
          transactional: false,
          statements: [
            sql`alter table ${sql.table(step.table)} validate constraint ${sql.id(step.name)}`.compile(db),
          ],
          path: table.model,
        },
      ];
    }
    case 'dropForeignKey': {
      const table = tableOf(state, step.table, step);
      return [
        ddl(
          `drop foreign key ${step.name}`,
          [db.schema.alterTable(step.table).dropConstraint(step.name).compile()],
          {
            path: table.model,
          },
        ),
      ];
    }
    case 'changePrimaryKey': {
      const table = tableOf(state, step.table, step);
      return [
        ddl(
          `change primary key of ${step.table} to (${step.columns.join(', ')})`,
          [
            db.schema.alterTable(step.table).dropConstraint(primaryKeyName(step.table)).compile(),
            db.schema
              .alterTable(step.table)
              .addPrimaryKeyConstraint(primaryKeyName(step.table), step.columns)
              .compile(),
          ],
          { path: table.model, rewritesTable: !table.fresh },
        ),
      ];
    }
    case 'addIdentity':
    case 'dropIdentity':
      return compilePostgresIdentity(step, context);
    case 'backfill':
      return compileBackfill(step, context);
    case 'rawSql':
      return compileRawSql(step, context);
  }
}
