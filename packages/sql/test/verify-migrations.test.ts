import { fileURLToPath } from 'node:url';
import { diff, emptySnapshot, type FieldSnapshot, type Migration, type Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../src/runtime/index.ts';
import { verifyMigrations } from '../src/verify/index.ts';
import { field, model, snapshot, t } from './plan-fixtures.ts';

const v1 = snapshot(model('Item', { id: field(t.int()), label: field(t.string(10)) }, { table: 'vm_items' }));

/** A history that creates vm_items, then adds `value` (of type `value`) filled by `transform`. */
function history(value: FieldSnapshot, transform: (old: Row) => unknown): Migration[] {
  const v2 = snapshot(
    model('Item', { id: field(t.int()), label: field(t.string(10)), value }, { table: 'vm_items' }),
  );
  const create = diff(emptySnapshot(), v1);
  const add = diff(v1, v2);
  return [
    { id: '0001_items', from: create.from, to: create.to, changes: create.changes },
    {
      id: '0002_value',
      from: add.from,
      to: add.to,
      changes: add.changes,
      transforms: { Item: { value: transform } },
    },
  ];
}

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
