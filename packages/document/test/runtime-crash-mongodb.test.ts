import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from '@evolve/core';
import { describeEngine } from '@evolve/harness';
import type { Db } from 'mongodb';
import { beforeAll, expect, it } from 'vitest';
import { bundledChild } from '../../../test/reliability/support/bundle-child.ts';
import { encodeArgs } from '../../../test/reliability/support/child-args.ts';
import {
  counterId,
  expectedCounter,
  seedCounter,
} from '../../../test/reliability/support/counter-history.ts';
import { type KillPhase, killPhase, phaseSummary } from '../../../test/reliability/support/kill-point.ts';
import { lastReport, runChild, startChild } from '../../../test/reliability/support/run-child.ts';
import { runSeed, seededRandom } from '../../../test/reliability/support/seeded-random.ts';
import { describeMongoServer } from '../src/runtime/index.ts';
import type { MongoChildArgs } from './fixtures/mongo-counters-child-args.ts';
import { suiteMongo } from './fixtures/suite-mongo.ts';

// The reliability suite's sweep-crash and lost-update runs (test/reliability), against a MongoDB-wire
// server: on FerretDB 1.x the adapter's write claims are what keeps them correct.
const CHILD = 'packages/document/test/fixtures/mongo-counters-child.ts';
const KILLS = Number(process.env.EVOLVE_CRASH_KILLS ?? 30);
const LANES = 3;
/** FerretDB 1.24 scans a collection on every write: fewer documents keep a run in minutes. */
const DOCS = { mongodb: 2000, ferretdb: 300 };
/** A killed sweep's write claims block its batch until they expire: a short lease keeps reruns quick. */
const CLAIM_LEASE_MS = 2000;

async function seed(db: Db, count: number): Promise<void> {
  for (const name of ['counters', 'evolve_sweeps', 'evolve_claims'])
    await db
      .collection(name)
      .drop()
      .catch(() => {});
  for (let start = 1; start <= count; start += 500) {
    const docs: Row[] = [];
    for (let i = start; i < Math.min(start + 500, count + 1); i++) docs.push(seedCounter(i));
    await db.collection('counters').insertMany(docs as never[]);
  }
}

interface Check {
  documents: number;
  missing: string[];
  wrong: { id: string; actual: Row }[];
  atLatest: number;
}

/** Every counter is untouched (with `allowOld`) or at the latest version with its increments, once transformed. */
async function check(
  db: Db,
  count: number,
  options: { allowOld?: boolean; increments?: Record<string, number> } = {},
): Promise<Check> {
  const stored = new Map<string, Row>();
  for await (const doc of db.collection('counters').find({})) stored.set(String(doc._id), doc as Row);
  const same = (a: Row, b: Row) => {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => k !== '_rev'));
    return [...keys].every((k) => JSON.stringify(a[k]) === JSON.stringify(b[k]));
  };
  const result: Check = { documents: stored.size, missing: [], wrong: [], atLatest: 0 };
  for (let i = 1; i <= count; i++) {
    const id = counterId(i);
    const doc = stored.get(id);
    if (!doc) {
      result.missing.push(id);
      continue;
    }
    if (same(doc, expectedCounter(i, options.increments?.[id] ?? 0))) result.atLatest++;
    else if (!(options.allowOld && same(doc, seedCounter(i)))) {
      if (result.wrong.length < 5) result.wrong.push({ id, actual: doc });
    }
  }
  return result;
}

describeEngine('mongodb', 'crash anywhere and race across processes: sweep and write-back', (status) => {
  const mongo = suiteMongo(status.url!, 'evolve_crash');
  let docs = DOCS.mongodb;
  let flavor = 'mongodb';
  const database = mongo.name;
  const childArgs = (db: string, args: Omit<MongoChildArgs, 'url' | 'database'>): string[] => [
    encodeArgs({ url: status.url!, database: db, ...args } satisfies MongoChildArgs),
  ];
  beforeAll(async () => {
    const info = await describeMongoServer(mongo.client().db('admin'));
    flavor = `${info.flavor} ${info.version}`;
    if (info.flavor === 'ferretdb') docs = DOCS.ferretdb;
  });

  it(`a sweep killed with SIGKILL at ${KILLS} seeded points converges on rerun with no document lost, duplicated or transformed twice`, async () => {
    const SEED = runSeed('crash-sweep-mongodb');
    const script = await bundledChild(CHILD);
    const lane = async (index: number, kills: number) => {
      const name = database(`lane${index}`);
      const db = mongo.client().db(name);
      const rnd = seededRandom(SEED).fork(`lane${index}`);
      const outcome = {
        kills: [] as { delayMs: number; phase: KillPhase }[],
        runs: 0,
        rounds: 0,
        resumed: 0,
      };
      let horizonMs = 1500;
      while (outcome.kills.length < kills) {
        await seed(db, docs);
        outcome.rounds++;
        for (;;) {
          const last = outcome.kills.length >= kills;
          const delayMs = rnd.int(0, horizonMs);
          const started = Date.now();
          const r = await runChild(script, {
            args: childArgs(name, {
              role: 'sweep',
              batchSize: 25,
              printEvents: true,
              claimLeaseMs: CLAIM_LEASE_MS,
            }),
            timeoutMs: 240_000,
            ...(last ? {} : { kill: { marker: 'WORKING', afterMs: delayMs } }),
          });
          outcome.runs++;
          if (r.killed) {
            outcome.kills.push({ delayMs, phase: killPhase(r.stdout) === 'startup' ? 'startup' : 'sweep' });
            expect(
              await check(db, docs, { allowOld: true }),
              `lane ${index}: after a kill at +${delayMs} ms`,
            ).toMatchObject({ documents: docs, missing: [], wrong: [] });
            continue;
          }
          expect(r.code, `lane ${index}: sweep rerun (stderr ${r.stderr.slice(-1500)})`).toBe(0);
          const report = lastReport<{ failed: number; resumed: number; scanned: number }>(r.stdout);
          expect(report?.failed).toBe(0);
          if (report?.resumed) outcome.resumed++;
          if (report && report.scanned >= docs)
            horizonMs = Math.max(300, Math.round((Date.now() - started) * 0.8));
          break;
        }
        expect(await check(db, docs), `lane ${index}: converged`).toMatchObject({
          documents: docs,
          missing: [],
          wrong: [],
          atLatest: docs,
        });
      }
      return outcome;
    };
    const perLane = Array.from(
      { length: LANES },
      (_, i) => Math.floor(KILLS / LANES) + (i < KILLS % LANES ? 1 : 0),
    );
    const outcomes = await Promise.all(perLane.map((kills, i) => lane(i, kills)));
    const kills = outcomes.flatMap((o) => o.kills);
    const delays = kills.map((k) => k.delayMs);
    console.log(
      `[crash] ${flavor} sweep (${docs} documents): seed ${SEED}, ${kills.length} kill points (${phaseSummary(kills.map((k) => k.phase))}), ` +
        `delays ${Math.min(...delays)}-${Math.max(...delays)} ms, ${outcomes.reduce((s, o) => s + o.runs, 0)} runs in ` +
        `${outcomes.reduce((s, o) => s + o.rounds, 0)} rounds over ${LANES} databases, ${outcomes.reduce((s, o) => s + o.resumed, 0)} finishing runs resumed a checkpoint`,
    );
    expect(kills.length).toBeGreaterThanOrEqual(KILLS);
  }, 900_000);

  it('a sweep and lazy write-back in their own processes racing 3 writer processes lose no update and upgrade every document once', async () => {
    const SEED = runSeed('lost-updates-mongodb');
    const name = database('lost');
    const db = mongo.client().db(name);
    await seed(db, docs);
    const dir = mkdtempSync(join(tmpdir(), 'evolve-lost-mongo-'));
    const goFile = join(dir, 'go');
    const script = await bundledChild(CHILD);
    const hot = Math.min(150, docs);
    const roles: Omit<MongoChildArgs, 'url' | 'database'>[] = [
      { role: 'sweep', batchSize: 20, durationMs: 1500, goFile },
      { role: 'reader', durationMs: 2500, goFile },
      ...[0, 1, 2].map((w) => ({ role: 'writer' as const, writes: 300, hot, seed: SEED + w, goFile })),
    ];
    const children = roles.map((r) => startChild(script, { args: childArgs(name, r), timeoutMs: 300_000 }));
    try {
      await Promise.all(children.map((c) => c.waitFor('READY')));
      writeFileSync(goFile, '');
      const results = await Promise.all(children.map((c) => c.result));
      for (const [i, r] of results.entries())
        expect(r.code, `${roles[i]?.role}: ${r.stderr.slice(-1500)}`).toBe(0);
      const writers = results
        .slice(2)
        .map(
          (r) =>
            lastReport<{ increments: Record<string, number>; errors: number; stats: { conflicts: number } }>(
              r.stdout,
            )!,
        );
      const increments: Record<string, number> = {};
      for (const w of writers)
        for (const [id, n] of Object.entries(w.increments)) increments[id] = (increments[id] ?? 0) + n;
      const finish = await runChild(script, { args: childArgs(name, { role: 'sweep' }), timeoutMs: 300_000 });
      expect(finish.code, finish.stderr).toBe(0);
      const result = await check(db, docs, { increments });
      const acknowledged = Object.values(increments).reduce((a, b) => a + b, 0);
      const sweeper = lastReport<{ upgraded: number; conflicts: number }>(results[0]!.stdout)!;
      const reader = lastReport<{ stats: { writtenBack: number; conflicts: number } }>(results[1]!.stdout)!;
      console.log(
        `[lost-updates] ${flavor} (${docs} documents): 3 writers x 300 increments on ${hot} hot documents (${acknowledged} acknowledged, ` +
          `${writers.reduce((a, w) => a + w.errors, 0)} errors, ${writers.reduce((a, w) => a + w.stats.conflicts, 0)} writer retries), ` +
          `sweep upgraded ${sweeper.upgraded} (${sweeper.conflicts} conflicts), reader wrote back ${reader.stats.writtenBack} ` +
          `(${reader.stats.conflicts} conflicts); ${result.atLatest}/${docs} documents correct`,
      );
      expect(result.missing).toEqual([]);
      expect(result.wrong).toEqual([]);
      expect(result.atLatest).toBe(docs);
      expect(acknowledged).toBeGreaterThan(0);
    } finally {
      for (const c of children) c.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
