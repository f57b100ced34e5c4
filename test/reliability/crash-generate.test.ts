import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountModels, createProject, evolveCli, type Project } from './support/cli-project.ts';
import { inBatches, REPO_ROOT, runChild } from './support/run-child.ts';
import { runSeed, seededRandom } from './support/seeded-random.ts';

/**
 * `evolve generate` writes the migration, index.ts, snapshot.json and evolve.sum as one set. Killed with
 * SIGKILL just before a file operation in the folder (a seeded sample of all of them; EVOLVE_GENERATE_KILLS=99
 * for every one) and at seeded random times, the folder is afterwards, once
 * the next command has read it, exactly as before the run or exactly as a finished run leaves it; `check`
 * says the same, and the next `generate` completes the set without writing a duplicate migration.
 */

const PRELOAD = join(REPO_ROOT, 'test/reliability/support/kill-at-fs-op.mjs');
const GENERATE = ['generate', 'add_tier'];
/** Kill points at file operations per run (`EVOLVE_GENERATE_KILLS`; every operation when it is larger). */
const KILLS = Number(process.env.EVOLVE_GENERATE_KILLS ?? 8);

/** Every entry of a folder (hidden ones and folders included, unless `visible`) with each file's content. */
function folderState(dir: string, visible = false): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => !visible || !join(d.parentPath, d.name).slice(dir.length).startsWith('/.evolve-tx'))
    .map((d) => {
      const path = join(d.parentPath, d.name).slice(dir.length);
      return d.isFile() ? `${path}\n${readFileSync(join(d.parentPath, d.name), 'utf8')}` : `${path}/`;
    })
    .sort()
    .join('\n');
}

/** `generate` in a child that counts its file operations in the migrations folder and dies at the n-th. */
function generateDyingAt(p: Project, op: number, extra: { count?: boolean; afterMs?: number } = {}) {
  return runChild('apps/cli/src/bin.ts', {
    args: GENERATE,
    cwd: p.dir,
    nodeArgs: ['--import', PRELOAD],
    env: {
      NO_COLOR: '1',
      EVOLVE_FS_OPS_UNDER: join(p.dir, 'migrations'),
      EVOLVE_KILL_AT_FS_OP: String(op),
      ...(extra.count ? { EVOLVE_COUNT_FS_OPS: '1' } : {}),
    },
    ...(extra.afterMs !== undefined ? { kill: { afterMs: extra.afterMs } } : {}),
    timeoutMs: 60_000,
  });
}

let base: Project;
let before: string;
let after: string;
let checkBefore: number | null;
let checkAfter: number | null;
let operations: number;
let fullRunMs: number;

beforeAll(async () => {
  base = createProject(accountModels());
  const first = await evolveCli(base, ['generate', 'create_accounts']);
  if (first.code !== 0) throw new Error(`generate failed: ${first.stdout}${first.stderr}`);
  base.write('src/models.ts', accountModels({ tier: true }));
  before = folderState(join(base.dir, 'migrations'));
  checkBefore = (await evolveCli(base.copy(), ['check', '--format', 'json'])).code;
  const done = base.copy();
  const run = await generateDyingAt(done, 0, { count: true });
  if (run.code !== 0) throw new Error(`generate failed: ${run.stdout}${run.stderr}`);
  operations = Number(/FSOPS (\d+)/.exec(run.stderr)?.[1]);
  fullRunMs = run.durationMs;
  after = folderState(join(done.dir, 'migrations'));
  checkAfter = (await evolveCli(done, ['check', '--format', 'json'])).code;
  done.remove();
}, 120_000);

afterAll(() => base?.remove());

/** After a killed generate: what the folder shows, what check says, and what the next generate leaves. */
async function settle(p: Project): Promise<'before' | 'after'> {
  const dir = join(p.dir, 'migrations');
  // Without a commit record the visible files are untouched or complete; only staged files may remain.
  if (!existsSync(join(dir, '.evolve-tx.json'))) expect([before, after]).toContain(folderState(dir, true));
  const check = await evolveCli(p, ['check', '--format', 'json']);
  const state = folderState(dir);
  expect([before, after], 'the folder after check').toContain(state);
  const which = state === before ? 'before' : 'after';
  expect(check.code, `check agrees that the folder is ${which}: ${check.stdout}`).toBe(
    which === 'before' ? checkBefore : checkAfter,
  );
  const again = await evolveCli(p, GENERATE);
  expect(again.code, again.stderr).toBe(0);
  expect(folderState(dir), 'the next generate completes the set, no duplicate').toBe(after);
  return which;
}

describe('generate killed with SIGKILL', () => {
  it('a generate that finishes writes the four files and leaves no working files', () => {
    expect(operations).toBeGreaterThan(10);
    expect(after).toMatch(/0002_add_tier\.ts/);
    expect(after).not.toMatch(/\.evolve-tx/);
    expect(checkBefore).toBe(2);
  });

  it('at seeded file operations of the set: the folder is as before or as after, check agrees', async () => {
    const rnd = seededRandom(runSeed('crash-generate'));
    // Every point costs three CLI runs: a seeded sample, always with the first and the last operation.
    const all = Array.from({ length: operations }, (_, i) => i + 1);
    const points = [...new Set([1, operations, ...rnd.shuffle(all).slice(0, KILLS - 2)])].sort(
      (a, b) => a - b,
    );
    const outcomes = await inBatches(points, 2, async (op) => {
      const p = base.copy();
      try {
        const run = await generateDyingAt(p, op);
        expect(run.signal, `killed at operation ${op}: ${run.stderr}`).toBe('SIGKILL');
        return await settle(p);
      } finally {
        p.remove();
      }
    });
    const count = (s: string) => outcomes.filter((o) => o === s).length;
    console.log(
      `[crash-generate] operations ${points.join(', ')} of ${operations}: ${count('before')} as before, ${count('after')} as after`,
    );
    // The set commits at one rename: the kills before it leave the folder as it was, those after complete it.
    expect(count('before')).toBeGreaterThan(0);
    expect(count('after')).toBeGreaterThan(0);
    expect(outcomes.indexOf('after')).toBe(outcomes.lastIndexOf('before') + 1);
  }, 600_000);

  it('at seeded random times from the parent', async () => {
    const rnd = seededRandom(runSeed('crash-generate-timed'));
    // Most of a run is start-up; aim the kills at its last part, where the files are written.
    const delays = Array.from({ length: 3 }, () => Math.round(fullRunMs * (0.6 + 0.5 * rnd.next())));
    const outcomes = await inBatches(delays, 2, async (afterMs) => {
      const p = base.copy();
      try {
        await generateDyingAt(p, 0, { afterMs });
        return await settle(p);
      } finally {
        p.remove();
      }
    });
    console.log(`[crash-generate] random kills at ${delays.join(', ')} ms: ${outcomes.join(', ')}`);
  }, 600_000);
});

describe('generate with a read-only snapshot.json', () => {
  it('refuses with INVALID_MIGRATION naming snapshot.json, changes nothing, and the next generate writes one migration', async () => {
    const p = base.copy();
    try {
      const dir = join(p.dir, 'migrations');
      chmodSync(join(dir, 'snapshot.json'), 0o444);
      const run = await evolveCli(p, GENERATE);
      expect(run.code).not.toBe(0);
      expect(run.error?.code).toBe('INVALID_MIGRATION');
      expect(run.error?.message).toMatch(/snapshot\.json.*read-only/);
      expect(folderState(dir)).toBe(before);
      chmodSync(join(dir, 'snapshot.json'), 0o644);
      const again = await evolveCli(p, GENERATE);
      expect(again.code, again.stderr).toBe(0);
      expect(folderState(dir)).toBe(after);
    } finally {
      p.remove();
    }
  }, 120_000);
});
