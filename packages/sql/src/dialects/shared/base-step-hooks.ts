import { EvolveError } from '@evolve/core';
import { tableOf } from './apply-step.ts';
import {
  compileAddColumn,
  compileAddForeignKeyPlain,
  compileBackfill,
  compileCreateIndexPlain,
  compileCreateTable,
  compileDropColumn,
  compileDropTable,
  compileRawSql,
  compileRenameColumn,
  compileRenameTable,
  compileSetDefault,
  ddl,
} from './common-steps.ts';
import { primaryKeyName } from './sql-fragments.ts';
import type { StepHook, StepHooks } from './step-hooks.ts';
import { compileVerifyEnumCheck } from './verify-enum-check.ts';

/** A hook for a kind the dialect cannot write here: never dropped silently. */
export const unsupportedStep: StepHook<any> = (step, { module }) => {
  throw new EvolveError(
    'UNSUPPORTED_CHANGE',
    `the ${module.dialect} dialect cannot express a ${step.kind} step here`,
    'table' in step ? { path: step.table } : {},
  );
};

const dropIndex: StepHook<'dropIndex'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  return [
    ddl(`drop index ${step.name}`, [module.db.schema.dropIndex(step.name).compile()], { path: table.model }),
  ];
};

const dropForeignKey: StepHook<'dropForeignKey'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  const query = module.db.schema.alterTable(step.table).dropConstraint(step.name).compile();
  return [ddl(`drop foreign key ${step.name}`, [query], { path: table.model })];
};

const changePrimaryKey: StepHook<'changePrimaryKey'> = (step, { module, state }) => {
  const table = tableOf(state, step.table, step);
  const alter = () => module.db.schema.alterTable(step.table);
  return [
    ddl(
      `change primary key of ${step.table} to (${step.columns.join(', ')})`,
      [
        alter().dropConstraint(primaryKeyName(step.table)).compile(),
        alter().addPrimaryKeyConstraint(primaryKeyName(step.table), step.columns).compile(),
      ],
      { path: table.model, rewritesTable: !table.fresh },
    ),
  ];
};

/**
 * Every step kind written with Kysely's schema builders the way most dialects take them. Type,
 * nullability and identity changes have no common form: each dialect supplies its own.
 */
export const baseStepHooks: StepHooks = {
  createTable: compileCreateTable,
  dropTable: compileDropTable,
  renameTable: compileRenameTable,
  addColumn: (step, context) => compileAddColumn(step, context),
  dropColumn: compileDropColumn,
  renameColumn: compileRenameColumn,
  alterColumnType: unsupportedStep,
  setNotNull: unsupportedStep,
  dropNotNull: unsupportedStep,
  setDefault: compileSetDefault,
  dropDefault: compileSetDefault,
  createIndex: compileCreateIndexPlain,
  dropIndex,
  addForeignKey: compileAddForeignKeyPlain,
  validateForeignKey: () => [],
  validateEnumCheck: compileVerifyEnumCheck,
  dropForeignKey,
  changePrimaryKey,
  addIdentity: unsupportedStep,
  dropIdentity: unsupportedStep,
  backfill: compileBackfill,
  rawSql: compileRawSql,
};
