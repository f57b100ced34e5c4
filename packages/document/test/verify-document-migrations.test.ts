import { fileURLToPath } from 'node:url';
import {
  type DiffOptions,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  objectArbitrary,
  toSnapshot,
} from '@evolve/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DocumentSection } from '../src/upgrader/index.ts';
import { zodFromSnapshot } from '../src/upgrader/index.ts';
import { firstDifference, verifyDocumentMigrations } from '../src/verify/index.ts';
import { buildHistory } from './upgrader-history.ts';

const V1 = { _id: z.string(), title: z.string().max(20), price: z.number().int() };
const note = (shape: z.ZodRawShape) => defineModel('Note', { target: 'document', table: 'notes', shape });

/** Notes created at version 1 (V1 unless `options.v1`), changed to `shape` by 0002_change (with the transforms or code given). */
function history(
  shape: z.ZodRawShape,
  extra: Pick<Migration, 'transforms' | 'documents'> = {},
  options: DiffOptions & { v1?: z.ZodRawShape } = {},
): Migration[] {
  const { v1: first = V1, ...diffOptions } = options;
  const v1 = toSnapshot(defineSchema([note(first)]));
  const v2 = toSnapshot(defineSchema([note(shape)]));
  const create = diff(emptySnapshot(), v1);
  const change = diff(v1, v2, diffOptions);
  return [
    { id: '0001_notes', ...create },
    { id: '0002_change', ...change, ...extra },
  ];
}

describe('verifyDocumentMigrations', () => {
  it('finds a transform that throws for empty strings, shrunk to an empty title at version 1', () => {
    const migrations = history(
      { ...V1, slug: z.string() },
      {
        transforms: {
          Note: {
            slug: (old) => {
              if (old.title === '') throw new Error('empty title');
              return String(old.title).toLowerCase();
            },
          },
        },
      },
    );
    const [finding, ...rest] = verifyDocumentMigrations({ migrations });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      rule: 'transform-property',
      property: 'valid-upgrade',
      migration: '0002_change',
      model: 'Note',
      version: 1,
      counterexample: { _id: '', title: '', price: 0, _v: 1 },
      path: 'slug',
      seed: 42,
    });
    expect(finding?.problem).toMatch(/the transform for Note\.slug threw: Error: empty title/);
  });

  it('finds a transform whose result the latest schema rejects (too long), with the failing path', () => {
    const migrations = history(
      { ...V1, slug: z.string().max(10) },
      { transforms: { Note: { slug: (old) => `${String(old.title)}-x` } } },
    );
    const [finding, ...rest] = verifyDocumentMigrations({ migrations });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ property: 'valid-upgrade', migration: '0002_change', path: 'slug' });
    expect(finding?.problem).toMatch(/does not fit version 2: slug: /);
    // the shortest title that breaks it: nine characters, plus '-x'
    expect(finding?.counterexample.title).toHaveLength(9);
  });

  it('finds a non-idempotent upgrade: a transform with hidden state gives the same document two results', () => {
    let next = 0;
    const migrations = history(
      { ...V1, seq: z.number().int() },
      { transforms: { Note: { seq: () => ++next } } },
    );
    const [finding, ...rest] = verifyDocumentMigrations({ migrations });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      property: 'idempotent-upgrade',
      migration: '0002_change',
      path: 'seq',
      counterexample: { _id: '', title: '', price: 0, _v: 1 },
    });
    expect(finding?.problem).toMatch(
      /^upgrading the same document twice gives two results at seq: \d+, then \d+$/,
    );
  });

  it('finds a transform that writes into the document it was given (an in-place sort)', () => {
    const tagged = { ...V1, tags: z.array(z.string()) };
    const migrations = history(
      { ...tagged, firstTag: z.string().optional() },
      { transforms: { Note: { firstTag: (old) => (old.tags as string[]).sort()[0] } } },
      { v1: tagged },
    );
    const findings = verifyDocumentMigrations({ migrations });
    // the stored array is sorted under the reader's feet, and so is the document a down gives back
    expect(findings).toMatchObject([
      { property: 'idempotent-upgrade', migration: '0002_change', path: 'tags.0' },
      { property: 'lossless-down', migration: '0002_change', path: 'tags.0' },
    ]);
    expect(findings[0]?.counterexample.tags).toEqual([' ', '']);
    expect(findings[0]?.problem).toBe(
      'upgrade wrote into the document it was given: tags.0 was " ", became ""',
    );
  });

  it('finds a step declared lossless whose down does not give the document back (cents to units)', () => {
    // int -> float is a lossless widening, but the transform divides: down converts 0.01 back to 0.01 -> not 1
    const migrations = history(
      { ...V1, price: z.number() },
      { transforms: { Note: { price: (old) => Number(old.price) / 100 } } },
    );
    const [finding, ...rest] = verifyDocumentMigrations({ migrations });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      property: 'lossless-down',
      migration: '0002_change',
      version: 1,
      path: 'price',
      counterexample: { _id: '', title: '' },
    });
    // shrunk to the smallest price that breaks it: one cent (or minus one)
    expect(Math.abs(finding?.counterexample.price as number)).toBe(1);
    expect(finding?.problem).toMatch(/differs from x at price|down threw/);
  });

  it('finds a hand-edited down of a rename that loses data, and that it departs from the interpreter', () => {
    const documents: DocumentSection = {
      Note: {
        up: (doc) => {
          const { title, ...rest } = doc;
          return { ...rest, heading: title };
        },
        down: (doc) => {
          const { heading, ...rest } = doc;
          return { ...rest, title: String(heading).trim() };
        },
      },
    };
    const migrations = history(
      {
        _id: z.string(),
        heading: z.string().max(20).meta({ renamedFrom: 'title' }),
        price: z.number().int(),
      },
      { documents },
    );
    const findings = verifyDocumentMigrations({ migrations });
    expect(findings.map((f) => f.property)).toEqual(['lossless-down', 'generated-matches-interpreter']);
    expect(findings[0]).toMatchObject({ path: 'title', counterexample: { title: ' ' } });
    expect(findings[0]?.problem).toBe(
      'down(up(x)) differs from x at title: "" instead of " " (the step is declared lossless)',
    );
    expect(findings[1]).toMatchObject({ version: 2, path: 'title', counterexample: { heading: ' ' } });
    expect(findings[1]?.problem).toBe(
      'down in the migration file gives "" at title, the interpreter of its changes " "',
    );
  });

  it('finds generated code that disagrees with the interpreter although both results are valid', () => {
    const documents: DocumentSection = {
      Note: {
        up: (doc) => ({ ...doc, state: 'published' }),
        down: (doc) => {
          const { state: _state, ...rest } = doc;
          return rest;
        },
      },
    };
    const migrations = history(
      { ...V1, state: z.enum(['draft', 'published']).default('draft') },
      { documents },
    );
    const findings = verifyDocumentMigrations({ migrations });
    expect(findings).toMatchObject([
      {
        property: 'generated-matches-interpreter',
        migration: '0002_change',
        version: 1,
        path: 'state',
        problem:
          'up in the migration file gives "published" at state, the interpreter of its changes "draft"',
      },
    ]);
  });

  it('passes a history whose transforms and code are right, and is deterministic for a seed', () => {
    const migrations = history(
      { ...V1, slug: z.string().max(21) },
      { transforms: { Note: { slug: (old) => `${String(old.title)}!` } } },
    );
    expect(verifyDocumentMigrations({ migrations })).toEqual([]);
    const broken = history(
      { ...V1, slug: z.string().max(10) },
      { transforms: { Note: { slug: (old) => `${String(old.title)}!` } } },
    );
    const a = verifyDocumentMigrations({ migrations: broken, seed: 7, runs: 30 });
    expect(a).toEqual(verifyDocumentMigrations({ migrations: broken, seed: 7, runs: 30 }));
    expect(a[0]?.seed).toBe(7);
    expect(verifyDocumentMigrations({ migrations: broken, runs: 0 })).toEqual([]);
  });

  it('passes the 8-step history of every change kind, generated and interpreted', () => {
    const built = buildHistory();
    expect(built.generated.some((m) => m.documents !== undefined)).toBe(true);
    expect(verifyDocumentMigrations({ migrations: built.generated })).toEqual([]);
    expect(verifyDocumentMigrations({ migrations: built.interpreted })).toEqual([]);
  });

  it("passes the example app's history, whose Event documents it upgrades", async () => {
    const url = new URL('../../../apps/example/migrations/index.ts', import.meta.url);
    const migrations = (await import(fileURLToPath(url))).default as Migration[];
    expect(migrations.some((m) => Object.hasOwn(m.documents ?? {}, 'Event'))).toBe(true);
    expect(verifyDocumentMigrations({ migrations, runs: 200 })).toEqual([]);
  });
});

describe('objectArbitrary (core) for documents', () => {
  it('draws only documents the zod schema of their snapshot accepts, every type and format', () => {
    const model = note({
      id: z.uuid(),
      email: z.email(),
      site: z.url(),
      at: z.iso.datetime(),
      when: z.date(),
      name: z.string().max(3),
      kind: z.enum(['a', 'b']),
      n: z.number().int().nullable(),
      big: z.bigint().optional(),
      data: z.record(z.string(), z.unknown()),
      nested: z.object({ tags: z.array(z.string()), flag: z.boolean().optional() }),
    });
    const shape = toSnapshot(defineSchema([model])).models.Note!;
    const schema = zodFromSnapshot(shape);
    fc.assert(
      fc.property(objectArbitrary(shape.fields), (doc) => {
        expect(schema.safeParse(doc).error?.issues).toBeUndefined();
        expect(model.schema.safeParse(doc).error?.issues).toBeUndefined();
      }),
      { numRuns: 300, seed: 1 },
    );
  });

  it('firstDifference treats undefined members as absent and names the first differing path', () => {
    expect(firstDifference({ a: 1, b: undefined }, { a: 1 })).toBeUndefined();
    expect(firstDifference({ a: { b: [1, 2] } }, { a: { b: [1, 3] } })).toEqual(['a', 'b', '1']);
    expect(firstDifference(new Date(5), new Date(5))).toBeUndefined();
  });
});
