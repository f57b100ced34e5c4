import {
  deepFreeze,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Row,
  toSnapshot,
} from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpgrader } from '../src/upgrader/index.ts';

/** v1 `{ title, meta: { by }, items: [{ sku }] }` -> v2 adds `items[].unit` (default 'pc'): only the elements change. */
function elementsOnlyHistory(): Migration[] {
  const item = (unit: boolean) =>
    z.object({ sku: z.string(), ...(unit ? { unit: z.string().default('pc') } : {}) });
  const shape = (unit: boolean) => ({
    title: z.string(),
    meta: z.object({ by: z.string() }),
    items: z.array(item(unit)),
  });
  let prev = emptySnapshot();
  return [false, true].map((unit, i) => {
    const next = toSnapshot(defineSchema([defineModel('Box', { target: 'document', shape: shape(unit) })]));
    const changeSet = diff(prev, next);
    prev = next;
    return { id: `000${i + 1}_box`, ...changeSet };
  });
}

describe('an upgrade chain that edits only inside an array', () => {
  const upgrader = createUpgrader({ model: 'Box', migrations: elementsOnlyHistory() });
  const v1 = (extra: Row = {}): Row =>
    deepFreeze({
      _id: 'b1',
      title: 'T',
      meta: { by: 'ada' },
      items: [{ sku: 'a' }, { sku: 'b' }],
      ...extra,
    });

  it('copies the elements it changes, keeps the rest of the input as it is, and stamps the version', () => {
    for (const doc of [v1(), v1({ _v: 1 }), v1({ note: { kept: true } })]) {
      const up = upgrader.upgrade(doc);
      expect(up).toStrictEqual({
        ...doc,
        items: [
          { sku: 'a', unit: 'pc' },
          { sku: 'b', unit: 'pc' },
        ],
        _v: 2,
      });
      expect(up.meta).toBe(doc.meta);
      expect(up.items).not.toBe(doc.items);
      if (doc.note) expect(up.note).toBe(doc.note);
    }
  });

  it('refuses a document missing its required array, and upgrades one with an empty array', () => {
    const { items, ...doc } = v1();
    void items;
    expect(() => upgrader.upgrade(doc)).toThrowError(/items/);
    expect(upgrader.upgrade({ ...doc, items: [] })).toStrictEqual({ ...doc, items: [], _v: 2 });
  });
});
