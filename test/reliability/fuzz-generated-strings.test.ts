import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeSqlEngines } from '@evolve/harness';
import { migrate } from '@evolve/sql';
import fc from 'fast-check';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { generate, loadConfig, loadMigrations } from '../../apps/cli/src/index.ts';
import { slug } from '../../packages/project/src/migration-id.ts';
import { createProject } from './support/cli-project.ts';
import { runSeed } from './support/seeded-random.ts';

/**
 * Hostile strings as enum values, defaults, descriptions, model / field / table names and migration names,
 * through define -> generate -> load -> migrate on each engine: either the definition is refused with
 * INVALID_MODEL, or every value comes back exactly (from snapshot.json and from the database) and every
 * name is the one given. The generated files always load, and code smuggled into a string never runs (a
 * canary global stays unset). Runs per engine: EVOLVE_FUZZ_RUNS (default 30); seed: EVOLVE_SEED.
 */
const RUNS = Number(process.env.EVOLVE_FUZZ_RUNS ?? 30);
const CANARY = '__evolveCanary';
const PAYLOADS = [
  `');globalThis.${CANARY}=1;//`,
  `"]);globalThis.${CANARY}=1;//`,
  `\nglobalThis.${CANARY}=1;//`,
  `*/globalThis.${CANARY}=1;/*`,
  `\`;globalThis.${CANARY}=1;\``,
  `\${globalThis.${CANARY}=1}`,
  `\u2028globalThis.${CANARY}=1;//`,
];
const PIECES = [
  "'",
  '"',
  '`',
  '${',
  '*/',
  '/*',
  '//',
  '\n',
  '\r\n',
  '\\',
  '\t',
  '\u2028',
  'é',
  '😀',
  ' ',
  '<!--',
];
/** What no engine stores exactly: the definition must refuse them. */
const UNSTORABLE = ['\0', '\uD800', '\uDFFF'];

/** A string mixing quote, comment and template syntax, control characters, unicode and injection payloads. */
const storable = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
  { weight: 1, arbitrary: fc.constantFrom(...PAYLOADS) },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const anyUnit = fc.oneof(
  { weight: 4, arbitrary: storable },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 1, arbitrary: fc.constantFrom(...UNSTORABLE) },
);
/** One string in ten may hold what no engine stores (so that most schemas get through to the database). */
const hostile = fc.oneof(
  { weight: 9, arbitrary: fc.string({ unit: storable, maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: anyUnit, maxLength: 6 }) },
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const RESERVED = new Set(['__proto__', 'prototype', 'constructor']);
const unstorable = (s: string) =>
  /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
/** Whether the definition has something to refuse (a run without any must round-trip). */
const refusable = (i: Input) =>
  [...i.values, i.fallback].some(unstorable) ||
  [i.model, i.field, i.table].some((n) => !IDENTIFIER.test(n) || RESERVED.has(n)) ||
  ['id', 'kind', 'note'].includes(i.field);
/** Names: mostly valid identifiers (so that the values get through), sometimes hostile. */
const name = (fixed: string) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constant(fixed) },
    { weight: 1, arbitrary: fc.stringMatching(/^[a-z_][a-z0-9_]{0,20}$/) },
    { weight: 1, arbitrary: hostile },
  );

const inputArb = fc.record({
  values: fc.uniqueArray(hostile, { minLength: 1, maxLength: 3 }),
  fallback: hostile,
  description: hostile,
  model: name('Thing'),
  field: name('label'),
  table: name('things'),
  migration: hostile,
});
type Input = typeof inputArb extends fc.Arbitrary<infer T> ? T : never;

const lit = (value: string) => JSON.stringify(value);

function modelsModule(i: Input): string {
  return `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

export default defineSchema([
  defineModel(${lit(i.model)}, {
    table: ${lit(i.table)},
    shape: {
      id: z.number().int(),
      kind: z.enum([${i.values.map(lit).join(', ')}]),
      note: z.string().default(${lit(i.fallback)}).describe(${lit(i.description)}),
      [${lit(i.field)}]: z.string().nullable(),
    },
  }),
]);
`;
}

async function dropAll(db: Kysely<any>): Promise<void> {
  for (const t of await db.introspection.getTables()) await db.schema.dropTable(t.name).ifExists().execute();
}

/** `payload`: a round trip whose strings carried an injection payload. */
type Outcome = 'refused' | 'round-trip' | 'payload';

/** One run: define, generate, load and migrate, then compare what comes back. */
async function roundTrip(db: Kysely<any>, i: Input): Promise<Outcome> {
  const p = createProject(modelsModule(i));
  try {
    let written: Awaited<ReturnType<typeof generate>>;
    try {
      written = await generate({ cwd: p.dir, name: i.migration });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'INVALID_MODEL' || !refusable(i)) throw error;
      return 'refused';
    }
    expect(
      refusable(i) && [...i.values, i.fallback].some(unstorable),
      'an unstorable value got through',
    ).toBe(false);
    expect(written.status).toBe('written');
    if (written.status !== 'written') return 'refused';
    expect(written.id).toMatch(/^0001_[a-z0-9_]+$/);
    if (slug(i.migration)) expect(written.id).toBe(`0001_${slug(i.migration)}`);
    // the generated files load (they parse, and the migration is the one generated)
    const migrations = await loadMigrations(await loadConfig({ cwd: p.dir }));
    expect(migrations.map((m) => m.id)).toEqual([written.id]);
    // the migration module carries the values exactly (its emitter escaped them)
    const created = migrations[0]?.changes[0] as unknown as { definition: typeof model };
    expect(created.definition.fields.kind.type.values).toEqual(i.values);
    expect(created.definition.fields.note.default.value).toBe(i.fallback);
    const snapshot = JSON.parse(readFileSync(join(p.dir, 'migrations/snapshot.json'), 'utf8'));
    const model = snapshot.models[i.model];
    expect(model.table).toBe(i.table);
    expect(model.fields.kind.type.values).toEqual(i.values);
    expect(model.fields.note.default.value).toBe(i.fallback);
    expect(Object.keys(model.fields)).toContain(i.field);
    await dropAll(db);
    const result = await migrate(db, { migrations });
    expect(result.error, String(result.error?.message)).toBeUndefined();
    await db
      .insertInto(i.table)
      .values(i.values.map((kind, n) => ({ id: n + 1, kind })))
      .execute();
    const rows = await db.selectFrom(i.table).selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.kind)).toEqual(i.values);
    expect(rows.map((r) => r.note)).toEqual(i.values.map(() => i.fallback));
    expect(rows.map((r) => r[i.field])).toEqual(i.values.map(() => null));
    return [...i.values, i.fallback, i.description].some((s) => s.includes(CANARY))
      ? 'payload'
      : 'round-trip';
  } finally {
    p.remove();
  }
}

describeSqlEngines(
  'fuzz: hostile strings through define, generate, load and migrate',
  (ctx, engine) => {
    it(`${RUNS} random schemas: INVALID_MODEL or an exact round trip, never injected code`, async () => {
      const seed = runSeed(`fuzz ${engine}`);
      const outcomes: Outcome[] = [];
      await fc.assert(
        fc.asyncProperty(inputArb, async (input) => {
          outcomes.push(await roundTrip(ctx().db, input));
          expect((globalThis as Record<string, unknown>)[CANARY], 'injected code ran').toBeUndefined();
        }),
        { numRuns: RUNS, seed, endOnFailure: true },
      );
      const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
      console.log(
        `[fuzz] ${engine}: ${count('round-trip') + count('payload')} round trips (${count('payload')} carrying an injection payload), ${count('refused')} refused at definition`,
      );
      expect(count('round-trip') + count('payload'), 'some schemas got through').toBeGreaterThan(0);
    }, 120_000);
  },
  { engines: ['sqlite', 'postgres', 'mysql'] },
);
