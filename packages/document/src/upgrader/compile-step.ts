import type { FieldSnapshot, Row, Transform } from '@evolve/core';
import * as conversions from './conversions.ts';
import type { DocOp } from './doc-op.ts';
import { call, fillIn, moveIn, putIn, removeIn, setIn, todo, updateIn } from './doc-ops.ts';
import type { ConversionStep } from './plan-conversion.ts';
import { isDetached, stepKeys } from './step-keys.ts';
import { planValue } from './value-plan.ts';

/** The transforms of one model in one migration, by the field's dotted path at the new version. */
export type StepTransforms = Readonly<Record<string, Transform>>;

/** One direction of one version step: pure, never mutates `doc`. */
export type StepFunction = (doc: Row, t: StepTransforms) => Row;

type CompiledOp = (out: Row, old: Row, t: StepTransforms) => void;

const CONVERSIONS: Record<string, unknown> = conversions;

/** Runs conversion steps over a value. */
export function runConversion(steps: readonly ConversionStep[], value: unknown, path: string): unknown {
  let v = value;
  for (const s of steps) v = (CONVERSIONS[s.fn] as (...a: unknown[]) => unknown)(v, path, ...s.args);
  return v;
}

function compileOp(op: DocOp, model: string, detached: readonly string[]): CompiledOp | undefined {
  const pathOf = (p: readonly string[]) => `${model}.${p.join('.')}`;
  if (isDetached(op, detached)) {
    // the key was left out of the copy: a removal is done, a move reads the value from `old`
    if (op.op !== 'move') return undefined;
    const key = op.from[0] as string;
    return (out, old) => putIn(out, op.to, old[key]);
  }
  switch (op.op) {
    case 'add':
    case 'fill': {
      const at = pathOf(op.path);
      const { key, value } = op;
      const make = (old: Row, el: Row | undefined, t: StepTransforms) => {
        const fn = key === undefined ? undefined : t[key];
        return fn ? call(fn, at, el ?? old) : planValue(value, at);
      };
      if (op.op === 'add') return (out, old, t) => setIn(out, op.path, (_v, el) => make(old, el, t));
      const when = op.when;
      return (out, old, t) => fillIn(out, op.path, when, (el) => make(old, el, t));
    }
    case 'remove':
      return (out) => removeIn(out, op.path);
    case 'move':
      return (out) => moveIn(out, op.from, op.to);
    case 'convert': {
      const at = pathOf(op.path);
      const { key, steps, note } = op;
      return (out, old, t) =>
        updateIn(out, op.path, (v, el) => {
          const fn = key === undefined ? undefined : t[key];
          if (fn) return call(fn, at, el ?? old);
          return steps ? runConversion(steps, v, at) : todo(at, note);
        });
    }
    case 'mapValues': {
      const at = pathOf(op.path);
      const { key, values, note } = op;
      return (out, old, t) =>
        updateIn(out, op.path, (v, el) => {
          if (!values.includes(v as string)) return v;
          const fn = key === undefined ? undefined : t[key];
          return fn ? call(fn, at, el ?? old) : todo(at, note);
        });
    }
    case 'unsupported': {
      const at = pathOf(op.path);
      return (out) => updateIn(out, op.path, () => todo(at, op.note));
    }
    case 'note':
      return undefined;
  }
}

/**
 * Turns planned ops into a step function (the interpreter: used when a migration has no generated
 * `documents` section, and as the oracle the generated code is tested against).
 *
 * @example
 * const up = compileStep(plan.up, 'Event'); up(doc, migration.transforms?.Event ?? {});
 */
export function compileStep(
  ops: readonly DocOp[],
  model: string,
  before: Record<string, FieldSnapshot> = {},
): StepFunction {
  const { detached, fresh } = stepKeys(ops, before);
  const declared = [...detached, ...fresh];
  const compiled = ops
    .map((op) => compileOp(op, model, detached))
    .filter((f): f is CompiledOp => f !== undefined);
  return (doc, t) => {
    const out = { ...doc };
    for (const key of declared) out[key] = undefined;
    for (const op of compiled) op(out, doc, t);
    return out;
  };
}
