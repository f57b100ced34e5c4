import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyChanges, defineModel, defineSchema, diff, reverse, toSnapshot } from '../src/index.ts';

/** Snapshots of one document model at two versions, built from zod as users write them. */
const versions = (before: z.ZodRawShape, after: z.ZodRawShape) =>
  [before, after].map((shape) =>
    toSnapshot(
      defineSchema([defineModel('Profile', { target: 'document', shape: { _id: z.string(), ...shape } })]),
    ),
  ) as [ReturnType<typeof toSnapshot>, ReturnType<typeof toSnapshot>];

const moves = (a: ReturnType<typeof toSnapshot>, b: ReturnType<typeof toSnapshot>) => {
  const changes = diff(a, b);
  expect(applyChanges(a, changes).hash).toBe(b.hash);
  expect(applyChanges(b, reverse(changes)).hash).toBe(a.hash);
  return changes.changes.map((c) =>
    c.kind === 'renameField'
      ? `rename ${c.from.join('.')} -> ${c.path.join('.')}`
      : `${c.kind} ${c.path.join('.')}`,
  );
};

describe('diff from zod models with renamedFrom', () => {
  it('hoists a nested field to the root with a dotted renamedFrom', () => {
    const [a, b] = versions(
      { address: z.object({ city: z.string(), street: z.string() }) },
      { city: z.string().meta({ renamedFrom: 'address.city' }), address: z.object({ street: z.string() }) },
    );
    expect(moves(a, b)).toEqual(['rename address.city -> city']);
  });

  it('plunges a top-level field into an existing object with a plain renamedFrom', () => {
    const [a, b] = versions(
      { city: z.string(), address: z.object({ street: z.string() }) },
      { address: z.object({ street: z.string(), city: z.string().meta({ renamedFrom: 'city' }) }) },
    );
    expect(moves(a, b)).toEqual(['rename city -> address.city']);
  });

  it('plunges into a new object, which is added first', () => {
    const [a, b] = versions(
      { city: z.string(), zip: z.string() },
      {
        address: z.object({
          city: z.string().meta({ renamedFrom: 'city' }),
          postcode: z.string().meta({ renamedFrom: 'zip' }),
        }),
      },
    );
    expect(moves(a, b)).toEqual([
      'addField address',
      'rename city -> address.city',
      'rename zip -> address.postcode',
    ]);
  });

  it('renames fields inside arrays of objects and nested objects of a renamed parent', () => {
    const [a, b] = versions(
      { items: z.array(z.object({ sku: z.string() })), owner: z.object({ name: z.string() }) },
      {
        items: z.array(z.object({ code: z.string().meta({ renamedFrom: 'sku' }) })),
        person: z
          .object({ fullName: z.string().meta({ renamedFrom: 'name' }) })
          .meta({ renamedFrom: 'owner' }),
      },
    );
    expect(moves(a, b)).toEqual([
      'rename owner -> person',
      'rename person.name -> person.fullName',
      'rename items.[].sku -> items.[].code',
    ]);
  });

  it('ignores renamedFrom hints left in the model after the rename happened', () => {
    const [a, b] = versions(
      { fullName: z.string().meta({ renamedFrom: 'name' }) },
      { fullName: z.string().meta({ renamedFrom: 'name' }), name: z.string().optional() },
    );
    expect(moves(a, b)).toEqual(['addField name']);
  });
});
