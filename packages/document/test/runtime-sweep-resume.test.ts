import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Row } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { createDocumentTable, createSqlDocumentStore, sweep } from '../src/runtime/index.ts';
import { settleConnectionsAfterAll } from './fixtures/runtime-settle.ts';
import { createUserUpgrader } from './fixtures/runtime-user-history.ts';

const CHILD = fileURLToPath(new URL('./fixtures/runtime-sweep-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOTAL = 2000;

/** Starts a sweep in a child process and SIGKILLs it once it reports `killAfter` scanned documents. */
function sweepAndKill(
  args: string[],
  killAfter: number,
): Promise<{ lastScanned: number; finished: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastScanned = 0;
    let finished = false;
    let stderr = '';
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('done')) finished = true;
        const m = /^progress (\d+)/.exec(line);
        if (m) lastScanned = Number(m[1]);
        if (lastScanned >= killAfter && child.exitCode === null) child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || finished) resolve({ lastScanned, finished });
      else reject(new Error(`sweep child exited with ${code}: ${stderr}`));
    });
  });
}

describeSqlEngines(
  'a killed sweep',
  (ctx) => {
    settleConnectionsAfterAll(ctx);
    it('resumes from its checkpoint and finishes with each document upgraded exactly once', async () => {
      const { db, url, dialect } = ctx();
      const table = `sweep_kill_${Date.now().toString(36)}`;
      await createDocumentTable(db, { table });
      const store = createSqlDocumentStore(db, { table });
      const docs: Row[] = Array.from({ length: TOTAL }, (_, i) => {
        const _id = `k${String(i).padStart(5, '0')}`;
        return i % 2 ? { _id, name: `N${i}` } : { _id, _v: 2, fullName: `N${i}` };
      });
      for (let i = 0; i < docs.length; i += 500) await store.insert(docs.slice(i, i + 500));

      const killed = await sweepAndKill([dialect, url!, table, '25', '1500'], 300);
      expect(killed.finished).toBe(false);
      const upgradedBefore = await store.count({ _v: 3 });
      expect(upgradedBefore).toBeGreaterThanOrEqual(300);
      expect(upgradedBefore).toBeLessThan(TOTAL);

      const upgrader = createUserUpgrader();
      const resumed = await sweep(store, upgrader, { batchSize: 100 });
      expect(resumed.resumed).toBe(true);
      expect(resumed.scanned).toBeLessThanOrEqual(TOTAL - killed.lastScanned);
      expect(resumed.upgraded + upgradedBefore).toBe(TOTAL);
      expect(await store.count({ _v: 3, upgradedTimes: 1 })).toBe(TOTAL);
      expect(await store.count({ upgradedTimes: { $ne: 1 } })).toBe(0);
      // One write per document: each revision went from absent to 1.
      expect(await store.count({ _rev: 1 })).toBe(TOTAL);
    });
  },
  { engines: ['sqlite', 'postgres'] },
);
