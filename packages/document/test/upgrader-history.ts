import {
  type DiffOptions,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Model,
  type Row,
  type Snapshot,
  type Transforms,
  toSnapshot,
} from '@evolve/core';
import { z } from 'zod';
import { emitDocumentSection } from '../src/upgrader/index.ts';
import { loadSection } from './upgrader-fixtures.ts';

const doc = (name: string, shape: z.ZodRawShape, extra: { renamedFrom?: string } = {}) =>
  defineModel(name, { target: 'document', shape, ...extra });

const item1 = z.object({ sku: z.string(), qty: z.number().int() });
const item4 = z.object({
  code: z.string().meta({ renamedFrom: 'sku' }),
  qty: z.number().int(),
  unit: z.string().default('pc'),
});

/**
 * A fixed 8-step history of one document model covering every change kind the upgrader derives:
 * rename, add with default, int -> float, wrap in array, plunge into a new object, enum removal with a
 * transform, drop, changes inside arrays, number -> string, a required field from a transform,
 * optional/nullable changes, a version that does not touch the model, and a model rename.
 */
export const SCHEMAS: Array<{
  models: Model[];
  renames?: DiffOptions['renames'];
  drops?: DiffOptions['drops'];
  transforms?: Transforms;
}> = [
  {
    models: [
      doc('Event', {
        title: z.string().max(40),
        price: z.number().int(),
        tag: z.string(),
        city: z.string(),
        status: z.enum(['open', 'archived', 'closed']),
        legacy: z.string().optional(),
        items: z.array(item1),
      }),
    ],
  },
  {
    // 2: rename, add with default, int -> float
    models: [
      doc('Event', {
        name: z.string().max(40).meta({ renamedFrom: 'title' }),
        views: z.number().int().default(0),
        price: z.number(),
        tag: z.string(),
        city: z.string(),
        status: z.enum(['open', 'archived', 'closed']),
        legacy: z.string().optional(),
        items: z.array(item1),
      }),
    ],
  },
  {
    // 3: wrap a value in an array, plunge city into a new object
    models: [
      doc('Event', {
        name: z.string().max(40),
        views: z.number().int().default(0),
        price: z.number(),
        tag: z.array(z.string()),
        address: z.object({ city: z.string(), zip: z.string().nullable().default(null) }),
        status: z.enum(['open', 'archived', 'closed']),
        legacy: z.string().optional(),
        items: z.array(item1),
      }),
    ],
    renames: { 'Event.city': 'address.city' },
  },
  {
    // 4: enum value removed (transform), drop, changes inside arrays of objects
    models: [
      doc('Event', {
        name: z.string().max(40),
        views: z.number().int().default(0),
        price: z.number(),
        tag: z.array(z.string()),
        address: z.object({ city: z.string(), zip: z.string().nullable().default(null) }),
        status: z.enum(['open', 'closed']),
        items: z.array(item4),
      }),
    ],
    transforms: { Event: { status: (old: Row) => (old.status === 'archived' ? 'closed' : old.status) } },
  },
  {
    // 5: number -> string, a required field computed by a transform
    models: [
      doc('Event', {
        name: z.string().max(40),
        views: z.number().int().default(0),
        price: z.string(),
        tag: z.array(z.string()),
        address: z.object({ city: z.string(), zip: z.string().nullable().default(null) }),
        status: z.enum(['open', 'closed']),
        items: z.array(item4),
        slug: z.string(),
      }),
    ],
    transforms: { Event: { slug: (old: Row) => String(old.name).toLowerCase().replace(/\s+/g, '-') } },
  },
  {
    // 6: optional and nullable relaxed, a new optional field
    models: [
      doc('Event', {
        name: z.string().max(40),
        views: z.number().int().default(0).optional(),
        price: z.string(),
        tag: z.array(z.string()),
        address: z.object({ city: z.string(), zip: z.string().nullable().default(null) }),
        status: z.enum(['open', 'closed']).nullable(),
        items: z.array(item4),
        slug: z.string(),
        note: z.string().optional(),
      }),
    ],
  },
  {
    // 7: another model only: the Event documents keep their shape
    models: [],
  },
  {
    // 8: the model is renamed
    models: [],
  },
];

const event6 = SCHEMAS[5]?.models[0] as Model;
const other = doc('Other', { x: z.number() });
(SCHEMAS[6] as { models: Model[] }).models = [event6, other];
export const Happening = defineModel('Happening', {
  target: 'document',
  shape: event6.shape,
  renamedFrom: 'Event',
});
(SCHEMAS[7] as { models: Model[] }).models = [Happening, other];

export interface BuiltHistory {
  snapshots: Snapshot[];
  /** With generated `documents` sections. */
  generated: Migration[];
  /** Without: the upgrader interprets the changes. */
  interpreted: Migration[];
  sources: string[];
}

const slug = (i: number) =>
  ['create_event', 'rename', 'wrap_plunge', 'enum_drop_items', 'to_string', 'relax', 'other', 'rename_model'][
    i
  ];

/**
 * Diffs the schemas (default: `SCHEMAS`) into migrations, emitting and loading each one's documents
 * section.
 */
export function buildHistory(schemas: typeof SCHEMAS = SCHEMAS): BuiltHistory {
  const snapshots: Snapshot[] = [];
  const generated: Migration[] = [];
  const interpreted: Migration[] = [];
  const sources: string[] = [];
  let prev = emptySnapshot();
  schemas.forEach((step, i) => {
    const next = toSnapshot(defineSchema(step.models));
    const changeSet = diff(prev, next, {
      ...(step.renames ? { renames: step.renames } : {}),
      ...(step.drops ? { drops: step.drops } : {}),
    });
    const id = `${String(i + 1).padStart(4, '0')}_${schemas === SCHEMAS ? slug(i) : `step${i + 1}`}`;
    const base: Migration = {
      id,
      ...changeSet,
      ...(step.transforms ? { transforms: step.transforms } : {}),
    };
    const source = emitDocumentSection(changeSet, { before: prev, after: next, version: i + 1 });
    sources.push(source.code);
    generated.push({ ...base, documents: loadSection(source.code) });
    interpreted.push(base);
    snapshots.push(next);
    prev = next;
  });
  return { snapshots, generated, interpreted, sources };
}

/** Structural equality where `undefined` members count as absent (dates by time, bigints by value). */
export function sameDoc(a: unknown, b: unknown): boolean {
  if (Object.is(a, b) || a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => sameDoc(v, b[i]));
  const ra = a as Row;
  const rb = b as Row;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) if (!sameDoc(ra[k], rb[k])) return false;
  return true;
}
