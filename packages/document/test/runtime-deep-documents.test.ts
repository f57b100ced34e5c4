// Issue 11: a document nested deeper than stores can read back is refused when written (VALIDATION_FAILED
// naming it, nothing stored), and one too deep for the call stack fails its upgrade with a code, never a
// raw RangeError.
import type { Row } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { describe, expect, it } from 'vitest';
import {
  createDocumentTable,
  createMemoryDocumentStore,
  createSqlDocumentStore,
  type DocumentStore,
} from '../src/index.ts';
import { MAX_DOCUMENT_DEPTH } from '../src/runtime/check-depth.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { createUserUpgrader } from './fixtures/runtime-user-history.ts';

/** `{ _id, a: { a: { ... } } }` with `levels` levels of objects in all. */
function nested(id: string, levels: number): Row {
  let inner: Row = { end: true };
  for (let i = 2; i < levels; i++) inner = { a: inner };
  return { _id: id, a: inner };
}

async function count(store: DocumentStore): Promise<number> {
  let n = 0;
  for await (const _ of store.find({})) n++;
  return n;
}

async function refusesDeep(store: DocumentStore): Promise<void> {
  await store.insert([nested('ok', MAX_DOCUMENT_DEPTH)]);
  const error = await store.insert([nested('too-deep', MAX_DOCUMENT_DEPTH + 1)]).then(
    () => undefined,
    (e: unknown) => e as { code?: string; message?: string },
  );
  expect(error?.code).toBe('VALIDATION_FAILED');
  expect(error?.message).toContain('too-deep');
  expect(await count(store)).toBe(1);
}

describe('deep documents', () => {
  it(`memory store: ${MAX_DOCUMENT_DEPTH} levels stored, one more refused`, async () => {
    await refusesDeep(createMemoryDocumentStore());
  });

  it('a document 20 000 levels deep: upgrade and downgrade succeed or fail with VALIDATION_FAILED naming it, never a RangeError', () => {
    const upgrader = createUserUpgrader();
    let deep: Row = {};
    for (let i = 0; i < 20_000; i++) deep = { nested: deep };
    const doc = { _id: 'abyss', _v: 1, name: 'x', address: { town: 't', deep } } as Row;
    const outcome = (fn: () => unknown) => {
      try {
        fn();
        return 'ok';
      } catch (error) {
        expect(error).not.toBeInstanceOf(RangeError);
        expect((error as Error).message).toContain('abyss');
        return (error as { code?: string }).code;
      }
    };
    const up = outcome(() => upgrader.upgrade(doc));
    expect(['ok', 'VALIDATION_FAILED']).toContain(up);
    // a downgrade cleans the whole document: this one is too deep for the stack
    const latest = { _id: 'abyss', _v: 3, fullName: 'x', tags: [], upgradedTimes: 0, prefs: deep } as Row;
    expect(outcome(() => upgrader.downgrade(latest, 1))).toBe('VALIDATION_FAILED');
  });
});

describeSqlEngines(
  'deep documents in a JSON document table',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    it(`${MAX_DOCUMENT_DEPTH} levels stored and read back, one more refused with nothing written`, async () => {
      const { db } = ctx();
      await createDocumentTable(db, { table: 'deep_docs' });
      const store = createSqlDocumentStore(db, { table: 'deep_docs' });
      await refusesDeep(store);
    });
  },
  { engines: ['sqlite', 'pglite', 'postgres'] },
);
