import {
  defineMigration,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Model,
  toSnapshot,
} from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { migrate } from '@evolve/sql';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { z } from 'zod';
import { ACCOUNT_MIGRATIONS, buildAccountMigrations, seedAccount } from './support/account-history.ts';
import { dropAccounts, JOURNAL, seedAccounts } from './support/accounts-db.ts';
import { accountModels, createProject, evolveCli, type Project } from './support/cli-project.ts';
import { dumpDatabase } from './support/dump-database.ts';
import { errorOf } from './support/error-of.ts';

const ROWS = 30;

const Account = (withBalance: boolean) =>
  defineModel('Account', {
    table: 'accounts',
    shape: {
      id: z.number().int(),
      name: z.string().max(100),
      ...(withBalance ? { balance: z.number().int() } : {}),
    },
  });
const Note = defineModel('Note', {
  table: 'notes',
  shape: { id: z.number().int(), text: z.string().max(200) },
});

/** A history from model lists, the way the generator builds it. */
function history(versions: Model[][], acknowledge: (readonly string[] | undefined)[] = []): Migration[] {
  let prev = emptySnapshot();
  return versions.map((models, i) => {
    const next = toSnapshot(defineSchema(models));
    const changeSet = diff(prev, next);
    prev = next;
    const ack = acknowledge[i];
    return defineMigration({
      id: `000${i + 1}_v${i + 1}`,
      from: changeSet.from,
      to: changeSet.to,
      changes: changeSet.changes,
      ...(ack ? { acknowledge: ack } : {}),
    });
  });
}

const tables = async (db: Kysely<any>) =>
  (await db.introspection.getTables()).filter((t) => !t.name.startsWith('evolve_')).map((t) => t.name);

describeSqlEngines(
  'safe by default (migrate)',
  (ctx) => {
    beforeAll(async () => {
      await dropAccounts(ctx().db);
      await ctx().db.schema.dropTable('notes').ifExists().execute();
    });

    it('dropping a column that holds data is refused with UNACKNOWLEDGED_CHANGE until the migration acknowledges it', async () => {
      const { db, dialect } = ctx();
      await dropAccounts(db);
      const [create, drop] = history([[Account(true)], [Account(false)]]);
      expect((await migrate(db, { migrations: [create!] })).error).toBeUndefined();
      await db
        .insertInto('accounts')
        .values(Array.from({ length: ROWS }, (_, i) => seedAccount(i + 1)))
        .execute();
      const before = await dumpDatabase(db, dialect);
      const refused = await errorOf(() => migrate(db, { migrations: [create!, drop!] }));
      expect(refused?.code).toBe('UNACKNOWLEDGED_CHANGE');
      expect(refused?.message).toMatch(/balance/);
      expect(await dumpDatabase(db, dialect), 'nothing dropped').toBe(before);

      const [, acknowledged] = history([[Account(true)], [Account(false)]], [undefined, ['Account.balance']]);
      const result = await migrate(db, { migrations: [create!, acknowledged!] });
      expect(result.error).toBeUndefined();
      const columns = (await db.introspection.getTables())
        .find((t) => t.name === 'accounts')
        ?.columns.map((c) => c.name);
      expect(columns).not.toContain('balance');
      expect(await db.selectFrom('accounts').select('id').execute()).toHaveLength(ROWS);
    });

    it('dropping a table that holds data is refused until acknowledged (by model or with *)', async () => {
      const { db, dialect } = ctx();
      await dropAccounts(db);
      await db.schema.dropTable('notes').ifExists().execute();
      const [create, drop] = history([[Account(true), Note], [Account(true)]]);
      expect((await migrate(db, { migrations: [create!] })).error).toBeUndefined();
      await db.insertInto('notes').values({ id: 1, text: 'keep me' }).execute();
      const before = await dumpDatabase(db, dialect);
      const refused = await errorOf(() => migrate(db, { migrations: [create!, drop!] }));
      expect(refused?.code).toBe('UNACKNOWLEDGED_CHANGE');
      expect(refused?.message).toMatch(/Note|notes/);
      expect(await dumpDatabase(db, dialect)).toBe(before);

      const [, acknowledged] = history([[Account(true), Note], [Account(true)]], [undefined, ['*']]);
      expect((await migrate(db, { migrations: [create!, acknowledged!] })).error).toBeUndefined();
      expect(await tables(db)).not.toContain('notes');
    });

    it('a down migration that would lose data is refused until acknowledged (acknowledgeDataLoss or the migration file)', async () => {
      const { db, dialect } = ctx();
      await dropAccounts(db);
      await seedAccounts(db, ROWS);
      expect((await migrate(db, { migrations: ACCOUNT_MIGRATIONS })).error).toBeUndefined();
      const before = await dumpDatabase(db, dialect);
      // Reverting 0004 drops balanceLabel, which holds backfilled values.
      const refused = await errorOf(() =>
        migrate(db, { migrations: ACCOUNT_MIGRATIONS, to: '0003_add_tier' }),
      );
      expect(refused?.code).toBe('UNACKNOWLEDGED_CHANGE');
      expect(refused?.message).toMatch(/balanceLabel/);
      expect(await dumpDatabase(db, dialect), 'nothing reverted').toBe(before);

      const reverted = await migrate(db, {
        migrations: ACCOUNT_MIGRATIONS,
        to: '0003_add_tier',
        acknowledgeDataLoss: true,
      });
      expect(reverted.error).toBeUndefined();
      expect((await db.selectFrom(JOURNAL).select('id').execute()).map((r) => r.id)).not.toContain(
        '0004_add_balance_label',
      );

      // A migration that acknowledged the loss in its file (before it was applied) reverts without the flag.
      await dropAccounts(db);
      await seedAccounts(db, ROWS);
      const acknowledgedHistory = buildAccountMigrations([
        undefined,
        undefined,
        undefined,
        { acknowledge: ['Account.balanceLabel'] },
      ]);
      expect((await migrate(db, { migrations: acknowledgedHistory })).error).toBeUndefined();
      const down = await migrate(db, { migrations: acknowledgedHistory, to: '0003_add_tier' });
      expect(down.error).toBeUndefined();
    });
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);

let project: Project;
beforeAll(async () => {
  project = createProject(accountModels());
  const r = await evolveCli(project, ['generate', 'create_accounts']);
  if (r.code !== 0) throw new Error(`generate failed: ${r.stdout}${r.stderr}`);
}, 60_000);
afterAll(() => project?.remove());

describeSqlEngines(
  'safe by default (CLI)',
  (ctx, engine) => {
    it('up refuses a generated drop of a column with data and check flags it, until the file acknowledges it; a lossy down is refused too', async () => {
      const { db, dialect, url } = ctx();
      const env = { DATABASE_URL: url ?? '' };
      await dropAccounts(db);
      const p = project.copy();
      try {
        expect((await evolveCli(p, ['up'], env)).code).toBe(0);
        await db
          .insertInto('accounts')
          .values(Array.from({ length: ROWS }, (_, i) => seedAccount(i + 1)))
          .execute();
        // Reverting the first migration would drop the table with its rows: refused without --yes.
        const beforeDown = await dumpDatabase(db, dialect);
        const downRefused = await evolveCli(p, ['down', '--to', '0'], env);
        expect(downRefused.code).not.toBe(0);
        expect(downRefused.error?.code).toBe('UNACKNOWLEDGED_CHANGE');
        expect(downRefused.error?.message).toMatch(/Account|accounts/);
        expect(await dumpDatabase(db, dialect), 'down refused: database unchanged').toBe(beforeDown);

        p.write('src/models.ts', accountModels({ dropBalance: true }));
        const generated = await evolveCli(p, ['generate', 'drop_balance']);
        expect(generated.code, generated.stderr).toBe(0);

        const checked = await evolveCli(p, ['check', '--format', 'json']);
        const findings = (
          JSON.parse(checked.stdout) as { findings: { code: string; path?: string; message: string }[] }
        ).findings;
        expect(checked.code).toBe(1);
        expect(findings.find((f) => f.code === 'UNACKNOWLEDGED_CHANGE')?.message).toMatch(/Account\.balance/);

        const before = await dumpDatabase(db, dialect);
        const refused = await evolveCli(p, ['up'], env);
        expect(refused.code).not.toBe(0);
        expect(refused.error?.code).toBe('UNACKNOWLEDGED_CHANGE');
        expect(refused.error?.message).toMatch(/balance/);
        expect(await dumpDatabase(db, dialect), 'up refused: database unchanged').toBe(before);

        // The reviewer acknowledges the drop in the migration file and re-hashes deliberately.
        const file = 'migrations/0002_drop_balance.ts';
        p.write(file, p.read(file).replace('acknowledge: []', "acknowledge: ['Account.balance']"));
        expect((await evolveCli(p, ['hash'])).code).toBe(0);
        const clean = await evolveCli(p, ['check', '--format', 'json']);
        expect(clean.code, clean.stdout).toBe(0);
        const applied = await evolveCli(p, ['up'], env);
        expect(applied.code, applied.stderr).toBe(0);
        const columns = (await db.introspection.getTables())
          .find((t) => t.name === 'accounts')
          ?.columns.map((c) => c.name);
        expect(columns).not.toContain('balance');

        console.log(
          `[safe] ${engine}: lossy down refused, up refused, check flagged, acknowledged drop applied`,
        );
      } finally {
        p.remove();
      }
    }, 90_000);
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
