// A generated step carries each nested edit once, written out: a reviewer's edit of that code is what
// upgrade() runs, on the chain's working copy and on a step's own copy alike. (A shape that kept a helper
// call beside a written-out copy ran the copy and silently ignored an edit of the visible helper line.)
import { deepFreeze, defineModel, type Migration, type Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createUpgrader } from '../src/upgrader/index.ts';
import { loadSection } from './upgrader-fixtures.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const order = (shape: z.ZodRawShape) => defineModel('Order', { target: 'document', shape });

const item = z.object({ sku: z.string(), qty: z.number().int() });
const HISTORY: typeof SCHEMAS = [
  { models: [order({ meta: z.object({ a: z.string() }), lines: z.array(item) })] },
  {
    // a default added inside an object, a rename inside array elements, a field plunged into an object
    models: [
      order({
        meta: z.object({ a: z.string(), d: z.string().default('generated') }),
        lines: z.array(z.object({ code: z.string(), qty: z.number().int() })),
      }),
    ],
    renames: { 'Order.lines.[].sku': 'lines.[].code' },
  },
];

/** The history with the second migration's documents section replaced by `edit` of its generated source. */
function edited(edit: (source: string) => string): { migrations: Migration[]; source: string } {
  const built = buildHistory(HISTORY);
  const source = edit(built.sources[1] as string);
  const [first, second] = built.generated as [Migration, Migration];
  return { migrations: [first, { ...second, documents: loadSection(source) }], source };
}

const occurrences = (text: string, part: string) => text.split(part).length - 1;

const V1: Row = { _id: 1, _v: 1, meta: { a: 'x' }, lines: [{ sku: 'p', qty: 2 }] };

describe('hand edits of a generated nested edit', () => {
  it('the file holds each nested edit once (no second body that would run instead)', () => {
    const { source } = edited((s) => s);
    expect(occurrences(source, "'generated'")).toBe(1);
    expect(occurrences(source, 'el.code = v;')).toBe(1);
  });

  it('a changed default inside an object reaches upgrade(), in place and on a step of its own', () => {
    const { migrations, source } = edited((s) => s.replace("'generated'", "'by hand'"));
    expect(source).toContain("'by hand'");
    const upgrader = createUpgrader({ model: 'Order', migrations });
    const up = upgrader.upgrade(deepFreeze(structuredClone(V1)));
    expect(up.meta).toStrictEqual({ a: 'x', d: 'by hand' });
    // the step run on its own copy (owned = false), as a chain with transforms or a caller runs it
    const step = upgrader.history.steps[0];
    for (const owned of [false, true]) {
      const input = structuredClone(V1);
      const out = step?.up(owned ? input : deepFreeze(input), {}, owned) as Row;
      expect((out.meta as Row).d).toBe('by hand');
    }
  });

  it('a changed rename inside array elements reaches upgrade() and leaves the stored document as it was', () => {
    const { migrations } = edited((s) => s.replace('el.code = v;', 'el.code = String(v).toUpperCase();'));
    const upgrader = createUpgrader({ model: 'Order', migrations });
    const stored = structuredClone(V1);
    const up = upgrader.upgrade(stored);
    expect(up.lines).toStrictEqual([{ code: 'P', qty: 2 }]);
    expect(stored).toStrictEqual(V1);
    const own = upgrader.history.steps[0]?.up(stored, {}, false) as Row;
    expect((own.lines as Row[])[0]?.code).toBe('P');
    expect(stored).toStrictEqual(V1);
  });
});
