import {
  applyChanges,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  lint,
  type Snapshot,
  toSnapshot,
} from '@evolve/core';
import { detectDrift, planSqlMigration } from '@evolve/sql';
import { z } from 'zod';
import { ACCOUNT_SNAPSHOTS } from './account-history.ts';
import { type BadInput, pure } from './bad-input-kit.ts';
import { errorOf } from './error-of.ts';

/**
 * Bad definitions and arguments of the pure entry points (defineModel, toSnapshot, diff, applyChanges, lint,
 * planSqlMigration, detectDrift): refused with a code naming the fault before any SQL is built, so the
 * database stays as it was. Issue 11's injection, NUL, `__proto__`, long-name and foreign-object items.
 */
const [s1, s2] = ACCOUNT_SNAPSHOTS as [Snapshot, Snapshot];
const id = z.number().int();
/** toSnapshot of one model `A` with the given extra fields and options. */
const modelA = (shape: Record<string, z.ZodType>, extra: Record<string, unknown> = {}) =>
  pure(() => toSnapshot(defineSchema([defineModel('A', { shape: { id, ...shape }, ...extra })])));

export const DEFINITION_INPUTS: BadInput[] = [
  {
    name: 'a sqlType carrying a second statement (text); drop table ...)',
    code: 'INVALID_MODEL',
    names: /sqlType.*A\.note.*drop table victim/,
    act: modelA({
      note: z.string().meta({ sqlType: 'text); drop table victim; create table zz (id int, a text' }),
    }),
  },
  {
    name: 'a sqlType with a comment opener',
    code: 'INVALID_MODEL',
    names: /sqlType.*A\.note/,
    act: modelA({ note: z.string().meta({ sqlType: 'text -- x' }) }),
  },
  {
    name: 'a default holding a NUL byte',
    code: 'INVALID_MODEL',
    names: /default at A\.note.*NUL/,
    act: modelA({ note: z.string().default('a\0b') }),
  },
  {
    name: 'an enum value holding a NUL byte',
    code: 'INVALID_MODEL',
    names: /enum value at A\.tier.*NUL/,
    act: modelA({ tier: z.enum(['free', 'pro\0']) }),
  },
  {
    name: 'an enum value with a lone UTF-16 surrogate',
    code: 'INVALID_MODEL',
    names: /enum value at A\.tier.*surrogate/,
    act: modelA({ tier: z.enum(['free', 'pro\uD800']) }),
  },
  {
    name: 'a NaN default (JSON would store it as null)',
    code: 'INVALID_MODEL',
    names: /default at A\.score.*not finite/,
    act: modelA({ score: z.number().default(Number.NaN) }),
  },
  {
    name: 'an Infinity default',
    code: 'INVALID_MODEL',
    names: /default at A\.score.*Infinity/,
    act: modelA({ score: z.number().default(Number.POSITIVE_INFINITY) }),
  },
  {
    name: 'a literal holding a NUL byte',
    code: 'INVALID_MODEL',
    names: /literal at A\.kind.*NUL/,
    act: modelA({ kind: z.literal('a\0') }),
  },
  {
    name: 'a field named __proto__',
    code: 'INVALID_MODEL',
    names: /__proto__/,
    act: modelA(Object.defineProperty({}, '__proto__', { value: z.string(), enumerable: true })),
  },
  {
    name: 'a table name longer than 63 characters',
    code: 'INVALID_MODEL',
    names: /a{64}.*63/,
    act: modelA({}, { table: 'a'.repeat(64) }),
  },
  {
    name: 'an index name longer than 63 characters',
    code: 'INVALID_MODEL',
    names: /A\.indexes\[0\]/,
    act: modelA({ note: z.string() }, { indexes: [{ fields: ['note'], name: 'i'.repeat(70) }] }),
  },
  {
    name: 'a table name with a quote',
    code: 'INVALID_MODEL',
    names: /a\\"b/,
    act: modelA({}, { table: 'a"b' }),
  },
  {
    name: 'a column name carrying SQL',
    code: 'INVALID_MODEL',
    names: /x\\"; drop/,
    act: modelA({ note: z.string().meta({ column: 'x"; drop' }) }),
  },
  {
    name: 'a model name with a newline',
    code: 'INVALID_MODEL',
    names: /A\\nconsole/,
    act: pure(() => defineModel('A\nconsole.error(1)//', { shape: { id } })),
  },
  {
    name: 'a primary key naming a missing field',
    code: 'INVALID_MODEL',
    names: /zz/,
    act: modelA({}, { primaryKey: 'zz' }),
  },
  {
    name: 'a foreign key to an unknown model',
    code: 'INVALID_MODEL',
    names: /Nope/,
    act: modelA(
      { b: id },
      { foreignKeys: [{ fields: ['b'], references: { model: 'Nope', fields: ['id'] } }] },
    ),
  },
  {
    name: 'defineSchema given a string',
    code: 'INVALID_SCHEMA',
    names: /entry 0/,
    act: pure(() => defineSchema(['abc'] as never)),
  },
  {
    name: 'toSnapshot given null',
    code: 'INVALID_SCHEMA',
    names: /schema/,
    act: pure(() => toSnapshot(null as never)),
  },
  {
    name: 'diff(null, next)',
    code: 'INVALID_SNAPSHOT',
    names: /prev.*null/,
    act: pure(() => diff(null as never, s1)),
  },
  {
    name: 'diff of an object whose models is a string',
    code: 'INVALID_SNAPSHOT',
    names: /prev.*models/,
    act: pure(() => diff({ ...emptySnapshot(), models: 'abc' } as never, s1)),
  },
  {
    name: 'diff of a snapshot whose hash was tampered with',
    code: 'INVALID_SNAPSHOT',
    names: /next.*hash/,
    act: pure(() => diff(s1, { ...s2, hash: '00' } as never)),
  },
  {
    name: 'diff with renames that are not a map',
    code: 'INVALID_CONFIG',
    names: /renames/,
    act: pure(() => diff(s1, s2, { renames: 'Account.name=x' as never })),
  },
  {
    name: 'diff with a rename of a field the previous schema lacks (a typo)',
    code: 'INVALID_CONFIG',
    names: /renames entry 'Account\.nmae' names no field of Account/,
    act: pure(() => diff(s1, s2, { renames: { 'Account.nmae': 'displayName' } })),
  },
  {
    name: 'diff with a rename onto a model the new schema lacks',
    code: 'INVALID_CONFIG',
    names: /renames entry 'Account'.*'Acount', a model the new schema lacks/,
    act: pure(() => diff(s1, s2, { renames: { Account: 'Acount' } })),
  },
  {
    name: 'diff with a drop naming no old field',
    code: 'INVALID_CONFIG',
    names: /drops entry 'Account\.nope' names no model or field/,
    act: pure(() => diff(s1, s2, { drops: ['Account.nope'] })),
  },
  {
    name: 'diff with drops that are not a list',
    code: 'INVALID_CONFIG',
    names: /drops/,
    act: pure(() => diff(s1, s2, { drops: 'Account.name' as never })),
  },
  {
    name: 'applyChanges(null, changeSet)',
    code: 'INVALID_SNAPSHOT',
    names: /snapshot.*null/,
    act: pure(() => applyChanges(null as never, diff(s1, s2))),
  },
  {
    name: 'applyChanges with changes that are a string',
    code: 'INVALID_CHANGESET',
    names: /changeSet.*changes/,
    act: pure(() => applyChanges(s1, { from: s1.hash, to: s2.hash, changes: 'abc' } as never)),
  },
  {
    name: 'applyChanges of a change set that starts elsewhere',
    code: 'INVALID_CHANGESET',
    names: /starts from snapshot/,
    act: pure(() => applyChanges(s2, diff(s1, s2))),
  },
  {
    name: 'lint(null)',
    code: 'INVALID_CHANGESET',
    names: /changeSet/,
    act: pure(() => lint(null as never)),
  },
  {
    name: 'lint of a change that is a number',
    code: 'INVALID_CHANGESET',
    names: /changes\[0\]/,
    act: pure(() => lint({ from: s1.hash, to: s2.hash, changes: [42] } as never)),
  },
  {
    name: 'planSqlMigration(null)',
    code: 'INVALID_CHANGESET',
    names: /changeSet/,
    act: pure(() => planSqlMigration(null as never, { dialect: 'sqlite' })),
  },
  {
    name: 'planSqlMigration for an unknown dialect',
    code: 'INVALID_CONFIG',
    names: /oracle/,
    act: pure(() => planSqlMigration(diff(s1, s2), { dialect: 'oracle' as never, before: s1 })),
  },
  {
    name: 'detectDrift against null',
    code: 'INVALID_SNAPSHOT',
    names: /snapshot.*null/,
    act: (env) => errorOf(() => detectDrift(env.db, null as never)),
  },
  {
    name: 'detectDrift against a tampered snapshot',
    code: 'INVALID_SNAPSHOT',
    names: /snapshot.*hash/,
    act: (env) => errorOf(() => detectDrift(env.db, { ...s2, hash: 'abc' } as never)),
  },
];
