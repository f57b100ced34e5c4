import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  defineModel,
  defineSchema,
  type FieldSnapshot,
  fieldOrderOf,
  type ModelSnapshot,
  makeSnapshot,
  parseSnapshot,
  serializeSnapshot,
  type TypeSnapshot,
  toSnapshot,
  zodOfType,
} from '../src/index.ts';
import { Rng, randomModels } from './random-schemas.ts';

const RUNS = { numRuns: Number(process.env.EVOLVE_PROPERTY_RUNS ?? 300) };

/** An object type with its fields in a shuffled key order (the snapshot must not depend on it). */
function shuffled(type: TypeSnapshot, r: Rng): TypeSnapshot {
  if (type.kind !== 'object') return type;
  return { ...type, fields: Object.fromEntries(r.shuffle(Object.entries(type.fields))) };
}

function zodField(field: FieldSnapshot, r: Rng): z.ZodType {
  let s = zodOfType(shuffled(field.type, r), (f) => zodField(f, r));
  const meta: Record<string, string> = {};
  if (field.sqlType) meta.sqlType = field.sqlType;
  if (field.column) meta.column = field.column;
  if (field.generated) meta.generated = field.generated;
  if (Object.keys(meta).length > 0) s = s.meta(meta);
  if (field.nullable) s = s.nullable();
  if (field.default) {
    const d = field.default;
    s = (s as z.ZodType<unknown>).default('value' in d ? (d.value as never) : () => Math.random() as never);
  }
  if (field.optional) s = s.optional();
  return s;
}

function shuffledShape(fields: Record<string, FieldSnapshot>, r: Rng): Record<string, z.ZodType> {
  return Object.fromEntries(
    r.shuffle(Object.keys(fields)).map((name) => [name, zodField(fields[name] as FieldSnapshot, r)]),
  );
}

function zodSchema(models: Record<string, ModelSnapshot>, r: Rng) {
  return defineSchema(
    r.shuffle(Object.values(models)).map((m) =>
      defineModel(m.name, {
        shape: shuffledShape(m.fields, r),
        target: m.target,
        table: m.table,
        primaryKey: m.primaryKey,
        indexes: r.shuffle(m.indexes).map((i) => ({ fields: i.fields, unique: i.unique, name: i.name })),
        foreignKeys: r.shuffle(m.foreignKeys).map((fk) => ({ ...fk })),
      }),
    ),
  );
}

describe('toSnapshot properties', () => {
  it('hashes the same under shuffled model, field and nested key order, keeps the declared field order, and reads back what was written', () => {
    fc.assert(
      fc.property(fc.noBias(fc.integer()), (seed) => {
        const models = randomModels(new Rng(seed));
        const schema = zodSchema(models, new Rng(seed + 1));
        const first = toSnapshot(schema);
        const second = toSnapshot(zodSchema(models, new Rng(seed + 2)));
        expect(second.hash).toBe(first.hash);
        const content = (m: ModelSnapshot) => {
          const { fieldOrder: _, ...rest } = m;
          return rest;
        };
        for (const [name, model] of Object.entries(first.models)) {
          expect(content(model)).toEqual(makeSnapshot(models).models[name]);
          expect(fieldOrderOf(model)).toEqual(Object.keys(schema.models[name]?.shape ?? {}));
        }
        expect(parseSnapshot(serializeSnapshot(first)).models).toEqual(first.models);
      }),
      RUNS,
    );
  });
});
