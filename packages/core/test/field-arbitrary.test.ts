import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModel, defineSchema, findCounterexample, rowArbitrary, toSnapshot } from '../src/index.ts';

const Profile = defineModel('Profile', {
  shape: {
    id: z.uuid(),
    email: z.email(),
    site: z.url().optional(),
    at: z.iso.datetime(),
    born: z.date().nullable(),
    handle: z.string().max(12),
    role: z.enum(['admin', 'member']),
    score: z.number(),
    visits: z.number().int(),
    big: z.bigint(),
    flags: z.array(z.boolean()),
    address: z.object({ city: z.string(), zip: z.string().max(5).nullable().optional() }),
    extra: z.record(z.string(), z.unknown()),
  },
});
const model = toSnapshot(defineSchema([Profile])).models.Profile!;

describe('rowArbitrary', () => {
  it("draws only rows the model's own zod schema accepts, for every type and format", () => {
    fc.assert(
      fc.property(rowArbitrary(model), (row) => {
        expect(Profile.schema.safeParse(row).error?.issues).toBeUndefined();
      }),
      { numRuns: 300, seed: 3 },
    );
  });

  it('leaves optional members out rather than setting them to undefined', () => {
    const rows = fc.sample(rowArbitrary(model), { numRuns: 200, seed: 5 });
    expect(rows.some((r) => !('site' in r))).toBe(true);
    expect(rows.every((r) => r.site !== undefined || !('site' in r))).toBe(true);
  });

  it('reaches a string limit, where transforms that append break', () => {
    const found = findCounterexample({
      arbitrary: rowArbitrary(model),
      problemOf: (row) => (`${row.handle as string}!`.length > 12 ? 'too long' : undefined),
      runs: 100,
      seed: 42,
    });
    expect(found?.problem).toBe('too long');
    expect(found?.counterexample.handle).toHaveLength(12);
  });
});
