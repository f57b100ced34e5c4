import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineModel,
  defineSchema,
  EvolveError,
  fitIdentifier,
  foreignKeyName,
  indexName,
  internalIdentifier,
  MAX_IDENTIFIER_LENGTH,
  toSnapshot,
} from '../src/index.ts';

function refusal(run: () => unknown): EvolveError {
  try {
    run();
  } catch (error) {
    if (error instanceof EvolveError) return error;
    throw error;
  }
  throw new Error('expected an EvolveError');
}

describe('names evolve derives never collide and fit every engine', () => {
  const prefix = 'a_field_name_long_enough_to_share_a_fifty_five_char_prefix_';

  it('keeps short derived names as they were (no snapshot of an existing schema changes)', () => {
    expect(indexName('orders', ['customerId'], false)).toBe('orders_customerId_idx');
    expect(indexName('orders', ['email'], true)).toBe('orders_email_key');
    expect(foreignKeyName('orders', ['customerId'])).toBe('orders_customerId_fkey');
    expect(fitIdentifier('x'.repeat(MAX_IDENTIFIER_LENGTH))).toBe('x'.repeat(MAX_IDENTIFIER_LENGTH));
  });

  it('shortens long index and foreign key names with a hash, so two fields sharing a long prefix get two names', () => {
    const a = indexName('orders', [`${prefix}one`], false);
    const b = indexName('orders', [`${prefix}two`], false);
    expect(a).not.toBe(b);
    expect(a.length).toBe(MAX_IDENTIFIER_LENGTH);
    expect(b.length).toBe(MAX_IDENTIFIER_LENGTH);
    expect(a).toMatch(/^orders_a_field_name.*_[0-9a-f]{8}$/);
    const c = foreignKeyName('orders', [`${prefix}one`]);
    const d = foreignKeyName('orders', [`${prefix}two`]);
    expect(c).not.toBe(d);
    expect(Math.max(c.length, d.length)).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
  });

  it('gives internal objects a name unique to their purpose, table and column, within the limit', () => {
    const one = internalIdentifier(`_evolve_${prefix}one`, ['shadow', 'orders', `${prefix}one`]);
    const two = internalIdentifier(`_evolve_${prefix}two`, ['shadow', 'orders', `${prefix}two`]);
    expect(one).not.toBe(two);
    expect(one.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
    // even a short one carries the hash: never equal to a column the user named `_evolve_price`
    const price = internalIdentifier('_evolve_price', ['shadow', 'orders', 'price']);
    expect(price).toMatch(/^_evolve_price_[0-9a-f]{8}$/);
    expect(internalIdentifier('_evolve_price', ['shadow', 'invoices', 'price'])).not.toBe(price);
    expect(internalIdentifier('_evolve_price', ['shadow', 'orders', 'price'])).toBe(price);
  });

  it('builds a snapshot whose default index names stay distinct for long fields sharing a prefix', () => {
    const model = defineModel('Wide', {
      table: 'wide',
      shape: {
        id: z.number().int(),
        [`${prefix}one`]: z.string().meta({ unique: true }),
        [`${prefix}two`]: z.string().meta({ unique: true }),
      },
    });
    const names = toSnapshot(defineSchema([model])).models.Wide?.indexes.map((i) => i.name) ?? [];
    expect(new Set(names).size).toBe(2);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(MAX_IDENTIFIER_LENGTH);
  });
});

describe('names that differ only by case', () => {
  it('refuses an sql model with fields Name and name (INVALID_MODEL naming both)', () => {
    const model = defineModel('User', {
      table: 'users',
      shape: { id: z.number().int(), name: z.string(), Name: z.string() },
    });
    const error = refusal(() => toSnapshot(defineSchema([model])));
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toMatch(/\bName\b.*\bname\b|\bname\b.*\bName\b/);
    expect(error.message).toContain('differ only by case');
    expect(error.path).toMatch(/^User\.(Name|name)$/);
  });

  it('refuses a field whose column name differs from another field only by case', () => {
    const model = defineModel('User', {
      table: 'users',
      shape: {
        id: z.number().int(),
        fullName: z.string().meta({ column: 'FULL_NAME' }),
        full_name: z.string(),
      },
    });
    const error = refusal(() => toSnapshot(defineSchema([model])));
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toContain('"FULL_NAME"');
    expect(error.message).toContain('"full_name"');
  });

  it('allows the same on a document model (document keys are case-sensitive)', () => {
    const model = defineModel('Note', {
      target: 'document',
      shape: { _id: z.string(), name: z.string(), Name: z.string() },
    });
    expect(Object.keys(toSnapshot(defineSchema([model])).models.Note?.fields ?? {})).toEqual(
      expect.arrayContaining(['name', 'Name']),
    );
  });

  it('refuses two sql models whose tables differ only by case', () => {
    const a = defineModel('A', { table: 'users', shape: { id: z.number().int() } });
    const b = defineModel('B', { table: 'Users', shape: { id: z.number().int() } });
    const error = refusal(() => defineSchema([a, b]));
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.message).toContain('"users"');
    expect(error.message).toContain('"Users"');
  });
});
