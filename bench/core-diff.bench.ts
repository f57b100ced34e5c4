/**
 * Benchmark: diff of two 500-model x 40-field schemas where 10% of the models changed (fields added,
 * dropped, retyped, made nullable), beside the baseline of building both snapshots from zod with
 * toSnapshot. Run: npx tsx bench/core-diff.bench.ts
 */

import { availableParallelism, loadavg } from 'node:os';
import {
  applyChanges,
  defineModel,
  defineSchema,
  diff,
  type Model,
  toSnapshot,
} from '../packages/core/src/index.ts';
import { z } from '../packages/core/test/fixtures/bench-deps.ts';
import { summary } from './summary.ts';

const MODELS = 500;
const FIELDS = 40;
const RUNS = 25;

function field(i: number, changed: boolean): z.ZodType {
  switch (i % 8) {
    case 0:
      return z.string().max(changed ? 200 : 100);
    case 1:
      return changed ? z.number() : z.number().int();
    case 2:
      return changed ? z.boolean().nullable() : z.boolean();
    case 3:
      return z.date();
    case 4:
      return z.enum(changed ? ['a', 'b', 'c', 'd'] : ['a', 'b', 'c']);
    case 5:
      return z.object({
        street: z.string(),
        city: changed ? z.string().nullable() : z.string(),
        zip: z.string().max(10),
      });
    case 6:
      return z.array(z.object({ sku: z.string(), qty: z.number().int() }));
    default:
      return z.string().optional();
  }
}

function schema(version: 1 | 2) {
  const models: Model[] = [];
  for (let m = 0; m < MODELS; m++) {
    const changed = version === 2 && m % 10 === 0;
    const shape: Record<string, z.ZodType> = { id: z.number().int() };
    for (let f = 1; f < FIELDS; f++) {
      if (changed && f === FIELDS - 1) continue; // dropped
      shape[`field${f}`] = field(f, changed);
    }
    if (changed) shape.added = z.string().optional();
    const name = `Model${m}`;
    models.push(
      defineModel(name, {
        shape,
        indexes: [{ fields: ['field1'] }, { fields: ['field3', 'field4'] }],
        ...(m > 0
          ? { foreignKeys: [{ fields: ['field1'], references: { model: `Model${m - 1}`, fields: ['id'] } }] }
          : {}),
      }),
    );
  }
  return defineSchema(models);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
/** Wall-clock and CPU milliseconds per run (CPU time is the steadier figure on a shared machine). */
function time(fn: () => unknown): { wall: number; cpu: number } {
  for (let i = 0; i < 3; i++) fn(); // warm up
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(startCpu);
    wall.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  return { wall: median(wall), cpu: median(cpu) };
}
const show = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(1)} ms wall, ${t.cpu.toFixed(1)} ms cpu`;

const s1 = schema(1);
const s2 = schema(2);
const a = toSnapshot(s1);
const b = toSnapshot(s2);
const drops = Array.from({ length: MODELS / 10 }, (_, i) => `Model${i * 10}.field${FIELDS - 1}`);
const changes = diff(a, b, { drops });
if (applyChanges(a, changes).hash !== b.hash) throw new Error('diff does not reproduce the new schema');

const snapshot = time(() => [toSnapshot(s1), toSnapshot(s2)]);
const diffed = time(() => diff(a, b, { drops }));
const applied = time(() => applyChanges(a, changes));

console.log(
  `schemas: ${MODELS} models x ${FIELDS} fields, ${MODELS / 10} models changed, ${changes.changes.length} changes`,
);
console.log(
  `medians of ${RUNS} runs; load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`,
);
console.log(`baseline toSnapshot (both schemas): ${show(snapshot)}`);
console.log(`diff:                               ${show(diffed)} (target < 50 ms)`);
console.log(`applyChanges:                       ${show(applied)}`);
console.log(
  `ratio diff / toSnapshot: ${(diffed.wall / snapshot.wall).toFixed(3)} wall, ${(diffed.cpu / snapshot.cpu).toFixed(3)} cpu`,
);
const diffRatio = diffed.cpu / snapshot.cpu;
summary({
  bench: 'core-diff',
  figure: `diff / toSnapshot ${diffRatio.toFixed(3)} (cpu)`,
  goal: '<= 0.03',
  met: diffRatio <= 0.03,
});
