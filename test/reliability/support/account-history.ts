import {
  defineMigration,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Row,
  type Snapshot,
  type Transforms,
  toSnapshot,
} from '@evolve/core';
import { z } from 'zod';

/**
 * A small real model history for the reliability suites, built the way `evolve generate` builds one:
 * defineModel -> toSnapshot -> diff -> { id, from, to, changes, transforms }. No `sql` section, so the SQL
 * planner plans every step from `changes`.
 *
 * v1 0001_create_accounts   accounts(id, name, balance)
 * v2 0002_add_display_name  + displayName (required, derived from name and id: a TS backfill over every row)
 * v3 0003_add_tier          + tier (enum with a constant default) and an index on displayName
 * v4 0004_add_balance_label + balanceLabel (required, derived from balance: a second TS backfill)
 */
const v1 = defineModel('Account', {
  table: 'accounts',
  shape: { id: z.number().int(), name: z.string().max(100), balance: z.number().int() },
});
const v2 = defineModel('Account', {
  table: 'accounts',
  shape: { ...v1.shape, displayName: z.string().max(200) },
});
const v3 = defineModel('Account', {
  table: 'accounts',
  shape: { ...v2.shape, tier: z.enum(['free', 'pro']).default('free') },
  indexes: [{ fields: ['displayName'] }],
});
const v4 = defineModel('Account', {
  table: 'accounts',
  shape: { ...v3.shape, balanceLabel: z.string().max(100) },
  indexes: [{ fields: ['displayName'] }],
});

/** The transforms, exported so tests can compute the expected value of every row. */
export const displayNameOf = (old: Row) => `${String(old.name).toUpperCase()}#${Number(old.id)}`;
export const balanceLabelOf = (old: Row) => `${Number(old.balance)} EUR`;

export const ACCOUNT_MODELS = [v1, v2, v3, v4] as const;
export const ACCOUNT_SNAPSHOTS: readonly Snapshot[] = ACCOUNT_MODELS.map((m) =>
  toSnapshot(defineSchema([m])),
);

const TRANSFORMS: (Transforms | undefined)[] = [
  undefined,
  { Account: { displayName: displayNameOf } },
  undefined,
  { Account: { balanceLabel: balanceLabelOf } },
];
const IDS = ['0001_create_accounts', '0002_add_display_name', '0003_add_tier', '0004_add_balance_label'];

/** Builds the migration list from the snapshots (optionally with extra fields per migration). */
export function buildAccountMigrations(
  overrides: readonly (Partial<Migration> | undefined)[] = [],
): readonly Migration[] {
  let prev = emptySnapshot();
  return ACCOUNT_SNAPSHOTS.map((next, i) => {
    const changeSet = diff(prev, next);
    prev = next;
    const transforms = TRANSFORMS[i];
    return defineMigration({
      id: IDS[i] as string,
      from: changeSet.from,
      to: changeSet.to,
      changes: changeSet.changes,
      ...(transforms ? { transforms } : {}),
      ...overrides[i],
    });
  });
}

/** The account history: four migrations, two of them with a TS backfill. */
export const ACCOUNT_MIGRATIONS: readonly Migration[] = buildAccountMigrations();

/** The seed row `id` as inserted at v1. */
export function seedAccount(id: number): { id: number; name: string; balance: number } {
  return { id, name: `name-${id}`, balance: (id * 7919) % 100_000 };
}

/** What row `id` must hold at the latest version. */
export function expectedAccount(id: number): Record<string, unknown> {
  const old = seedAccount(id);
  return {
    ...old,
    displayName: displayNameOf(old),
    tier: 'free',
    balanceLabel: balanceLabelOf(old),
  };
}

/** The crash suite's history goes one step further: a lossy type change done with a shadow column. */
const v5 = defineModel('Account', {
  table: 'accounts',
  shape: { ...v4.shape, balance: z.string().max(40) },
  indexes: [{ fields: ['displayName'] }],
});
/** v5 balance: not idempotent on purpose (a row transformed twice would read `B:B:…`). */
export const balanceTextOf = (old: Row) => `B:${String(old.balance)}`;

/** 0001-0004, then 0005_balance_as_text (balance number -> string through `balanceTextOf`, acknowledged). */
export const CRASH_MIGRATIONS: readonly Migration[] = (() => {
  const before = ACCOUNT_SNAPSHOTS[3] as Snapshot;
  const changeSet = diff(before, toSnapshot(defineSchema([v5])));
  return [
    ...ACCOUNT_MIGRATIONS,
    defineMigration({
      id: '0005_balance_as_text',
      from: changeSet.from,
      to: changeSet.to,
      changes: changeSet.changes,
      transforms: { Account: { balance: balanceTextOf } },
      acknowledge: ['Account.balance'],
    }),
  ];
})();

/** What row `id` must hold after CRASH_MIGRATIONS. */
export function expectedCrashAccount(id: number): Record<string, unknown> {
  const latest = expectedAccount(id);
  return { ...latest, balance: balanceTextOf(seedAccount(id)) };
}
