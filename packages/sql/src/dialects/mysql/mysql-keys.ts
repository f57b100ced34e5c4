import { sql } from 'kysely';
import { tableOf } from '../shared/apply-step.ts';
import { compileCreateIndexPlain, ddl } from '../shared/common-steps.ts';
import { idList } from '../shared/sql-fragments.ts';
import type { StepHook } from '../shared/step-hooks.ts';

/** On a table that holds rows, a secondary index is built INPLACE without locks. */
export const createMysqlIndex: StepHook<'createIndex'> = (step, context) => {
  const table = tableOf(context.state, step.table, step);
  if (table.fresh) return compileCreateIndexPlain(step, context);
  const unique = step.unique ? sql.raw('unique ') : sql.raw('');
  return [
    ddl(
      `create ${step.unique ? 'unique ' : ''}index ${step.name} on ${step.table} (online)`,
      [
        sql`alter table ${sql.table(step.table)} add ${unique}index ${sql.id(step.name)} (${idList(step.columns)}), algorithm=inplace, lock=none`.compile(
          context.module.db,
        ),
      ],
      { path: table.model },
    ),
  ];
};

const covers = (columns: string[], fk: { columns: string[] }) => fk.columns.every((c, i) => columns[i] === c);

/**
 * InnoDB needs an index that starts with each foreign key's columns, and silently drops the one it made
 * for a key once a wider index covers it: give such a key its own index again before dropping the wider one.
 */
export const dropMysqlIndex: StepHook<'dropIndex'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  const statements = [];
  const dropped = table.indexes.find((i) => i.name === step.name);
  for (const fk of table.foreignKeys) {
    if (!dropped || !covers(dropped.columns, fk)) continue;
    const others = table.indexes.filter((i) => i.name !== step.name);
    if (covers(table.primaryKey, fk) || others.some((i) => covers(i.columns, fk))) continue;
    statements.push(
      sql`alter table ${sql.table(step.table)} add index ${sql.id(fk.name)} (${idList(fk.columns)}), algorithm=inplace, lock=none`.compile(
        module.db,
      ),
    );
  }
  statements.push(
    sql`alter table ${sql.table(step.table)} drop index ${sql.id(step.name)}, algorithm=inplace, lock=none`.compile(
      module.db,
    ),
  );
  return [ddl(`drop index ${step.name}`, statements, { path: table.model })];
};

/** InnoDB created an index named after the key when no index started with its columns: it goes too. */
export const dropMysqlForeignKey: StepHook<'dropForeignKey'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  const fk = table.foreignKeys.find((f) => f.name === step.name);
  const statements = [
    sql`alter table ${sql.table(step.table)} drop foreign key ${sql.id(step.name)}`.compile(module.db),
  ];
  const covered = (columns: string[]) => fk?.columns.every((c, i) => columns[i] === c) ?? true;
  if (fk && !covered(table.primaryKey) && !table.indexes.some((i) => covered(i.columns))) {
    statements.push(
      sql`alter table ${sql.table(step.table)} drop index ${sql.id(step.name)}`.compile(module.db),
    );
  }
  return [ddl(`drop foreign key ${step.name}`, statements, { path: table.model })];
};

/** The primary key changes in one ALTER (the table never lacks one). */
export const changeMysqlPrimaryKey: StepHook<'changePrimaryKey'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  return [
    ddl(
      `change primary key of ${step.table} to (${step.columns.join(', ')})`,
      [
        sql`alter table ${sql.table(step.table)} drop primary key, add primary key (${idList(step.columns)})`.compile(
          module.db,
        ),
      ],
      { path: table.model, rewritesTable: !table.fresh },
    ),
  ];
};
