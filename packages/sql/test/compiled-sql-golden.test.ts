import { applyChanges, emptySnapshot, type Migration, type Snapshot } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import exampleMigrations from '../../../apps/example/migrations/index.ts';
import type { CompiledStep, SqlDialect } from '../src/compiled-step.ts';
import { compileMigration } from '../src/plan/compile-migration.ts';
import { buildHistory } from './fixtures/history-every-change.ts';

// Guards the dialect compilers against unintended changes: every step of the 8-version history (every SQL
// change kind, planned from `changes` and from the generated `sql` section) and of the example app, up and
// down, compiled per dialect, must stay byte-identical to the recorded text.

/** A compiled query as text: its SQL and parameters (the operation node and query id are not output). */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  if (typeof record.sql === 'string' && Array.isArray(record.parameters)) {
    return { sql: record.sql, parameters: record.parameters };
  }
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
}

function render(label: string, steps: readonly CompiledStep[]): string {
  return `== ${label}\n${steps.map((s) => JSON.stringify(plain(s))).join('\n')}\n`;
}

function compileAll(name: string, migrations: readonly Migration[], dialect: SqlDialect): string {
  let before: Snapshot = emptySnapshot();
  let out = '';
  for (const migration of migrations) {
    for (const direction of ['up', 'down'] as const) {
      out += render(
        `${name} ${migration.id} ${direction}`,
        compileMigration(migration, { dialect, before, direction }),
      );
    }
    before = applyChanges(before, {
      from: migration.from,
      to: migration.to,
      changes: [...migration.changes],
    });
  }
  return out;
}

const histories: [string, readonly Migration[]][] = [
  ['history', buildHistory().map((v) => v.migration)],
  ['history-sql-section', buildHistory({ sqlSection: true }).map((v) => v.migration)],
  ['example', exampleMigrations],
];

describe('compiled SQL stays byte-identical', () => {
  for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
    it(`${dialect}: the history and the example app compile to the recorded SQL`, async () => {
      const text = histories.map(([name, migrations]) => compileAll(name, migrations, dialect)).join('');
      await expect(text).toMatchFileSnapshot(`./fixtures/compiled-sql/${dialect}.txt`);
    });
  }
});
