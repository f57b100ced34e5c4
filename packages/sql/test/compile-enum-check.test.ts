import { defineModel, defineSchema, diff, emptySnapshot, type Snapshot, toSnapshot } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { SqlDialect } from '../src/compiled-step.ts';
import { planSqlMigration } from '../src/index.ts';

const model = (table: string, shape: Record<string, z.ZodType>) =>
  toSnapshot(defineSchema([defineModel('Item', { table, shape: { id: z.number().int(), ...shape } })]));

function compile(dialect: SqlDialect, from: Snapshot, to: Snapshot, transforms?: Record<string, unknown>) {
  return planSqlMigration(diff(from, to), {
    dialect,
    before: from,
    ...(transforms ? { transforms: { Item: transforms as never } } : {}),
  });
}

const sqlOf = (steps: ReturnType<typeof compile>) => steps.flatMap((s) => s.statements.map((q) => q.sql));

describe('enum CHECKs as compiled', () => {
  it('names each CHECK within 63 characters, apart for two long columns sharing a prefix', () => {
    const long = `t_${'x'.repeat(60)}`;
    const column = (suffix: string) => `c_${'y'.repeat(58)}${suffix}`;
    const created = compile(
      'postgres',
      emptySnapshot(),
      model(long, { [column('a')]: z.enum(['p', 'q']), [column('b')]: z.enum(['p', 'q']) }),
    );
    const names = sqlOf(created).flatMap((s) => [
      ...s.matchAll(/constraint "([^"]+_enum[^"]*|[^"]+)" check/g),
    ]);
    const checks = names.map((m) => m[1] as string);
    expect(checks).toHaveLength(2);
    expect(checks.every((n) => n.length <= 63)).toBe(true);
    expect(new Set(checks).size).toBe(2);
  });

  it('postgres: adding values swaps the CHECK NOT VALID in a transaction, then validates it outside one', () => {
    const steps = compile(
      'postgres',
      model('items', { status: z.enum(['a', 'b']) }),
      model('items', { status: z.enum(['a', 'b', 'c']) }),
    );
    expect(steps.map((s) => [s.transactional, s.description])).toEqual([
      [true, 'check items.status in (a, b, c) (not valid: validated by a later step)'],
      [false, 'validate items_status_enum (scans items without blocking writes)'],
    ]);
    expect(sqlOf(steps)).toEqual([
      "set local lock_timeout = '5000ms'",
      'alter table "items" drop constraint if exists "items_status_enum"',
      `alter table "items" add constraint "items_status_enum" check ("status" in ('a', 'b', 'c')) not valid`,
      'alter table "items" validate constraint "items_status_enum"',
    ]);
  });

  it('mysql: the CHECK changes with the column definition, instantly, and the rows are read by a query', () => {
    const steps = compile(
      'mysql',
      model('items', { status: z.enum(['a', 'b']).nullable() }),
      model('items', { status: z.enum(['a']).nullable() }),
      { status: () => 'a' },
    );
    const swap = steps.find((s) => s.statements.some((q) => q.sql.includes('modify column `status`')));
    expect(swap?.statements.at(-1)?.sql).toBe(
      "alter table `items` modify column `status` varchar(255) check (binary `status` in ('a')), algorithm=instant",
    );
    const validate = steps.at(-2);
    expect(validate?.destructive).toBe(true);
    expect(validate?.verify?.[0]?.sql).toBe(
      "select `id`, `status` from `items` where not (binary `status` in ('a')) limit ?",
    );
  });

  it('sqlite: a new table declares the CHECK in its column definition under its name', () => {
    const [create] = compile('sqlite', emptySnapshot(), model('items', { status: z.enum(["it's", 'b']) }));
    expect(create?.statements[0]?.sql).toContain(
      `"status" text not null constraint "items_status_enum" check ("status" in ('it''s', 'b'))`,
    );
  });

  it.each(['postgres', 'mysql', 'sqlite'] as const)(
    '%s: values removed without a transform (a down migration) leave the CHECK as it is',
    (dialect) => {
      const steps = compile(
        dialect,
        model('items', { status: z.enum(['a', 'b']) }),
        model('items', { status: z.enum(['a']) }),
      );
      expect(steps).toEqual([]);
    },
  );
});
