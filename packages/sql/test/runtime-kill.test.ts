import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describeSqlEngines } from '@evolve/harness';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { migrate } from '../src/runtime/index.ts';
import { KILL_TABLE, killMigration } from './fixtures/runtime-kill-migration.ts';
import { resetJournal, seedRows, settlePoolsAfterAll, testCompile } from './fixtures/runtime-migrations.ts';

const ROWS = 300;
const child = fileURLToPath(new URL('./fixtures/runtime-kill-child.ts', import.meta.url));
const root = fileURLToPath(new URL('../../..', import.meta.url));

/** Starts the child, waits until it reports `killAfter` rows done, then SIGKILLs it. */
function runAndKill(
  dialect: string,
  url: string,
  killAfter: number,
): Promise<{ rowsAtKill: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dialect, url], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let rows = 0;
    let finished = false;
    let stderr = '';
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) {
        const match = /^rows (\d+)/.exec(line);
        if (match) rows = Number(match[1]);
        if (line.startsWith('done')) finished = true;
      }
      if (rows >= killAfter && proc.exitCode === null && !proc.killed) proc.kill('SIGKILL');
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve({ rowsAtKill: rows, finished });
      else reject(new Error(`child exited with ${code} before it was killed: ${stderr}`));
    });
  });
}

describeSqlEngines(
  'migrate: backfill killed mid-way',
  (ctx, engine) => {
    settlePoolsAfterAll(ctx);
    it('resumes after SIGKILL and transforms every row exactly once', async () => {
      const { db, url } = ctx();
      await resetJournal(db);
      await sql`drop table if exists ${sql.table(KILL_TABLE)}`.execute(db);
      await sql`create table ${sql.table(KILL_TABLE)} (id integer primary key, label varchar(100))`.execute(
        db,
      );
      await seedRows(db, KILL_TABLE, ROWS);

      const killed = await runAndKill(engine === 'postgres' ? 'postgres' : engine, url!, 60);
      expect(killed.finished).toBe(false);
      const partial = await db.selectFrom(KILL_TABLE).select('label').execute();
      const starred = partial.filter((r) => String(r.label).endsWith('*')).length;
      expect(starred).toBeGreaterThanOrEqual(60);
      expect(starred).toBeLessThan(ROWS);

      const rerun = await migrate(db, {
        migrations: [killMigration()],
        compile: testCompile,
        batchSize: 50,
        lockTimeoutMs: 20_000,
      });
      expect(rerun.error).toBeUndefined();
      const rows = await db.selectFrom(KILL_TABLE).select(['id', 'label']).orderBy('id').execute();
      expect(rows.map((r) => r.label)).toEqual(Array.from({ length: ROWS }, (_, i) => `r${i + 1}*`));
    });
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
