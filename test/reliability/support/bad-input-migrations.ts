import { type Migration, makeSnapshot, type Snapshot } from '@evolve/core';
import { migrate } from '@evolve/sql';
import { ACCOUNT_SNAPSHOTS } from './account-history.ts';
import { atV3, type BadInput, edited, m1, m2, m3, run } from './bad-input-kit.ts';
import { errorOf } from './error-of.ts';

/**
 * Malformed migrations and migrate() options: refused with a code naming the fault before any statement
 * runs (transforms returning non-finite numbers fail their batch, which rolls back). Issue 11's sqlType-in-a-
 * migration, Infinity/NaN and transform-checksum items, and every option migrate() takes.
 */
/**
 * 0003 with a sqlType put on its new field, as a hand-edited migration file would carry it; with `rehashed`
 * its `to` hash is recomputed too, so that only the type check stands between the text and the DDL.
 */
const withSqlType = (sqlType: string, rehashed = false): Migration[] => {
  const changes = JSON.parse(
    JSON.stringify(m3.changes).replace('"field":{', `"field":{"sqlType":${JSON.stringify(sqlType)},`),
  );
  const v3 = JSON.parse(JSON.stringify((ACCOUNT_SNAPSHOTS[2] as Snapshot).models));
  v3.Account.fields.tier.sqlType = sqlType;
  return edited(2, { changes, ...(rehashed ? { to: makeSnapshot(v3).hash } : {}) }).slice(0, 3);
};

const labelled = (label: (old: Record<string, unknown>) => unknown) =>
  run(edited(3, { transforms: { Account: { balanceLabel: label } } }));

export const MIGRATION_INPUTS: BadInput[] = [
  {
    name: 'a pending migration whose change carries a sqlType with a second statement',
    code: 'INVALID_MIGRATION',
    names: /0003_add_tier/,
    act: run(withSqlType('text); drop table accounts; create table zz (id int, a text')),
  },
  {
    name: 'the same sqlType with the migration`s to-hash recomputed to match',
    code: 'INVALID_MODEL',
    names: /sqlType.*drop table accounts/,
    act: run(withSqlType('text); drop table accounts; create table zz (id int, a text', true)),
  },
  {
    name: 'a transform returning Infinity',
    code: 'TRANSFORM_FAILED',
    names: /Account\.balanceLabel.*Infinity/,
    setup: atV3,
    act: labelled(() => Number.POSITIVE_INFINITY),
  },
  {
    name: 'a transform returning NaN',
    code: 'TRANSFORM_FAILED',
    names: /Account\.balanceLabel.*NaN/,
    setup: atV3,
    act: labelled(() => Number.NaN),
  },
  {
    name: 'a transform returning a string with a NUL byte',
    code: 'TRANSFORM_FAILED',
    names: /Account\.balanceLabel/,
    setup: atV3,
    act: labelled(() => 'a\0b'),
  },
  {
    name: 'an applied migration whose code hash changed (transform edited and re-hashed)',
    code: 'CHECKSUM_MISMATCH',
    names: /0002_add_display_name/,
    act: run(edited(1, { codeHash: 't1:edited' })),
  },
  {
    name: 'acknowledge given as a string',
    code: 'INVALID_MIGRATION',
    names: /0003_add_tier.*acknowledge/,
    act: run(edited(2, { acknowledge: 'Account.tier' as never })),
  },
  {
    name: 'transforms given as a string',
    code: 'INVALID_MIGRATION',
    names: /0004_add_balance_label.*transforms/,
    act: run(edited(3, { transforms: 'balanceLabel' as never })),
  },
  {
    name: 'a transform that is not a function',
    code: 'INVALID_MIGRATION',
    names: /Account\.balanceLabel.*not a function/,
    act: run(edited(3, { transforms: { Account: { balanceLabel: 'EUR' as never } } })),
  },
  {
    name: 'a sql section that is a string',
    code: 'INVALID_MIGRATION',
    names: /0003_add_tier\.sql/,
    act: run(edited(2, { sql: 'drop table accounts' })),
  },
  {
    name: 'a sql step of an unknown kind',
    code: 'INVALID_MIGRATION',
    names: /nope/,
    act: run(edited(2, { sql: { up: [{ kind: 'nope' }], down: [] } })),
  },
  {
    name: 'a change of an unknown kind',
    code: 'INVALID_MIGRATION',
    names: /0003_add_tier.*explode/,
    act: run(edited(2, { changes: [{ kind: 'explode', model: 'Account', path: [] }] as never })),
  },
  {
    name: 'migrate options that are not an object',
    code: 'INVALID_CONFIG',
    names: /options/,
    act: (env) => errorOf(() => migrate(env.db, null as never)),
  },
  {
    name: 'lockTimeoutMs given as text',
    code: 'INVALID_CONFIG',
    names: /lockTimeoutMs.*5s/,
    act: run([m1, m2, m3], { lockTimeoutMs: '5s' }),
  },
  {
    name: 'a batch size of 0',
    code: 'INVALID_CONFIG',
    names: /batchSize.*0/,
    act: run([m1, m2, m3], { batchSize: 0 }),
  },
  {
    name: 'a negative pause between batches',
    code: 'INVALID_CONFIG',
    names: /pauseMs/,
    act: run([m1, m2, m3], { pauseMs: -1 }),
  },
  {
    name: 'a target given as a number',
    code: 'INVALID_CONFIG',
    names: /to must be a migration id/,
    act: run([m1, m2, m3], { to: 3 }),
  },
  {
    name: 'allowOutOfOrder given as a string',
    code: 'INVALID_CONFIG',
    names: /allowOutOfOrder/,
    act: run([m1, m2, m3], { allowOutOfOrder: 'yes' }),
  },
  {
    name: 'onProgress that is not a function',
    code: 'INVALID_CONFIG',
    names: /onProgress/,
    act: run([m1, m2, m3], { onProgress: true }),
  },
];
