import { describeSqlEngines } from '@evolve/harness';
import { CompiledQuery } from 'kysely';
import { expect, it } from 'vitest';
import { postgresJsonDialect } from '../src/runtime/dialects/postgres-json-dialect.ts';
import { sqliteJsonDialect } from '../src/runtime/dialects/sqlite-json-dialect.ts';
import { createDocumentTable, createSqlDocumentStore } from '../src/runtime/index.ts';
import { sqlDocumentQueries } from '../src/runtime/sql-document-queries.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';

const OUTDATED = { $or: [{ _v: { $exists: true, $ne: 3 } }, { _v: { $exists: false } }] };

/** Node types of a PostgreSQL JSON plan, or the detail lines of SQLite's `explain query plan`. */
function planSteps(rows: Record<string, unknown>[]): string[] {
  if (rows[0] && 'QUERY PLAN' in rows[0]) {
    const raw = rows[0]['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: unknown }[];
    const steps: string[] = [];
    const walk = (node: { 'Node Type': string; Plans?: unknown[] }) => {
      steps.push(node['Node Type']);
      for (const child of node.Plans ?? []) walk(child as typeof node);
    };
    walk(plan[0]!.Plan as { 'Node Type': string });
    return steps;
  }
  return rows.map((row) => String(row.detail));
}

describeSqlEngines(
  'SQL document store keyset pages',
  (ctx, engine) => {
    settleConnectionsAfterAll(ctx);
    // Regression: `order by id asc nulls first` did not match the primary key's order on PostgreSQL, so every
    // page of a sweep scanned and sorted all rows after its key (quadratic in the table's size).
    it('reads a page in _id order from the primary key index, without sorting the rows after the key', async () => {
      const { db } = ctx();
      const table = `keyset_${Date.now().toString(36)}`;
      await createDocumentTable(db, { table });
      const store = createSqlDocumentStore(db, { table });
      const docs = Array.from({ length: 3000 }, (_, i) => ({
        _id: `p${String(i).padStart(5, '0')}`,
        name: `n${i}`,
      }));
      for (let i = 0; i < docs.length; i += 1000) await store.insert(docs.slice(i, i + 1000));
      const dialect = engine === 'sqlite' ? sqliteJsonDialect : postgresJsonDialect;
      if (engine !== 'sqlite') await db.executeQuery(CompiledQuery.raw(`analyze ${table}`));
      const page = sqlDocumentQueries(db, dialect, table)
        .select(OUTDATED, { sort: { _id: 1 }, limit: 100, after: 'p00100' })
        .compile(db);
      const explain = engine !== 'sqlite' ? 'explain (format json) ' : 'explain query plan ';
      const { rows } = await db.executeQuery<Record<string, unknown>>(
        CompiledQuery.raw(explain + page.sql, [...page.parameters]),
      );
      const steps = planSteps(rows);
      expect(steps.join(' | ')).not.toMatch(/Sort|TEMP B-TREE/i);
      expect(steps.join(' | ')).toMatch(/Index|PRIMARY KEY|sqlite_autoindex/i);
      const read: unknown[] = [];
      for await (const doc of store.find(OUTDATED, { sort: { _id: 1 }, limit: 3, after: 'p00100' }))
        read.push(doc._id);
      expect(read).toEqual(['p00101', 'p00102', 'p00103']);
    });
  },
  { engines: ['sqlite', 'pglite', 'postgres'] },
);
