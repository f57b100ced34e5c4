// The generated `finish` of a working copy takes a fast path (one object literal) when the object holds
// exactly its latest members; its result must be the one the general clean gives (`cleanWith`, the
// oracle), members and their order included, whichever members are present, absent or extra.
import type { Row } from '@evolve/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanWith } from '../src/upgrader/doc-ops/clean.ts';
import { createUpgrader } from '../src/upgrader/index.ts';
import { workingCopy } from '../src/upgrader/working-copy.ts';
import { objectArbitrary } from './upgrader-arbitrary.ts';
import { buildHistory } from './upgrader-history.ts';

const history = buildHistory();
const upgrader = createUpgrader({ model: 'Happening', migrations: history.generated });
const { prepare, finish } = workingCopy(upgrader.history.shapes.values(), '_v');
const latest = upgrader.shapeAt(upgrader.latestVersion).fields;
const first = upgrader.shapeAt(upgrader.createdVersion).fields;

/** Keys and values in order, at any depth (what `toStrictEqual` would not tell apart: member order). */
const ordered = (value: unknown): unknown =>
  Array.isArray(value)
    ? value.map(ordered)
    : typeof value === 'object' && value !== null && !(value instanceof Date)
      ? Object.entries(value).map(([k, v]) => [k, ordered(v)])
      : value;

/** A latest document, with members sometimes dropped, members of version 1 and members no version has. */
const doc = fc
  .tuple(
    objectArbitrary(latest),
    objectArbitrary(first),
    fc.subarray(Object.keys(latest)),
    fc.subarray(Object.keys(first)),
    fc.option(fc.dictionary(fc.constantFrom('extra', 'zz', 'a b'), fc.jsonValue({ maxDepth: 1 })), {
      nil: undefined,
    }),
    fc.boolean(),
  )
  .map(([now, old, drop, keepOld, extra, withVersion]) => {
    const out: Row = { _id: 1, ...now };
    for (const k of drop) delete out[k];
    for (const k of keepOld) if (!(k in out)) out[k] = old[k];
    if (withVersion) out._v = 3;
    return { ...out, ...extra };
  });

describe('finish fast path', () => {
  it('gives what the general clean gives, members and their order included', () => {
    fc.assert(
      fc.property(doc, fc.integer({ min: 1, max: 9 }), (d, version) => {
        const work = prepare(d);
        const expected = cleanWith(prepare(d), '_v', version);
        expect(ordered(finish(work, version))).toStrictEqual(ordered(expected));
      }),
      { numRuns: 1000 },
    );
  });

  it('a document with exactly its latest members comes out as a clean copy with the version last', () => {
    const work = prepare({
      _id: 'e1',
      name: 'n',
      views: 1,
      price: 'p',
      tag: ['t'],
      address: { city: 'c', zip: null },
      status: 'open',
      items: [{ code: 'a', qty: 1, unit: 'pc' }],
      slug: 's',
      note: 'x',
    });
    const out = finish(work, 8);
    expect(Object.keys(out).at(-1)).toBe('_v');
    expect(Object.values(out)).not.toContain(undefined);
    expect(out).not.toBe(work);
    expect(ordered(out)).toStrictEqual(ordered(cleanWith(work, '_v', 8)));
    // a nested object of the working copy that is already clean is kept; one with an extra member or
    // an absent one declared is copied clean
    expect(out.address).toBe(work.address);
    const extra = prepare({ _id: 'e2', address: { city: 'c', zip: null, floor: 2 } });
    expect(finish(extra, 8).address).not.toBe(extra.address);
    expect(finish(extra, 8).address).toStrictEqual({ city: 'c', zip: null, floor: 2 });
    const missing = prepare({ _id: 'e3', address: { city: 'c' } });
    expect(Object.keys(missing.address as Row)).toContain('zip');
    expect(Object.keys(finish(missing, 8).address as Row)).toStrictEqual(['city']);
  });
});
