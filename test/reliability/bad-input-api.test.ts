import { defineMigration, type Migration, migrationChecksum, todo } from '@evolve/core';
import { DIALECT_OF, describeSqlEngines, kyselyFor } from '@evolve/harness';
import { migrate } from '@evolve/sql';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { ACCOUNT_MIGRATIONS } from './support/account-history.ts';
import { dropAccounts, holdingMigrationLock, JOURNAL, seedAccounts } from './support/accounts-db.ts';
import { DEFINITION_INPUTS } from './support/bad-input-definitions.ts';
import {
  atV2,
  atV3,
  type BadInput,
  type Env,
  edited,
  m1,
  m2,
  m3,
  m4,
  ROWS,
  run,
} from './support/bad-input-kit.ts';
import { MIGRATION_INPUTS } from './support/bad-input-migrations.ts';
import { dumpDatabase } from './support/dump-database.ts';
import { errorOf, type SeenError } from './support/error-of.ts';
import { lazySqlite } from './support/lazy-sqlite.ts';

/**
 * Malformed inputs given to migrate() directly: each must come back as an error with a stable code and a
 * message naming what is wrong, and leave the database byte-for-byte as it was (schema and data dumped
 * before and after). The database is at v2 (0001, 0002 applied) with accounts in it unless a row says
 * otherwise. File and config inputs go through the CLI in bad-input-cli.test.ts.
 */
const CORPUS: BadInput[] = [
  ...DEFINITION_INPUTS,
  ...MIGRATION_INPUTS,
  {
    name: 'a TODO transform left in the pending migration',
    code: 'TODO_TRANSFORM',
    names: /Account\.balanceLabel/,
    setup: atV3,
    act: run(edited(3, { transforms: { Account: { balanceLabel: todo('Account.balanceLabel') } } })),
  },
  {
    name: 'a TODO transform on a database never migrated before',
    code: 'TODO_TRANSFORM',
    names: /Account\.displayName/,
    setup: async () => {},
    act: run(edited(1, { transforms: { Account: { displayName: todo('Account.displayName') } } })),
  },
  {
    name: 'a pending migration without the transform its backfill needs',
    code: 'INVALID_MIGRATION',
    names: /Account\.balanceLabel/,
    setup: atV3,
    act: run(edited(3, { transforms: {} })),
  },
  {
    name: 'a transform that throws',
    code: 'TRANSFORM_FAILED',
    names: /Account\.balanceLabel.*(row|1)/,
    setup: atV3,
    act: run(
      edited(3, {
        transforms: {
          Account: {
            balanceLabel: () => {
              throw new Error('no label today');
            },
          },
        },
      }),
    ),
  },
  {
    name: 'a transform that throws on a row in the middle of the table',
    code: 'TRANSFORM_FAILED',
    names: /Account\.balanceLabel.*(row|21)/,
    setup: atV3,
    act: run(
      edited(3, {
        transforms: {
          Account: {
            balanceLabel: (old) => {
              if (old.id === 21) throw new Error('row 21 is odd');
              return `${old.balance} EUR`;
            },
          },
        },
      }),
      { batchSize: 10 },
    ),
  },
  {
    name: 'a transform that returns the wrong shape (an object for a string field)',
    code: 'TRANSFORM_FAILED',
    names: /Account\.balanceLabel/,
    setup: atV3,
    act: run(edited(3, { transforms: { Account: { balanceLabel: (old) => ({ amount: old.balance }) } } })),
  },
  {
    name: 'a transform that returns nothing for a required field',
    code: 'TRANSFORM_FAILED',
    names: /Account\.balanceLabel/,
    setup: atV3,
    act: run(edited(3, { transforms: { Account: { balanceLabel: () => undefined } } })),
  },
  {
    name: 'an applied migration whose changes were edited (checksum differs from the journal)',
    code: 'CHECKSUM_MISMATCH',
    names: /0002_add_display_name/,
    act: run(
      edited(1, {
        changes: m2.changes.map((c) =>
          c.kind === 'addField' ? { ...c, path: ['displayName2'] } : c,
        ) as never,
      }),
    ),
  },
  {
    name: 'an applied migration acknowledged differently after it ran',
    code: 'CHECKSUM_MISMATCH',
    names: /0001_create_accounts/,
    act: run(edited(0, { acknowledge: ['*'] })),
  },
  {
    name: 'migrations listed out of order',
    code: 'INVALID_MIGRATION',
    names: /0003_add_tier|0004_add_balance_label/,
    act: run([m1, m2, m4, m3]),
  },
  {
    name: 'a migration listed twice',
    code: 'INVALID_MIGRATION',
    names: /0003_add_tier/,
    act: run([m1, m2, m3, m3, m4]),
  },
  {
    name: 'a migration id that is not NNNN_slug',
    code: 'INVALID_MIGRATION',
    names: /add_tier/,
    act: run([m1, m2, defineMigration({ ...m3, id: 'add_tier' })]),
  },
  {
    name: 'a pending migration whose from-hash does not follow the previous migration',
    code: 'INVALID_MIGRATION',
    names: /0004_add_balance_label/,
    setup: atV3,
    act: run([m1, m2, m3, defineMigration({ ...m4, from: m2.to })]),
  },
  {
    name: 'a database at a newer version than the code',
    code: 'DATABASE_AHEAD',
    names: /0003_add_tier|0004_add_balance_label/,
    setup: async (env) => {
      await seedAccounts(env.db, ROWS);
      const r = await migrate(env.db, { migrations: ACCOUNT_MIGRATIONS });
      if (r.error) throw r.error;
    },
    act: run([m1, m2]),
  },
  {
    name: 'a migration merged late (older than the newest applied, never applied)',
    code: 'OUT_OF_ORDER',
    names: /0002_add_display_name/,
    setup: async (env) => {
      // The journal says 0001 and 0003 ran (0003 came first on another branch).
      await atV2(env);
      await env.db.deleteFrom(JOURNAL).where('id', '=', m2.id).execute();
      await env.db
        .insertInto(JOURNAL)
        .values({
          id: m3.id,
          sequence: 3,
          checksum: migrationChecksum(m3),
          applied_at: new Date(0).toISOString(),
          duration_ms: 1,
        })
        .execute();
    },
    act: run(ACCOUNT_MIGRATIONS),
  },
  {
    name: 'a target migration that is not in the list',
    code: 'NOT_FOUND',
    names: /0009_nope/,
    act: run(ACCOUNT_MIGRATIONS, { to: '0009_nope' }),
  },
  {
    name: 'the migration lock held by another session past lockTimeoutMs',
    code: 'LOCK_TIMEOUT',
    names: /lock/,
    act: async (env) =>
      holdingLock(env, () =>
        errorOf(() => migrate(env.db, { migrations: ACCOUNT_MIGRATIONS, lockTimeoutMs: 300 })),
      ),
  },
  {
    name: 'an unreachable database (closed port)',
    code: 'CONNECTION_FAILED',
    names: /127\.0\.0\.1|ECONNREFUSED|connect/i,
    act: async (env) => {
      if (env.dialect === 'sqlite') {
        const db = lazySqlite('/nonexistent-dir/evolve/x.db');
        try {
          return await errorOf(() => migrate(db, { migrations: ACCOUNT_MIGRATIONS }));
        } finally {
          await db.destroy().catch(() => {});
        }
      }
      const address =
        env.dialect === 'postgres' ? 'postgres://postgres@127.0.0.1:1/test' : 'mysql://root@127.0.0.1:1/test';
      return withDb(env.dialect, address, (db) => migrate(db, { migrations: ACCOUNT_MIGRATIONS }));
    },
  },
  {
    name: 'wrong credentials',
    code: 'CONNECTION_FAILED',
    names: /evolve_nobody|denied|authentication|role/i,
    // SQLite files have no credentials.
    engines: ['postgres', 'mysql'],
    act: async (env) => {
      const u = new URL(env.url);
      u.username = 'evolve_nobody';
      u.password = 'wrong';
      return withDb(env.dialect, u.toString(), (db) => migrate(db, { migrations: ACCOUNT_MIGRATIONS }));
    },
  },
  {
    name: 'a pending migration numbered above 2^31 - 1 (a timestamp id)',
    code: 'INVALID_MIGRATION',
    names: /3000000000_add_note.*2147483647/,
    setup: atV3,
    act: run([m1, m2, m3, { ...m4, id: '3000000000_add_note' }]),
  },
  {
    name: 'migrations that are a string',
    code: 'INVALID_CONFIG',
    names: /migrations.*not string/,
    act: run('abc' as unknown as Migration[]),
  },
  {
    name: 'a migration list holding a number',
    code: 'INVALID_CONFIG',
    names: /migrations\[2\] is not a migration/,
    act: run([m1, m2, 3 as unknown as Migration]),
  },
  {
    name: 'a migration object without changes',
    code: 'INVALID_MIGRATION',
    names: /0003.*changes/,
    act: run([m1, m2, { id: m3.id } as unknown as Migration]),
  },
];

async function withDb(
  dialect: Env['dialect'],
  url: string,
  fn: (db: Kysely<any>) => Promise<unknown>,
): Promise<SeenError | undefined> {
  let db: Kysely<any> | undefined;
  try {
    db = await kyselyFor(dialect, url, { poolSize: 1 });
    return await errorOf(() => fn(db!));
  } catch (error) {
    return errorOf(() => {
      throw error;
    });
  } finally {
    await db?.destroy().catch(() => {});
  }
}

/** Runs `fn` while a second session holds evolve's migration lock. */
async function holdingLock(
  env: Env,
  fn: () => Promise<SeenError | undefined>,
): Promise<SeenError | undefined> {
  const other = await kyselyFor(env.dialect, env.url, { poolSize: 1 });
  try {
    return await holdingMigrationLock(other, fn);
  } finally {
    await other.destroy();
  }
}

describeSqlEngines(
  'bad input (programmatic)',
  (ctx, engine) => {
    it(`the corpus has at least 60 programmatic inputs (${CORPUS.length})`, () => {
      expect(CORPUS.length).toBeGreaterThanOrEqual(60);
    });
    for (const input of CORPUS.filter((i) => !i.engines || i.engines.includes(DIALECT_OF[engine]))) {
      it(`${input.name}: ${input.code}, named in the message, database unchanged`, async () => {
        const { db, dialect, url } = ctx();
        if (!url) throw new Error('needs a URL');
        const env: Env = { db, dialect, url };
        await dropAccounts(db);
        await (input.setup ?? atV2)(env);
        const before = await dumpDatabase(db, dialect);
        const error = await input.act(env);
        const after = await dumpDatabase(db, dialect);
        console.log(`[bad-input] ${engine}: ${input.name} -> ${error?.code}: ${error?.message}`);
        expect(error, 'an error came back').toBeDefined();
        expect(error?.code).toBe(input.code);
        expect(error?.message).toMatch(input.names);
        expect(after, 'database unchanged').toBe(before);
      });
    }
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
