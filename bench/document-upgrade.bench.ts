/**
 * Benchmark: upgrading 1,000,000 in-memory documents through a 10-step chain of generated upgraders
 * (rename, add with default, int -> float, wrap in array, plunge into a new object, rename inside an
 * array of objects, drop, enum value added, number -> string, add inside array elements), validated
 * against the latest shape, beside two baselines measured in the same run: a hand-written single
 * function doing the same ten changes (no validation), and structuredClone of every document.
 * Rates are per second of this process's CPU time (the machines are shared), and per second of wall time;
 * the contenders take turns round by round (best round of each).
 * Run: npx tsx bench/document-upgrade.bench.ts  (DOCS=200000 ROUNDS=3 for a quicker run)
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type DiffOptions,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Row,
  toSnapshot,
} from '../packages/core/src/index.ts';
import { z } from '../packages/core/test/fixtures/bench-deps.ts';
import { createUpgrader, emitDocumentSection } from '../packages/document/src/upgrader/index.ts';
import { summary } from './summary.ts';

const DOCS = Number(process.env.DOCS ?? 1_000_000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const item = (code: 'sku' | 'code', unit: boolean) =>
  z.object({
    [code]: code === 'code' ? z.string().meta({ renamedFrom: 'sku' }) : z.string(),
    qty: z.number().int(),
    ...(unit ? { unit: z.string().default('pc') } : {}),
  });

// each version's shape, step by step
const versions: Array<{ shape: z.ZodRawShape; renames?: DiffOptions['renames'] }> = [];
let shape: z.ZodRawShape = {
  title: z.string(),
  price: z.number().int(),
  tag: z.string(),
  city: z.string(),
  status: z.enum(['open', 'closed']),
  legacy: z.string(),
  count: z.number().int(),
  items: z.array(item('sku', false)),
};
const step = (next: z.ZodRawShape, renames?: DiffOptions['renames']) => {
  shape = next;
  versions.push({ shape, ...(renames ? { renames } : {}) });
};
step(shape);
const { title, ...noTitle } = shape;
step({ ...noTitle, name: z.string().meta({ renamedFrom: 'title' }) }); // 2 rename
step({ ...shape, name: z.string(), views: z.number().int().default(0) }); // 3 add with default
step({ ...shape, price: z.number() }); // 4 int -> float
step({ ...shape, tag: z.array(z.string()) }); // 5 wrap in array
const { city, ...noCity } = shape;
step(
  { ...noCity, address: z.object({ city: z.string(), zip: z.string().nullable().default(null) }) },
  {
    'Event.city': 'address.city',
  },
); // 6 plunge
step({ ...shape, items: z.array(item('code', false)) }); // 7 rename inside array elements
const { legacy, ...noLegacy } = shape;
step(noLegacy); // 8 drop
step({ ...shape, status: z.enum(['open', 'closed', 'archived']) }); // 9 enum value added
step({ ...shape, count: z.string() }); // 10 number -> string
step({ ...shape, items: z.array(item('code', true)) }); // 11 add inside array elements
void title;
void city;
void legacy;

const models = versions.map((v) => defineModel('Event', { target: 'document', shape: v.shape }));
const dir = join(import.meta.dirname, `.tmp-document-upgrade-${process.pid}`);
mkdirSync(dir, { recursive: true });

/**
 * The migrations, with `copies` separate loads of each generated module: one per upgrader measured, so
 * each runs its own step functions, as one upgrader per model in a process does (upgraders sharing the
 * functions hand them working copies of several shapes, and the one measured later pays for the others).
 */
async function buildMigrations(
  copies: number,
): Promise<{ generated: Migration[][]; interpreted: Migration[] }> {
  const generated: Migration[][] = Array.from({ length: copies }, () => []);
  const interpreted: Migration[] = [];
  let prev = emptySnapshot();
  for (const [i, model] of models.entries()) {
    const next = toSnapshot(defineSchema([model]));
    const renames = versions[i]?.renames;
    const changeSet = diff(prev, next, renames ? { renames } : {});
    const source = emitDocumentSection(changeSet, {
      before: prev,
      after: next,
      version: i + 1,
      importFrom: '../../packages/document/src/index.ts',
    });
    const file = join(dir, `m${i + 1}.ts`);
    writeFileSync(
      file,
      `${source.imports.join('\n')}\n${source.types ?? ''}\nexport const documents = ${source.code};\n`,
    );
    const id = `${String(i + 1).padStart(4, '0')}_v${i + 1}`;
    const base: Migration = { id, from: changeSet.from, to: changeSet.to, changes: changeSet.changes };
    for (const [copy, list] of generated.entries()) {
      const { documents } = await import(`${pathToFileURL(file).href}?copy=${copy}`);
      list.push({ ...base, documents });
    }
    interpreted.push(base);
    prev = next;
  }
  return { generated, interpreted };
}

/** The same ten changes written by hand as one function (no validation). */
function handWritten(d: Row): Row {
  const items = (d.items as Row[]).map((it) => ({ code: it.sku, qty: it.qty, unit: 'pc' }));
  return {
    _id: d._id,
    name: d.title,
    views: 0,
    price: d.price,
    tag: [d.tag],
    address: { zip: null, city: d.city },
    status: d.status,
    count: String(d.count),
    items,
    _v: 11,
  };
}

function makeDocs(n: number): Row[] {
  const docs: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    docs[i] = {
      _id: i,
      title: `event ${i}`,
      price: i % 1000,
      tag: i % 2 ? 'music' : 'art',
      city: 'Lyon',
      status: i % 3 ? 'open' : 'closed',
      legacy: 'x',
      count: i,
      items: [
        { sku: `a${i}`, qty: 1 },
        { sku: 'b', qty: 2 },
      ],
    };
  }
  return docs;
}

/** One upgrade (or baseline) measured: its label, the documents it runs over, and the function. */
interface Contender {
  label: string;
  docs: Row[];
  fn: (d: Row) => unknown;
}

/** A contender's best round: docs per second of this process's CPU time, and of wall time. */
interface Rate {
  cpu: number;
  wall: number;
}

/** One round of a contender: its CPU and wall milliseconds over all its documents. */
function round(contender: Contender): { cpu: number; wall: number } {
  const { docs, fn } = contender;
  let sink: unknown;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < docs.length; i++) sink = fn(docs[i] as Row);
  const used = process.cpuUsage(cpu);
  void sink;
  return { cpu: (used.user + used.system) / 1000, wall: performance.now() - wall };
}

/**
 * Docs per second of CPU time (user + system of this process) and of wall time, best of ROUNDS: the machine
 * these run on is shared, and wall-clock time there measures the neighbours as much as the code. The
 * contenders take turns round by round, so that each ratio compares rounds run in the same state of the
 * heap and the JIT (measured one after the other, the first pays for promoting the documents out of the
 * young generation and the last finds them settled).
 */
function measureAll(contenders: readonly Contender[]): Map<string, Rate> {
  const best = new Map(contenders.map((c) => [c.label, { cpu: Infinity, wall: Infinity }]));
  for (let r = 0; r < ROUNDS; r++) {
    for (const contender of contenders) {
      const took = round(contender);
      const b = best.get(contender.label)!;
      b.cpu = Math.min(b.cpu, took.cpu);
      b.wall = Math.min(b.wall, took.wall);
    }
  }
  const rates = new Map<string, Rate>();
  for (const contender of contenders) {
    const b = best.get(contender.label)!;
    const n = contender.docs.length;
    const rate = { cpu: n / (b.cpu / 1000), wall: n / (b.wall / 1000) };
    rates.set(contender.label, rate);
    console.log(
      `${contender.label.padEnd(58)} ${(rate.cpu / 1e6).toFixed(2).padStart(6)} M docs/s cpu, ${(rate.wall / 1e6).toFixed(2).padStart(6)} M docs/s wall  (cpu ${b.cpu.toFixed(0)} ms, wall ${b.wall.toFixed(0)} ms, best of ${ROUNDS})`,
    );
  }
  return rates;
}

try {
  const {
    generated: [generated = [], forTouched = [], forZod = []],
    interpreted,
  } = await buildMigrations(3);
  const latest = models[models.length - 1]!;
  const fast = createUpgrader({ model: 'Event', migrations: generated });
  const touched = createUpgrader({ model: 'Event', migrations: forTouched, validate: 'touched' });
  const zodChecked = createUpgrader({ model: latest, migrations: forZod });
  const interpretedUpgrader = createUpgrader({ model: 'Event', migrations: interpreted });
  const docs = makeDocs(DOCS);
  // the generated chain and the hand-written function give the same documents
  const sample = fast.upgrade(docs[7] as Row);
  if (
    JSON.stringify(sample, Object.keys(sample).sort()) !==
    JSON.stringify(handWritten(docs[7] as Row), Object.keys(sample).sort())
  ) {
    throw new Error(`the upgrader and the baseline disagree: ${JSON.stringify(sample)}`);
  }
  console.log(
    `${DOCS.toLocaleString('en')} documents at version 1, chain of ${fast.history.steps.length} steps to version ${fast.latestVersion}`,
  );
  const mainLabel = 'evolve upgrade (generated steps, compiled validation)';
  const touchedLabel = 'evolve upgrade (generated steps, touched-only validation)';
  const zodLabel = 'evolve upgrade (generated steps, Model zod validation)';
  const interpLabel = 'evolve upgrade (interpreted steps, compiled validation)';
  const handLabel = 'baseline: hand-written single function (no validation)';
  const cloneLabel = 'baseline: structuredClone';
  const oneStepLabel = 'evolve upgrade from version 10 (one step)';
  // the chain's fixed cost (working copy, clean result, validation) against its per-step cost
  const at10 = docs.map((d) => fast.downgrade(fast.upgrade(d), 10));
  const rates = measureAll([
    { label: mainLabel, docs, fn: (d) => fast.upgrade(d) },
    { label: handLabel, docs, fn: handWritten },
    { label: oneStepLabel, docs: at10, fn: (d) => fast.upgrade(d) },
    { label: touchedLabel, docs, fn: (d) => touched.upgrade(d) },
    { label: zodLabel, docs, fn: (d) => zodChecked.upgrade(d) },
    { label: interpLabel, docs, fn: (d) => interpretedUpgrader.upgrade(d) },
    { label: cloneLabel, docs, fn: (d) => structuredClone(d) },
  ]);
  at10.length = 0;
  const upgraded = docs.map((d) => fast.upgrade(d));
  const latestLabel = 'evolve upgrade of already-latest documents';
  const again = measureAll([
    { label: latestLabel, docs: upgraded, fn: (d) => fast.upgrade(d) },
    { label: handLabel, docs, fn: handWritten },
  ]);
  const cpu = (label: string, from = rates) => from.get(label)?.cpu ?? Number.NaN;
  const rate = cpu(mainLabel);
  const hand = cpu(handLabel);
  const touchedRate = cpu(touchedLabel);
  const zodRate = cpu(zodLabel);
  const interpRate = cpu(interpLabel);
  const clone = cpu(cloneLabel);
  const oneStep = cpu(oneStepLabel);
  const current = cpu(latestLabel, again) / cpu(handLabel, again);
  console.log('');
  console.log(`ratio generated / hand-written: ${(rate / hand).toFixed(2)}x`);
  console.log(
    `ratio generated, validate: 'touched' / hand-written: ${(touchedRate / hand).toFixed(2)}x (opt-in; the goal is on the compiled ratio)`,
  );
  console.log(`ratio generated / structuredClone: ${(rate / clone).toFixed(2)}x`);
  console.log(`ratio zod-validated / hand-written: ${(zodRate / hand).toFixed(2)}x`);
  console.log(`ratio interpreted / generated: ${(interpRate / rate).toFixed(2)}x`);
  console.log(`already-latest / hand-written: ${current.toFixed(2)}x`);
  console.log(`one step / ten steps: ${(oneStep / rate).toFixed(2)}x (the rest is the chain's fixed cost)`);
  const wall = rates.get(mainLabel)?.wall ?? 0;
  console.log(
    `ratio generated / hand-written, wall time: ${(wall / (rates.get(handLabel)?.wall ?? 1)).toFixed(2)}x`,
  );
  console.log(
    `target >= 1M docs/s: ${rate >= 1e6 ? 'met' : 'NOT met'} (${(rate / 1e6).toFixed(2)}M docs/s of CPU time, ${(wall / 1e6).toFixed(2)}M docs/s of wall time)`,
  );
  summary({
    bench: 'document-upgrade',
    figure: `generated / hand-written ${(rate / hand).toFixed(2)}x (cpu)`,
    goal: '>= 0.3x',
    met: rate / hand >= 0.3,
  });
  // one step must cost at most half of ten: its rate at least twice the ten-step rate
  summary({
    bench: 'document-upgrade (one step)',
    figure: `cost of one step / ten steps ${(rate / oneStep).toFixed(2)}x`,
    goal: '<= 0.5x',
    met: rate / oneStep <= 0.5,
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
