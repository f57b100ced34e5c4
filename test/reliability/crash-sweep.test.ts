import { describeSqlEngines, type TestDatabase } from '@evolve/harness';
import { expect, it } from 'vitest';
import { bundledChild } from './support/bundle-child.ts';
import { encodeArgs } from './support/child-args.ts';
import { checkCounters, seedCounters } from './support/counters-db.ts';
import type { DocumentsChildArgs, SweepReport } from './support/documents-child-types.ts';
import { extraDatabases } from './support/extra-databases.ts';
import { type KillPhase, killPhase, phaseSummary } from './support/kill-point.ts';
import { lastReport, runChild } from './support/run-child.ts';
import { runSeed, seededRandom } from './support/seeded-random.ts';

/** Kill points per engine (EVOLVE_CRASH_KILLS overrides), over parallel lanes with one database each. */
const KILLS = Number(process.env.EVOLVE_CRASH_KILLS ?? 30);
const LANES = 3;
const DOCS = 2000;
const SEED = runSeed('crash-sweep');

interface LaneOutcome {
  kills: { delayMs: number; phase: KillPhase }[];
  rounds: number;
  runs: number;
  resumed: number;
  documentsChecked: number;
}

async function runLane(database: TestDatabase, lane: string, kills: number): Promise<LaneOutcome> {
  const { db, dialect, url } = database;
  if (!url || dialect === 'mysql')
    throw new Error('the sweep lanes need PostgreSQL or SQLite reachable by URL');
  const rnd = seededRandom(SEED).fork(lane);
  const script = await bundledChild('test/reliability/fixtures/documents-child.ts');
  const args: DocumentsChildArgs = { role: 'sweep', dialect, url, batchSize: 50, printEvents: true };
  const outcome: LaneOutcome = { kills: [], rounds: 0, runs: 0, resumed: 0, documentsChecked: 0 };
  let horizonMs = 1500;
  while (outcome.kills.length < kills) {
    await seedCounters(db, DOCS);
    outcome.rounds++;
    for (;;) {
      const last = outcome.kills.length >= kills;
      const delayMs = rnd.int(0, horizonMs);
      const started = Date.now();
      const r = await runChild(script, {
        args: [encodeArgs(args)],
        timeoutMs: 90_000,
        ...(last ? {} : { kill: { marker: 'WORKING', afterMs: delayMs } }),
      });
      outcome.runs++;
      if (r.killed) {
        outcome.kills.push({ delayMs, phase: killPhase(r.stdout) === 'startup' ? 'startup' : 'sweep' });
        // Right after a kill: every document is there, either untouched or upgraded exactly once.
        const check = await checkCounters(db, DOCS, { allowOld: true });
        expect(check, `${lane}: documents after a kill at +${delayMs} ms`).toMatchObject({
          documents: DOCS,
          missing: [],
          wrong: [],
        });
        continue;
      }
      expect(r.code, `${lane}: sweep rerun (stderr ${r.stderr.slice(-1500)})`).toBe(0);
      const report = lastReport<SweepReport>(r.stdout);
      expect(report?.failed, `${lane}: failures ${r.stdout.slice(-1000)}`).toBe(0);
      if (report?.resumed) outcome.resumed++;
      if (report && report.scanned >= DOCS)
        horizonMs = Math.max(300, Math.round((Date.now() - started) * 0.8));
      break;
    }
    const check = await checkCounters(db, DOCS);
    expect(check, `${lane}: converged`).toMatchObject({
      documents: DOCS,
      missing: [],
      wrong: [],
      atLatest: DOCS,
    });
    outcome.documentsChecked += DOCS;
  }
  return outcome;
}

describeSqlEngines(
  'crash anywhere: sweep',
  (ctx, engine) => {
    it(`a sweep killed with SIGKILL at ${KILLS} random points converges on rerun with no document lost, duplicated or transformed twice`, async () => {
      const extra = await extraDatabases(engine, LANES - 1);
      try {
        const databases = [ctx(), ...extra];
        const perLane = databases.map((_, i) => Math.floor(KILLS / LANES) + (i < KILLS % LANES ? 1 : 0));
        const outcomes = await Promise.all(
          databases.map((d, i) => runLane(d, `${engine}#${i}`, perLane[i] ?? 0)),
        );
        const kills = outcomes.flatMap((o) => o.kills);
        const delays = kills.map((k) => k.delayMs);
        console.log(
          `[crash] ${engine} sweep: seed ${SEED}, ${kills.length} kill points (${phaseSummary(kills.map((k) => k.phase))}), ` +
            `delays ${Math.min(...delays)}-${Math.max(...delays)} ms after the sweep began, ` +
            `${outcomes.reduce((s, o) => s + o.runs, 0)} runs in ${outcomes.reduce((s, o) => s + o.rounds, 0)} rounds ` +
            `over ${LANES} databases, ${outcomes.reduce((s, o) => s + o.resumed, 0)} finishing runs resumed a checkpoint, ` +
            `${outcomes.reduce((s, o) => s + o.documentsChecked, 0)} documents checked`,
        );
        expect(kills.length).toBeGreaterThanOrEqual(KILLS);
      } finally {
        await Promise.all(extra.map((d) => d.destroy()));
      }
    }, 300_000);
  },
  // JSON documents in SQL exist for PostgreSQL and SQLite (the document store has no MySQL adapter).
  { engines: ['sqlite', 'postgres'] },
);
