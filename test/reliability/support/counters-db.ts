import { createDocumentTable, createSqlDocumentStore } from '@evolve/document';
import { type Kysely, sql } from 'kysely';
import { counterId, expectedCounter, seedCounter } from './counter-history.ts';

/** (Re)creates the `counters` table with `count` documents as the v1 application stored them. */
export async function seedCounters(db: Kysely<any>, count: number): Promise<void> {
  await db.schema.dropTable('counters').ifExists().execute();
  await db.schema.dropTable('evolve_sweeps').ifExists().execute();
  await createDocumentTable(db, { table: 'counters' });
  const store = createSqlDocumentStore(db, { table: 'counters' });
  for (let start = 1; start <= count; start += 500) {
    const docs = [];
    for (let i = start; i < Math.min(start + 500, count + 1); i++) docs.push(seedCounter(i));
    await store.insert(docs);
  }
}

/** Every stored counter document, raw (not upgraded), by id. */
export async function rawCounters(db: Kysely<any>): Promise<Map<string, Record<string, unknown>>> {
  const { rows } = await sql<{ id: string; doc: unknown }>`select id, doc from counters`.execute(db);
  const out = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const doc = typeof r.doc === 'string' ? JSON.parse(r.doc) : r.doc;
    out.set(r.id, doc as Record<string, unknown>);
  }
  return out;
}

export interface CounterCheck {
  documents: number;
  missing: string[];
  /** Documents neither untouched (v1) nor correctly upgraded (at most 5 shown). */
  wrong: { id: string; actual: Record<string, unknown>; expected: Record<string, unknown> }[];
  wrongCount: number;
  atLatest: number;
}

/**
 * Compares every stored counter with what it may be: untouched at v1 (`allowOld`), or at v3 with the
 * expected fields and `increments[id]` (default 0) as its count. The revision field is ignored.
 */
export async function checkCounters(
  db: Kysely<any>,
  count: number,
  options: { allowOld?: boolean; increments?: Record<string, number> } = {},
): Promise<CounterCheck> {
  const docs = await rawCounters(db);
  const missing: string[] = [];
  const wrong: CounterCheck['wrong'] = [];
  let atLatest = 0;
  let wrongCount = 0;
  for (let i = 1; i <= count; i++) {
    const id = counterId(i);
    const doc = docs.get(id);
    if (!doc) {
      missing.push(id);
      continue;
    }
    const { _rev, ...fields } = doc;
    const expected = expectedCounter(i, options.increments?.[id] ?? 0);
    const { _id, ...expectedFields } = expected;
    const old = seedCounter(i);
    const { _id: _oldId, ...oldFields } = old;
    if (same(fields, expectedFields)) atLatest++;
    else if (!(options.allowOld && same(fields, oldFields))) {
      wrongCount++;
      if (wrong.length < 5) wrong.push({ id, actual: doc, expected });
    }
  }
  return { documents: docs.size, missing: missing.slice(0, 10), wrong, wrongCount, atLatest };
}

function same(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return false;
  return true;
}
