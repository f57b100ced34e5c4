import { defineModel, defineSchema, EvolveError, toSnapshot } from '@evolve/core';
import { describeEngine } from '@evolve/harness';
import { beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { detectMongoIndexDrift, markMongoApplied, mongoJournalStatus, pullDocuments } from '../src/index.ts';
import { suiteMongo } from './fixtures/suite-mongo.ts';

describeEngine('mongodb', 'pullDocuments: sampled document models', (status) => {
  const mongo = suiteMongo(status.url!, 'evolve_pull');
  beforeAll(async () => {
    const db = mongo.db();
    await db.collection('users').insertMany([
      { email: 'a@x', name: 'A', age: 30, address: { city: 'X', zip: '1' }, tags: ['a', 'b'] },
      { email: 'b@x', name: null, age: 31, address: { city: 'Y' }, tags: [] },
      { email: 'c@x', age: 2.5, nick: 'c' },
    ]);
    await db.collection('users').createIndex({ email: 1 }, { unique: true });
    await db.collection('users').createIndex({ nick: 1, email: 1 }, { name: 'users_nick_email_idx' });
    await db.collection('users').createIndex({ age: -1 });
    await db.collection('mixed').insertMany([
      { _id: 'k1', v: 1 },
      { _id: 'k2', v: 'x' },
    ] as never[]);
    await db.createCollection('empty');
  });

  it('proposes a document model per collection: optional where documents differ, nullable where one holds null, nested fields, plain indexes', async () => {
    const db = mongo.db();
    const pulled = await pullDocuments(db, { sample: 10 });
    const expected = toSnapshot(
      defineSchema([
        defineModel('Mixed', {
          target: 'document',
          table: 'mixed',
          shape: { _id: z.string(), v: z.unknown() },
        }),
        defineModel('Users', {
          target: 'document',
          table: 'users',
          shape: {
            email: z.string(),
            name: z.string().nullable().optional(),
            age: z.number(),
            address: z.object({ city: z.string(), zip: z.string().optional() }).optional(),
            tags: z.array(z.string()).optional(),
            nick: z.string().optional(),
          },
          indexes: [{ fields: ['email'], unique: true, name: 'email_1' }, { fields: ['nick', 'email'] }],
        }),
      ]),
    );
    expect(pulled.snapshot.models).toEqual(expected.models);
    expect(pulled.snapshot.hash).toBe(expected.hash);
    const notes = pulled.notes.map((n) => `${n.table}${n.item ? `.${n.item}` : ''}: ${n.reason}`);
    expect(notes).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^mixed\.v: values of several types/),
        expect.stringMatching(/^empty: no documents to sample/),
        expect.stringMatching(/^users\.age_-1: an index the models cannot describe/),
      ]),
    );
    expect(pulled.source).toContain("target: 'document'");
    // the unmodelled index stays, and is what index drift reports
    const drift = await detectMongoIndexDrift(db, pulled.snapshot);
    expect(drift.map((d) => d.index)).toEqual(['age_-1']);
  });

  it('samples only --sample documents, and refuses an unknown collection with NOT_FOUND', async () => {
    const db = mongo.db();
    const one = await pullDocuments(db, { sample: 1, collections: ['users'] });
    expect(Object.keys(one.snapshot.models.Users?.fields ?? {}).sort()).toEqual([
      'address',
      'age',
      'email',
      'name',
      'tags',
    ]);
    const error = await pullDocuments(db, { collections: ['nope'] }).catch((e) => e);
    expect(error).toBeInstanceOf(EvolveError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', path: 'nope' });
  });

  it('markMongoApplied records a migration once', async () => {
    const db = mongo.db();
    const migration = { id: '0001_baseline', from: 'a', to: 'b', changes: [] } as never;
    expect(await markMongoApplied(db, migration)).toBe(true);
    expect(await markMongoApplied(db, migration)).toBe(false);
    const s = await mongoJournalStatus(db, [migration]);
    expect(s.applied.map((a) => a.id)).toEqual(['0001_baseline']);
    expect(s.modified).toEqual([]);
  });
});
