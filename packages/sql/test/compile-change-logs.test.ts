import { defineModel, defineSchema, diff, type Snapshot, toSnapshot } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CompiledStep, SqlDialect } from '../src/compiled-step.ts';
import { planSqlMigration } from '../src/index.ts';

const int = () => z.number().int();
const items = (shape: Record<string, z.ZodType>) =>
  toSnapshot(defineSchema([defineModel('Item', { table: 'items', shape })]));
const v1 = items({ id: int(), qty: int(), name: z.string().max(40), status: z.enum(['a', 'b']) });

function plan(dialect: SqlDialect, to: Snapshot, transforms: Record<string, (old: never) => unknown>) {
  return planSqlMigration(diff(v1, to), { dialect, before: v1, transforms: { Item: transforms } });
}

/**
 * The steps as lines: `log writes` (the triggers created), `backfill <columns> (logged)`, `catch up` (or
 * `catch up (final)`) followed by the DDL folded into it (MySQL), and the other steps' descriptions, with
 * the hash of evolve's own names left out.
 */
function outline(steps: readonly CompiledStep[]): string[] {
  const plain = (text: string) => text.replace(/_[0-9a-f]{8}\b/g, '');
  return steps.flatMap((s) => {
    if (s.catchUp) {
      const folded = s.description.split('; ').slice(1);
      return [`catch up${s.catchUp.final ? ' (final)' : ''}`, ...folded.map(plain)];
    }
    if (s.backfill) {
      return [
        `backfill ${plain(Object.keys(s.backfill.set).join(', '))}${s.backfill.changeLog ? ' (logged)' : ''}`,
      ];
    }
    return [s.description.startsWith('log writes') ? 'log writes' : plain(s.description)];
  });
}

const ALL: SqlDialect[] = ['postgres', 'mysql', 'sqlite'];

describe('change logs woven into compiled steps', () => {
  it.each(ALL)(
    '%s: a shadow-column type change logs writes from before its backfill to the swap',
    (dialect) => {
      const to = items({ ...v1Shape(), qty: z.string().max(20) });
      const steps = plan(dialect, to, { qty: () => 'x' });
      const lines = outline(steps);
      const log = lines.indexOf('log writes');
      expect(lines[log + 1]).toBe('backfill _evolve_qty (logged)');
      expect(lines.filter((l) => l.startsWith('catch up'))).toEqual(['catch up (final)']);
      // the swap follows the final catch-up at once: in its transaction, or under its LOCK TABLES on MySQL
      const catchUp = lines.indexOf('catch up (final)');
      expect(lines[catchUp + 1]).toMatch(/^drop column items\.qty/);
      expect(lines[catchUp + 2]).toMatch(/^rename column items\._evolve_qty to qty/);
      const backfill = steps.find((s) => s.backfill)?.backfill;
      expect(backfill?.changeLog?.columns).toEqual([expect.stringMatching(/^_evolve_qty_[0-9a-f]{8}$/)]);
      expect(backfill?.required).toEqual(backfill?.changeLog?.columns);
    },
  );

  it.each(ALL)('%s: a new required field gets its values before NOT NULL is enforced', (dialect) => {
    const to = items({ ...v1Shape(), label: z.string().max(60) });
    const lines = outline(plan(dialect, to, { label: () => 'x' }));
    expect(lines.indexOf('log writes')).toBe(lines.indexOf('backfill label (logged)') - 1);
    const catchUp = lines.indexOf('catch up (final)');
    expect(catchUp).toBeGreaterThan(lines.indexOf('backfill label (logged)'));
    expect(lines[catchUp + 1]).toMatch(
      /^(add check items_label_not_null|set not null on items\.label|rebuild table items to set label not null)/,
    );
  });

  it.each(ALL)(
    '%s: with a type change and a new required field, NOT NULL of the new field comes before the swap, each after a catch-up',
    (dialect) => {
      const to = items({ ...v1Shape(), qty: z.string().max(20), label: z.string().max(60) });
      const lines = outline(plan(dialect, to, { qty: () => 'x', label: () => 'y' }));
      const notNull = lines.findIndex((l) =>
        /label not null|items_label_not_null|not null on items\.label/.test(l),
      );
      const drop = lines.findIndex((l) => l.startsWith('drop column items.qty'));
      expect(lines[notNull - 1]).toBe('catch up');
      expect(lines[drop - 1]).toBe('catch up (final)');
      expect(notNull).toBeLessThan(drop);
    },
  );

  it.each(ALL)(
    '%s: an in-place transform logs changes of its column only, and from a catch-up on the removed enum value is refused; a table created by the migration gets no change log',
    (dialect) => {
      const to = items({ ...v1Shape(), status: z.enum(['a']) });
      const steps = plan(dialect, to, { status: () => 'a' });
      const lines = outline(steps);
      expect(lines.indexOf('log writes')).toBe(lines.indexOf('backfill status (logged)') - 1);
      // the CHECK without 'b' directly follows a catch-up (folded into it on MySQL, in its transaction on
      // PostgreSQL and SQLite): every write before it was transformed, every write of 'b' after it fails;
      // the rows are validated after it; the log, which still transforms the other writes, stops at the end
      const swap = lines.findIndex((l) =>
        /^(check items\.status in \(a\)|rebuild table items to check status in \(a\))/.test(l),
      );
      expect(swap).toBeGreaterThan(lines.indexOf('backfill status (logged)'));
      expect(lines[swap - 1]).toBe('catch up');
      const validate = lines.findIndex((l) => /^validate items[._]status.*writes of b fail/.test(l));
      expect(validate).toBeGreaterThan(swap);
      expect(steps.find((s) => /writes of b fail/.test(s.description))?.destructive).toBe(true);
      expect(lines.at(-1)).toBe('catch up (final)');
      const log = steps.find((s) => s.backfill)?.backfill?.changeLog;
      expect(log?.columns).toEqual(['status']);
      expect(log?.inPlace).toEqual(['status']);
      const triggers = log?.rearm.map((q) => q.sql).join('\n') ?? '';
      // an update is logged only when it changes the column (no source column's update is)
      const changed = {
        postgres: /"status" is distinct from NEW\."status"/,
        sqlite: /OLD\."status" is not NEW\."status"/,
        mysql: /not \(binary OLD\.`status` <=> binary NEW\.`status`\)/,
      }[dialect];
      expect(triggers).toMatch(changed);
      expect(triggers).not.toMatch(/update of "qty"|update of `qty`|OLD\.`qty`/);
      const fresh = planSqlMigration(diff(toSnapshot(defineSchema([])), to), {
        dialect,
        before: toSnapshot(defineSchema([])),
      });
      expect(outline(fresh).some((l) => l === 'log writes')).toBe(false);
    },
  );

  it('keeps every name evolve creates for a change log within 63 characters, unique to the table and columns', () => {
    const long = `t_${'x'.repeat(60)}`;
    const snap = (shape: Record<string, z.ZodType>) =>
      toSnapshot(defineSchema([defineModel('Item', { table: long, shape })]));
    const from = snap({ id: int(), qty: int() });
    const to = snap({ id: int(), qty: z.string().max(20) });
    for (const dialect of ALL) {
      const steps = planSqlMigration(diff(from, to), {
        dialect,
        before: from,
        transforms: { Item: { qty: () => 'x' } },
      });
      const text = steps
        .flatMap((s) => [
          ...s.statements,
          ...(s.catchUp ? [...s.catchUp.lock, ...s.catchUp.disarm, ...s.catchUp.drop] : []),
        ])
        .map((q) => q.sql)
        .join('\n');
      const names = [...text.matchAll(/_evolve_(?:log|sync)_[A-Za-z0-9_]+/g)].map((m) => m[0]);
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => n.length > 63)).toEqual([]);
    }
  });
});

function v1Shape() {
  return { id: int(), qty: int(), name: z.string().max(40), status: z.enum(['a', 'b']) };
}
