import { sql } from 'kysely';
import { tableOf } from '../shared/apply-step.ts';
import { compileAddForeignKeyPlain, compileCreateIndexPlain, ddl } from '../shared/common-steps.ts';
import { idList, onDeleteKeyword } from '../shared/sql-fragments.ts';
import type { StepHook } from '../shared/step-hooks.ts';

// Tables created by the same migration are empty and get the plain forms; on a table that holds rows these
// hooks use the forms that do not block writes.

/**
 * CREATE INDEX CONCURRENTLY, outside a transaction. No `if not exists` and no drop before it: a name already
 * taken fails the build, unless the runner confirms the index as this step's own work (`confirmApplied`).
 */
export const createPostgresIndex: StepHook<'createIndex'> = (step, context) => {
  const table = tableOf(context.state, step.table, step);
  if (table.fresh) return compileCreateIndexPlain(step, context);
  const unique = step.unique ? sql.raw('unique ') : sql.raw('');
  return [
    {
      description: `create ${step.unique ? 'unique ' : ''}index ${step.name} on ${step.table} concurrently`,
      transactional: false,
      statements: [
        sql`create ${unique}index concurrently ${sql.id(step.name)} on ${sql.table(step.table)} (${idList(step.columns)})`.compile(
          context.module.db,
        ),
      ],
      path: table.model,
    },
  ];
};

/** DROP INDEX CONCURRENTLY IF EXISTS, outside a transaction. */
export const dropPostgresIndex: StepHook<'dropIndex'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  if (table.fresh) {
    return [
      ddl(`drop index ${step.name}`, [module.db.schema.dropIndex(step.name).compile()], {
        path: table.model,
      }),
    ];
  }
  return [
    {
      description: `drop index ${step.name} concurrently`,
      transactional: false,
      statements: [sql`drop index concurrently if exists ${sql.id(step.name)}`.compile(module.db)],
      path: table.model,
    },
  ];
};

/** A foreign key added NOT VALID (no scan under the lock); `validateForeignKey` checks the rows. */
export const addPostgresForeignKey: StepHook<'addForeignKey'> = (step, context) => {
  const { module, state } = context;
  const table = tableOf(state, step.table, step);
  if (table.fresh) return compileAddForeignKeyPlain(step, context);
  return [
    ddl(
      `add foreign key ${step.name} on ${step.table} (not valid)`,
      [
        module.db.schema.alterTable(step.table).dropConstraint(step.name).ifExists().compile(),
        sql`alter table ${sql.table(step.table)} add constraint ${sql.id(step.name)} foreign key (${idList(step.columns)}) references ${sql.table(step.references.table)} (${idList(step.references.columns)}) on delete ${onDeleteKeyword(step.onDelete)} not valid`.compile(
          module.db,
        ),
      ],
      { path: table.model },
    ),
  ];
};

/** VALIDATE CONSTRAINT, outside a transaction: scans the table without blocking writes. */
export const validatePostgresForeignKey: StepHook<'validateForeignKey'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  if (table.fresh) return [];
  return [
    {
      description: `validate foreign key ${step.name} (scans ${step.table} without blocking writes)`,
      transactional: false,
      statements: [
        sql`alter table ${sql.table(step.table)} validate constraint ${sql.id(step.name)}`.compile(module.db),
      ],
      path: table.model,
    },
  ];
};
