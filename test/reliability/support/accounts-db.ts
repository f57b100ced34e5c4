import { randomUUID } from 'node:crypto';
import { type Migration, migrationChecksum } from '@evolve/core';
import { capabilitiesFor, migrate } from '@evolve/sql';
import { type Kysely, sql } from 'kysely';
// The lease internals: these helpers inspect and hold evolve's lock the way another instance would.
import { releaseLease } from '../../../packages/sql/src/runtime/lease.ts';
import { readLockRow } from '../../../packages/sql/src/runtime/lock-table.ts';
import { processGone } from '../../../packages/sql/src/runtime/process-identity.ts';
import { takeLease } from '../../../packages/sql/src/runtime/take-lease.ts';
import { ACCOUNT_MIGRATIONS, expectedAccount, seedAccount } from './account-history.ts';
import type { DumpDialect } from './dump-database.ts';

export const JOURNAL = 'evolve_migrations';
export const STEPS = 'evolve_migration_steps';
const LOCK = 'evolve_lock';

/** Brings a fresh database to v1 (0001_create_accounts) and inserts `count` accounts. */
export async function seedAccounts(db: Kysely<any>, count: number): Promise<void> {
  const result = await migrate(db, { migrations: ACCOUNT_MIGRATIONS.slice(0, 1) });
  if (result.error) throw result.error;
  const chunk = 500;
  for (let start = 1; start <= count; start += chunk) {
    const rows = [];
    for (let id = start; id < Math.min(start + chunk, count + 1); id++) rows.push(seedAccount(id));
    await db.insertInto('accounts').values(rows).execute();
  }
}

/** Drops every table the account history and the runner create (to reuse a database for a new round). */
export async function dropAccounts(db: Kysely<any>): Promise<void> {
  for (const table of ['accounts', JOURNAL, STEPS, LOCK]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}

export interface AccountCheck {
  rows: number;
  /** Rows whose values differ from what the latest version must hold (at most 5 shown). */
  wrong: { id: number; actual: Record<string, unknown>; expected: Record<string, unknown> }[];
  missing: number[];
  duplicated: number[];
}

/** Compares every account with the value it must have at the latest version. */
export async function checkAccounts(
  db: Kysely<any>,
  count: number,
  expectedOf: (id: number) => Record<string, unknown> = expectedAccount,
): Promise<AccountCheck> {
  const rows = await db
    .selectFrom('accounts')
    .select(['id', 'name', 'balance', 'displayName', 'tier', 'balanceLabel'])
    .execute();
  const seen = new Map<number, number>();
  const wrong: AccountCheck['wrong'] = [];
  for (const row of rows) {
    const id = Number(row.id);
    seen.set(id, (seen.get(id) ?? 0) + 1);
    const expected = expectedOf(id);
    const balance = typeof expected.balance === 'number' ? Number(row.balance) : row.balance;
    const actual = { ...row, id, balance };
    if (
      JSON.stringify(actual, Object.keys(expected).sort()) !==
      JSON.stringify(expected, Object.keys(expected).sort())
    ) {
      if (wrong.length < 5) wrong.push({ id, actual, expected });
    }
  }
  const missing: number[] = [];
  for (let id = 1; id <= count; id++) if (!seen.has(id)) missing.push(id);
  const duplicated = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
  return { rows: rows.length, wrong, missing: missing.slice(0, 10), duplicated };
}

/** Cheap invariants that must hold at any moment, even right after a kill: no account lost or duplicated. */
export async function accountIdsIntact(db: Kysely<any>, count: number): Promise<boolean> {
  const { rows } = await sql<{ n: string | number; s: string | number; d: string | number }>`
    select count(*) as n, sum(id) as s, count(distinct id) as d from accounts`.execute(db);
  const r = rows[0];
  return Number(r?.n) === count && Number(r?.d) === count && Number(r?.s) === (count * (count + 1)) / 2;
}

export interface JournalRow {
  id: string;
  checksum: string;
}

export async function readJournal(db: Kysely<any>): Promise<JournalRow[]> {
  const rows = await db.selectFrom(JOURNAL).select(['id', 'checksum']).orderBy('id').execute();
  return rows.map((r) => ({ id: String(r.id), checksum: String(r.checksum) }));
}

/** Problems with the journal compared to a migration list applied in full: missing, extra, bad checksums. */
export function journalProblems(journal: readonly JournalRow[], migrations: readonly Migration[]): string[] {
  const problems: string[] = [];
  const ids = journal.map((r) => r.id);
  if (new Set(ids).size !== ids.length) problems.push(`duplicate journal ids: ${ids.join(', ')}`);
  for (const m of migrations) {
    const row = journal.find((r) => r.id === m.id);
    if (!row) problems.push(`${m.id} missing from the journal`);
    else if (row.checksum !== migrationChecksum(m)) problems.push(`${m.id} recorded with another checksum`);
  }
  for (const id of ids) {
    if (!migrations.some((m) => m.id === id)) problems.push(`unknown journal id ${id}`);
  }
  return problems;
}

/**
 * Whether evolve's migration lock is held by anyone: its lease row names an owner, the lease has not run
 * out by the database's clock, and the owner is not a process of this machine that no longer exists (a
 * lease left by a killed process is not held: the next migrator takes it over at once, see
 * `staleSqliteLeases`). The same lease row on every dialect.
 */
export async function migrationLockHeld(db: Kysely<any>, _dialect?: DumpDialect): Promise<boolean> {
  const row = await readLockRow(db, capabilitiesFor(db));
  return row?.owner != null && row.expiresAt > row.now && !processGone(row);
}

/** Lease rows (any dialect) whose owner process, on this machine, no longer exists: 0 or 1. */
export async function staleSqliteLeases(db: Kysely<any>): Promise<number> {
  const row = await readLockRow(db, capabilitiesFor(db));
  return row?.owner != null && processGone(row) ? 1 : 0;
}

/**
 * Holds evolve's migration lock while `work` runs, as another instance of the application would (a 60 s
 * lease from this process), and releases it afterwards.
 */
export async function holdingMigrationLock<T>(db: Kysely<any>, work: () => Promise<T>): Promise<T> {
  const attempt = await takeLease(db, capabilitiesFor(db), {
    owner: `test-${randomUUID()}`,
    leaseMs: 60_000,
  });
  if (!('lease' in attempt)) throw new Error('the migration lock is held already');
  try {
    return await work();
  } finally {
    await releaseLease(db, attempt.lease);
  }
}

/** Step-progress rows left behind (a converged run clears the progress of the migrations it finished). */
export async function leftoverProgress(db: Kysely<any>): Promise<string[]> {
  const rows = await db.selectFrom(STEPS).select(['migration_id', 'step_index', 'status']).execute();
  return rows.map((r) => `${r.migration_id}#${r.step_index}:${r.status}`);
}
