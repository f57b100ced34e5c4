import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  applyChanges,
  defineModel,
  defineSchema,
  diff,
  fieldOrderOf,
  parseSnapshot,
  serializeSnapshot,
  toSnapshot,
} from '../src/index.ts';

const thing = (shape: z.ZodRawShape) =>
  toSnapshot(defineSchema([defineModel('Thing', { primaryKey: 'mid', shape })]));
const order = (s: ReturnType<typeof thing>) => fieldOrderOf(s.models.Thing as never);

describe('field order', () => {
  const v1 = thing({ zeta: z.string(), alpha: z.number().int(), mid: z.number().int() });

  it('is the declaration order, kept outside the hash: a reordered declaration is no change', () => {
    expect(order(v1)).toEqual(['zeta', 'alpha', 'mid']);
    const reordered = thing({ mid: z.number().int(), alpha: z.number().int(), zeta: z.string() });
    expect(reordered.hash).toBe(v1.hash);
    expect(diff(v1, reordered).changes).toEqual([]);
  });

  it('follows the table through applyChanges: additions appended, renames in place, drops removed', () => {
    const v2 = thing({
      omega: z.boolean(),
      zeta: z.string(),
      beta: z.number().int().meta({ renamedFrom: 'alpha' }),
      mid: z.number().int(),
      gamma: z.string().optional(),
    });
    const after = applyChanges(v1, diff(v1, v2));
    expect(after.hash).toBe(v2.hash);
    // omega is declared first but ADD COLUMN puts it last, as it does gamma after it
    expect(order(after)).toEqual(['zeta', 'beta', 'mid', 'omega', 'gamma']);
    const v3 = thing({ beta: z.number().int(), mid: z.number().int(), omega: z.boolean() });
    expect(order(applyChanges(after, diff(after, v3, { drops: ['Thing.zeta', 'Thing.gamma'] })))).toEqual([
      'beta',
      'mid',
      'omega',
    ]);
  });

  it('is derived for a snapshot written without it: the primary key, then the other fields by name', () => {
    const text = serializeSnapshot(v1).replace(/"fieldOrder": \[[^\]]*\],\s*/, '');
    expect(text).not.toContain('fieldOrder');
    const old = parseSnapshot(text);
    expect(old.hash).toBe(v1.hash);
    expect(order(old)).toEqual(['mid', 'alpha', 'zeta']);
  });

  it('refuses a snapshot whose fieldOrder does not list each field once', () => {
    const text = serializeSnapshot(v1).replace('"zeta",', '"alpha",');
    expect(() => parseSnapshot(text, 'snapshot.json')).toThrow(
      expect.objectContaining({ code: 'INVALID_SNAPSHOT', path: 'snapshot.json#models.Thing.fieldOrder' }),
    );
  });
});
