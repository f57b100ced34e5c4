// Issue 11: stored members named `__proto__`, `constructor` or `prototype` are data. An upgrade keeps them
// as own members (at the root and inside objects it copies) and never turns them into the result's
// prototype: a document `{"__proto__":{"isAdmin":true}}` must not come out with `isAdmin` readable on it.
import type { Row } from '@evolve/core';
import { createDocumentTable, createSqlDocumentStore } from '@evolve/document';
import { describeSqlEngines } from '@evolve/harness';
import { describe, expect, it } from 'vitest';
import { createUpgrader } from '../src/upgrader/index.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { buildHistory } from './upgrader-history.ts';

const history = buildHistory();
/** A version 1 document, as a driver or JSON.parse hands it over: `__proto__` an own member. */
const stored = (): Row =>
  JSON.parse(
    '{"_id":"e1","title":"Hello World","price":3,"tag":"x","city":"Paris","status":"archived","legacy":"l",' +
      '"items":[{"sku":"a","qty":1,"__proto__":{"isAdmin":true}}],"__proto__":{"isAdmin":true},' +
      '"constructor":"c","prototype":{"p":1}}',
  );

const ownData = (value: Row, key: string) => Object.getOwnPropertyDescriptor(value, key)?.value;

describe('upgrade keeps members named like Object.prototype members as data', () => {
  for (const [which, migrations] of [
    ['generated', history.generated],
    ['interpreted', history.interpreted],
  ] as const) {
    for (const validate of ['compiled', 'zod'] as const) {
      it(`${which} chain, ${validate} validation`, () => {
        const upgrader = createUpgrader({ model: 'Happening', migrations, validate });
        const out = upgrader.upgrade(stored()) as Row;
        expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
        expect('isAdmin' in out).toBe(false);
        expect(ownData(out, '__proto__')).toEqual({ isAdmin: true });
        expect(ownData(out, 'constructor')).toBe('c');
        expect(ownData(out, 'prototype')).toEqual({ p: 1 });
        const item = (out.items as Row[])[0] as Row;
        expect(Object.getPrototypeOf(item)).toBe(Object.prototype);
        expect('isAdmin' in item).toBe(false);
        expect(ownData(item, '__proto__')).toEqual({ isAdmin: true });
        // and the upgraded document is stable: upgrading it again changes nothing
        expect(JSON.stringify(upgrader.upgrade(out))).toBe(JSON.stringify(out));
      });
    }
  }
});

describeSqlEngines(
  'a stored __proto__ member survives a JSON document store round trip',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    it('insert, find: an own data member, no prototype change', async () => {
      const { db } = ctx();
      await createDocumentTable(db, { table: 'proto_docs' });
      const store = createSqlDocumentStore(db, { table: 'proto_docs' });
      await store.insert([stored()]);
      const found: Row[] = [];
      for await (const doc of store.find({})) found.push(doc);
      const [back] = found;
      expect(back).toBeDefined();
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect('isAdmin' in (back as Row)).toBe(false);
      expect(ownData(back as Row, '__proto__')).toEqual({ isAdmin: true });
    });
  },
  { engines: ['sqlite', 'pglite', 'postgres'] },
);
