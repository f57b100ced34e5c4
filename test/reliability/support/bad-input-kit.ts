import type { Migration } from '@evolve/core';
import { migrate } from '@evolve/sql';
import type { Kysely } from 'kysely';
import { ACCOUNT_MIGRATIONS, buildAccountMigrations } from './account-history.ts';
import { seedAccounts } from './accounts-db.ts';
import { errorOf, type SeenError } from './error-of.ts';

/** What bad-input-api.test.ts's inputs get: the engine's database at the state their setup left. */
export interface Env {
  db: Kysely<any>;
  dialect: 'postgres' | 'mysql' | 'sqlite';
  url: string;
}

export interface BadInput {
  name: string;
  code: string;
  /** The message must name what is wrong. */
  names: RegExp;
  /** The state before the input arrives (default: v2 with 40 accounts). */
  setup?: (env: Env) => Promise<void>;
  /** Engines the input applies to (default all). */
  engines?: readonly Env['dialect'][];
  act: (env: Env) => Promise<SeenError | undefined>;
}

export const ROWS = 40;
export const [m1, m2, m3, m4] = ACCOUNT_MIGRATIONS as [Migration, Migration, Migration, Migration];

export async function atV2(env: Env): Promise<void> {
  await seedAccounts(env.db, ROWS);
  const r = await migrate(env.db, { migrations: [m1, m2] });
  if (r.error) throw r.error;
}

/** A copy of migration `i` of the history with fields replaced (the history re-derived, not mutated). */
export function edited(i: number, patch: Partial<Migration>): Migration[] {
  const overrides: (Partial<Migration> | undefined)[] = [];
  overrides[i] = patch;
  return [...buildAccountMigrations(overrides)];
}

/** Only the migration under test is pending (0001-0003 applied). */
export async function atV3(env: Env): Promise<void> {
  await seedAccounts(env.db, ROWS);
  const r = await migrate(env.db, { migrations: [m1, m2, m3] });
  if (r.error) throw r.error;
}

export const run =
  (migrations: readonly Migration[], extra: Record<string, unknown> = {}) =>
  (env: Env) =>
    errorOf(() => migrate(env.db, { migrations, ...extra }));

/** An input refused before any database work: the function's error, the database untouched. */
export const pure = (fn: () => unknown) => () => errorOf(fn);
