import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSqlEngines } from '@evolve/harness';
import { expect, it } from 'vitest';
import { bundledChild } from './support/bundle-child.ts';
import { encodeArgs } from './support/child-args.ts';
import { checkCounters, seedCounters } from './support/counters-db.ts';
import type {
  DocumentsChildArgs,
  ReaderReport,
  SweepReport,
  WriterReport,
} from './support/documents-child-types.ts';
import { lastReport, startChild } from './support/run-child.ts';
import { runSeed } from './support/seeded-random.ts';

const DOCS = 1500;
/** Writers aim at the first HOT counters, so that they collide with each other and with the upgraders. */
const HOT = 150;
const WRITERS = 3;
const WRITES = 300;
const SEED = runSeed('lost-updates');

describeSqlEngines(
  'lost updates across processes',
  (ctx, engine) => {
    it(`a sweep and lazy write-back in their own processes racing ${WRITERS} writer processes lose no update and upgrade every document once`, async () => {
      const { db, dialect, url } = ctx();
      if (!url || dialect === 'mysql') throw new Error('needs PostgreSQL or SQLite by URL');
      await seedCounters(db, DOCS);
      const dir = mkdtempSync(join(tmpdir(), 'evolve-lost-'));
      const goFile = join(dir, 'go');
      const script = await bundledChild('test/reliability/fixtures/documents-child.ts');
      const base = { dialect, url, goFile } as const;
      const roles: DocumentsChildArgs[] = [
        { ...base, role: 'sweep', batchSize: 20, durationMs: 1500 },
        { ...base, role: 'reader', durationMs: 2500 },
        ...Array.from({ length: WRITERS }, (_, w) => ({
          ...base,
          role: 'writer' as const,
          writes: WRITES,
          hot: HOT,
          seed: SEED + w,
        })),
      ];
      const children = roles.map((args) =>
        startChild(script, { args: [encodeArgs(args)], timeoutMs: 120_000 }),
      );
      try {
        await Promise.all(children.map((c) => c.waitFor('READY')));
        writeFileSync(goFile, '');
        const results = await Promise.all(children.map((c) => c.result));
        for (const [i, r] of results.entries()) {
          expect(r.code, `${roles[i]?.role} exit (stderr ${r.stderr.slice(-1500)})`).toBe(0);
        }
        const writers = results.slice(2).map((r) => lastReport<WriterReport>(r.stdout) as WriterReport);
        const sweeper = lastReport<SweepReport>(results[0]?.stdout ?? '') as SweepReport;
        const reader = lastReport<ReaderReport>(results[1]?.stdout ?? '') as ReaderReport;
        const increments: Record<string, number> = {};
        for (const w of writers) {
          for (const [id, n] of Object.entries(w.increments)) increments[id] = (increments[id] ?? 0) + n;
        }
        const errorSample = results
          .slice(2)
          .map((r) => r.stderr.split('\n')[0])
          .filter(Boolean)[0];
        const acknowledged = Object.values(increments).reduce((a, b) => a + b, 0);
        const writeErrors = writers.reduce((a, w) => a + w.errors, 0);
        // Documents nobody touched may still be at v1 if the sweep ended first: one last sweep settles them.
        const finish = await startChild(script, { args: [encodeArgs({ role: 'sweep', dialect, url })] })
          .result;
        expect(finish.code, finish.stderr).toBe(0);
        const check = await checkCounters(db, DOCS, { increments });
        console.log(
          `[lost-updates] ${engine}: ${WRITERS} writers x ${WRITES} increments on ${HOT} hot documents ` +
            `(${acknowledged} acknowledged, ${writeErrors} errors, ${writers.reduce((a, w) => a + w.stats.conflicts, 0)} writer retries), ` +
            `sweep ${sweeper.rounds} rounds upgraded ${sweeper.upgraded} (${sweeper.conflicts} conflicts), ` +
            `reader ${reader.reads} pages wrote back ${reader.stats.writtenBack} (${reader.stats.conflicts} conflicts); ` +
            `${check.atLatest}/${DOCS} documents correct, ${check.wrongCount} wrong${errorSample ? `; first write error: ${errorSample}` : ''}`,
        );
        expect(check.missing).toEqual([]);
        expect(check.wrong).toEqual([]);
        expect(check.atLatest).toBe(DOCS);
        expect(acknowledged).toBeGreaterThan(0);
      } finally {
        for (const c of children) c.kill();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  },
  { engines: ['sqlite', 'postgres'] },
);
