import { defineMigration, type Migration, type Row } from '@evolve/core';
import { createSqlDocumentStore, createUpgrader, sweep, versioned } from '@evolve/document';
import { describeSqlEngines } from '@evolve/harness';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { COUNTER_MIGRATIONS, CounterModel, titleOf } from './support/counter-history.ts';
import { seedCounters } from './support/counters-db.ts';
import { dumpDatabase } from './support/dump-database.ts';
import { errorOf, type SeenError } from './support/error-of.ts';

/**
 * Documents that cannot be upgraded or written, given to the document runtime: each gives an error with a
 * stable code naming the document and the field, and the stored documents stay byte-for-byte as they were
 * (even with write-back on). The store holds 30 counters, already swept to the latest version, plus the
 * bad document of the row.
 */
const DOCS = 30;

const [c1, c2, c3] = COUNTER_MIGRATIONS as [Migration, Migration, Migration];
/** The history with a v2 transform that throws on one document. */
const THROWING = [
  c1,
  defineMigration({
    ...c2,
    transforms: {
      Counter: {
        title: (old: Row) => {
          if (old.name === 'boom') throw new Error('cannot title a boom');
          return titleOf(old);
        },
      },
    },
  }),
  c3,
];

interface DocInput {
  name: string;
  code: string;
  names: RegExp;
  bad: Row;
  act: (db: Kysely<any>) => Promise<SeenError | undefined>;
  migrations?: readonly Migration[];
}

const upgraderFor = (migrations: readonly Migration[] = COUNTER_MIGRATIONS) =>
  createUpgrader({ model: CounterModel, migrations });
const store = (db: Kysely<any>) => createSqlDocumentStore(db, { table: 'counters' });

const readBack =
  (migrations?: readonly Migration[]) =>
  (db: Kysely<any>): Promise<SeenError | undefined> =>
    errorOf(() =>
      versioned(store(db), upgraderFor(migrations), { writeBack: true }).findOne({ _id: 'bad-doc' }),
    );

const swept =
  (migrations?: readonly Migration[]) =>
  async (db: Kysely<any>): Promise<SeenError | undefined> => {
    const result = await sweep(store(db), upgraderFor(migrations), { batchSize: 10 });
    const failure = result.failures[0];
    return failure ? { code: failure.code, message: `${failure.message} ${String(failure.id)}` } : undefined;
  };

const CORPUS: DocInput[] = [
  {
    name: 'a stored document that fails validation, read with write-back',
    code: 'VALIDATION_FAILED',
    names: /bad-doc.*name|name.*bad-doc/,
    bad: { _id: 'bad-doc', name: 42, count: 0, code: 1 },
    act: readBack(),
  },
  {
    name: 'a stored document that fails validation, swept',
    code: 'VALIDATION_FAILED',
    names: /bad-doc/,
    bad: { _id: 'bad-doc', name: 42, count: 0, code: 1 },
    act: swept(),
  },
  {
    name: 'a stored document missing a required field, read with write-back',
    code: 'VALIDATION_FAILED',
    names: /bad-doc.*count|count.*bad-doc/,
    bad: { _id: 'bad-doc', name: 'x', code: 1 },
    act: readBack(),
  },
  {
    name: 'a document from a newer version of the code, read with write-back',
    code: 'FUTURE_VERSION',
    names: /bad-doc.*9|9.*bad-doc/,
    bad: { _id: 'bad-doc', name: 'x', count: 0, code: 'C-1', title: 'x!', _v: 9 },
    act: readBack(),
  },
  {
    name: 'a document with a version field that is not an integer',
    code: 'VALIDATION_FAILED',
    names: /bad-doc.*_v|_v.*bad-doc/,
    bad: { _id: 'bad-doc', name: 'x', count: 0, code: 1, _v: 'two' },
    act: readBack(),
  },
  {
    name: 'a transform that throws on one document, read with write-back',
    code: 'TRANSFORM_FAILED',
    names: /bad-doc.*cannot title|cannot title.*bad-doc/,
    bad: { _id: 'bad-doc', name: 'boom', count: 0, code: 1 },
    migrations: THROWING,
    act: readBack(THROWING),
  },
  {
    name: 'a transform that throws on one document, swept',
    code: 'TRANSFORM_FAILED',
    names: /bad-doc/,
    bad: { _id: 'bad-doc', name: 'boom', count: 0, code: 1 },
    migrations: THROWING,
    act: swept(THROWING),
  },
  {
    name: 'an application write that would store an invalid document',
    code: 'VALIDATION_FAILED',
    names: /count/,
    bad: { _id: 'bad-doc', name: 'ok', count: 1, code: 'C-1', title: 'ok!', _v: 3 },
    act: (db) =>
      errorOf(() =>
        versioned(store(db), upgraderFor()).updateOne({ _id: 'bad-doc' }, { $set: { count: 'many' } }),
      ),
  },
  {
    name: 'an application insert of an invalid document',
    code: 'VALIDATION_FAILED',
    names: /title|name/,
    bad: { _id: 'bad-doc', name: 'ok', count: 1, code: 'C-1', title: 'ok!', _v: 3 },
    act: (db) =>
      errorOf(() => versioned(store(db), upgraderFor()).insertOne({ _id: 'new-doc', name: 7, count: 0 })),
  },
];

describeSqlEngines(
  'bad input (documents)',
  (ctx, engine) => {
    for (const input of CORPUS) {
      it(`${input.name}: ${input.code}, named, documents unchanged`, async () => {
        const { db, dialect } = ctx();
        if (dialect === 'mysql') throw new Error('no document store on MySQL');
        await seedCounters(db, DOCS);
        const settled = await sweep(store(db), upgraderFor(), { batchSize: 100 });
        expect(settled.failed).toBe(0);
        await store(db).insert([input.bad]);
        const before = await dumpDatabase(db, dialect);
        const error = await input.act(db);
        const after = await dumpDatabase(db, dialect);
        console.log(`[bad-input] ${engine} documents: ${input.name} -> ${error?.code}: ${error?.message}`);
        expect(error, 'an error came back').toBeDefined();
        expect(error?.code).toBe(input.code);
        expect(error?.message).toMatch(input.names);
        expect(after, 'documents unchanged').toBe(before);
      });
    }
  },
  { engines: ['sqlite', 'postgres'] },
);
