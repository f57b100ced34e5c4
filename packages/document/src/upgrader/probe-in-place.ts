import { type FieldSnapshot, type Row, setOwn, type TypeSnapshot } from '@evolve/core';
import type { StepFunction, StepTransforms } from './compile-step.ts';
import { own } from './doc-ops/own.ts';

function sampleValue(type: TypeSnapshot): unknown {
  switch (type.kind) {
    case 'string':
      if (type.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      if (type.format === 'email') return 'a@example.com';
      if (type.format === 'url') return 'https://example.com/';
      if (type.format === 'datetime') return '2020-01-01T00:00:00.000Z';
      return 'sample';
    case 'number':
      return type.integer ? 7 : 7.5;
    case 'bigint':
      return 7n;
    case 'boolean':
      return true;
    case 'date':
      return new Date(0);
    case 'enum':
      return type.values[0];
    case 'literal':
      return type.value;
    case 'json':
      return { sample: [1] };
    case 'array':
      return [fieldValue(type.element, true)];
    case 'object':
      return sampleDocument(type.fields, true);
  }
}

function fieldValue(field: FieldSnapshot, present: boolean): unknown {
  if (!present && field.nullable) return null;
  return sampleValue(field.type);
}

/**
 * A document of a shape for probing a step: with `present`, every field holds a value of its type; without,
 * optional fields are left out and nullable ones are null.
 */
export function sampleDocument(fields: Record<string, FieldSnapshot>, present: boolean): Row {
  const doc: Row = {};
  for (const [name, field] of Object.entries(fields)) {
    if (!present && field.optional) continue;
    setOwn(doc, name, fieldValue(field, present));
  }
  return doc;
}

/** Equality where `undefined` members count as absent (dates by time). */
function same(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => same(v, bb[i]));
  }
  const ra = a as Row;
  const rb = b as Row;
  for (const k of new Set([...Object.keys(ra), ...Object.keys(rb)]))
    if (!same(own(ra, k), own(rb, k))) return false;
  return true;
}

type Outcome = { ok: true; value: Row } | { ok: false; message: string };

function run(step: StepFunction, doc: Row, t: StepTransforms, owned: boolean): Outcome {
  try {
    return { ok: true, value: step(doc, t, owned) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Whether a step from a migration file may edit the caller's working copy in place (`owned`): it must
 * give the same result as on a document of its own, for sample documents of the shape it starts from.
 * A generated step does; a hand-edited one that reads `doc` after its generated lines changed it (a
 * `const old = doc` in `down`) does not, and then runs on its own copy, so every step sees the document
 * as it was when the step began. The samples hold every field (and, second, only the required ones),
 * which is where such an edit shows; code that only misbehaves on other values is not caught.
 *
 * @example
 * const { prepare } = workingCopy(history.shapes.values(), '_v');
 * const inPlace = probeInPlace(step.down, {}, [sampleDocument(after.models.Event!.fields, true)], prepare);
 */
export function probeInPlace(
  step: StepFunction,
  t: StepTransforms,
  samples: readonly Row[],
  prepare: (doc: Row) => Row,
): boolean {
  for (const sample of samples) {
    // both runs start from working copies, so the probe shows the step no document shapes it never sees
    const owned = run(step, prepare(structuredClone(sample)), t, true);
    const apart = run(step, prepare(structuredClone(sample)), t, false);
    if (apart.ok && owned.ok) {
      if (!same(apart.value, owned.value)) return false;
    } else if (apart.ok || owned.ok || apart.message !== owned.message) return false;
  }
  return true;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Whether a step keeps to what its plan says it edits, so a chain may copy only that (see `touchedWorkingCopy`):
 * run on a copy of a frozen sample made by `prepare` (the plan's own copy), it must not write to the
 * frozen, shared parts (a hand-edited step that does throws there) and must give the same result as on a
 * document of its own.
 *
 * @example
 * const touched = touchedPaths([{ ops: step.plan.up, transforms: step.transforms }]);
 * const ends = touched && touchedWorkingCopy(history.shapes.values(), '_v', touched);
 * const samples = [sampleDocument(step.plan.before, true)];
 * const ok = ends !== undefined && probeTouchedCopy(step.up, step.transforms, samples, ends.prepare, true);
 */
export function probeTouchedCopy(
  step: StepFunction,
  t: StepTransforms,
  samples: readonly Row[],
  prepare: (doc: Row) => Row,
  owned: boolean,
): boolean {
  for (const sample of samples) {
    const partial = run(step, prepare(deepFreeze(structuredClone(sample))), t, owned);
    const apart = run(step, structuredClone(sample), t, false);
    if (apart.ok && partial.ok) {
      if (!same(apart.value, partial.value)) return false;
    } else if (apart.ok || partial.ok || apart.message !== partial.message) return false;
  }
  return true;
}
