import { fileURLToPath } from 'node:url';
import type { FieldSnapshot, Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/runtime/index.ts';
import { verifyMigrations } from '../src/verify/index.ts';
import { historyAddingValue } from './fixtures/history-adding-value.ts';
import { field, t } from './plan-fixtures.ts';

/** A history that creates vm_items, then adds `value` (of its type) filled by `transform`. */
const history = (value: FieldSnapshot, transform: (old: Row) => unknown) =>
  historyAddingValue({ name: 'vm_items', labelLength: 10 }, value, transform);

describe('verifyMigrations', () => {
  it('finds a transform that throws for empty strings and shrinks the row to an empty label', () => {
    const migrations = history(field(t.string(10)), (old) => {
      const label = old.label as string;
      if (label === '') throw new Error('empty label');
      return label;
    });
    const [finding, ...rest] = verifyMigrations({ migrations });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: 'transform-property',
      migration: '0002_value',
      model: 'Item',
      field: 'value',
      counterexample: { label: '' },
      problem: 'threw empty label',
    });
  });

  it('finds a transform whose string is longer than the new column and shrinks to the shortest label', () => {
    const migrations = history(field(t.string(10)), (old) => `${old.label as string}-copy`);
    const [finding] = verifyMigrations({ migrations });
    expect(finding?.problem).toMatch(/longer than 10/);
    expect(finding?.counterexample.label).toHaveLength(6);
  });

  it('finds a transform that returns NaN, with the integer it shrank to', () => {
    const migrations = history(field(t.float()), (old) =>
      (old.id as number) < 0 ? Math.sqrt(old.id as number) : 1,
    );
    const [finding] = verifyMigrations({ migrations });
    expect(finding?.problem).toMatch(/finite number, got NaN/);
    expect(finding?.counterexample.id).toBe(-1);
  });

  it('passes a transform whose results always fit', () => {
    const migrations = history(field(t.string(10)), (old) => (old.label as string).slice(0, 10));
    expect(verifyMigrations({ migrations })).toEqual([]);
  });

  it('is deterministic for a seed', () => {
    const migrations = history(field(t.string(10)), (old) => `${old.label as string}!`);
    const a = verifyMigrations({ migrations, seed: 7, runs: 30 });
    const b = verifyMigrations({ migrations, seed: 7, runs: 30 });
    expect(a).toEqual(b);
    expect(a[0]?.seed).toBe(7);
  });

  it("passes the example app's history, whose transforms it runs", async () => {
    const folder = fileURLToPath(new URL('../../../apps/example/migrations', import.meta.url));
    const migrations = await loadMigrations(folder);
    expect(migrations.some((m) => Object.keys(m.transforms ?? {}).length > 0)).toBe(true);
    expect(verifyMigrations({ migrations, runs: 200 })).toEqual([]);
  });
});
