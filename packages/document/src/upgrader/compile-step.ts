import type { FieldSnapshot, Row, Transform } from '@evolve/core';
import * as conversions from './conversions.ts';
import { call, given, hasAny, todo } from './doc-ops/call.ts';
import { moveIn } from './doc-ops/move-in.ts';
import { own } from './doc-ops/own.ts';
import { putIn } from './doc-ops/put-in.ts';
import { fillIn, removeIn, setIn, updateIn } from './doc-ops/set-in.ts';
import type { ConversionStep } from './plan-conversion.ts';
import { isDetached, stepKeys } from './step-keys.ts';
import type { DocOp } from './step-plan.ts';
import { planValue } from './value-plan.ts';

/** The transforms of one model in one migration, by the field's dotted path at the new version. */
export type StepTransforms = Readonly<Record<string, Transform>>;

/**
 * One direction of one version step. Pure unless `owned` is true: then `doc` is the caller's own working
 * copy (see createUpgrader), which the step may edit in place and return.
 */
export type StepFunction = (doc: Row, t: StepTransforms, owned?: boolean) => Row;

/**
 * The `documents` member of a migration module (written by `emitDocumentSection`, editable in review):
 * for each document model the migration changes, keyed by its name at the new version, `up` (older ->
 * newer) and `down`. Both take the migration's transforms for that model as `t`, the same ones the SQL
 * backfill uses. A model without an entry is upgraded by interpreting the migration's changes.
 *
 * @example
 * const documents: DocumentSection = {
 *   Event: {
 *     up: (doc, t = {}, owned = false) => ({ ...doc, name: doc.title, title: undefined }),
 *     down: (doc, t = {}, owned = false) => ({ ...doc, title: doc.name, name: undefined }),
 *   },
 * };
 */
export type DocumentSection = Record<string, { up: StepFunction; down: StepFunction }>;

type CompiledOp = (out: Row, old: Row, t: StepTransforms, owned: boolean) => void;

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
    const key = (op.op === 'move' ? op.from[0] : op.path[0]) as string;
    if (op.op !== 'move') {
      return (out) => {
        out[key] = undefined;
      };
    }
    return (out, old, _t, owned) => {
      putIn(out, op.to, own(old, key), owned);
      out[key] = undefined;
    };
  }
  switch (op.op) {
    case 'add':
    case 'fill': {
      const at = pathOf(op.path);
      const { key, value } = op;
      const make = (old: Row, el: Row | undefined, t: StepTransforms) => {
        const fn = key === undefined ? undefined : t[key];
        // with nothing to derive, the transform is the value (a missing one or a TODO placeholder throws)
        if (value.kind === 'todo' && key !== undefined) return call(fn, at, el ?? old);
        return given(fn) ? call(fn, at, el ?? old) : planValue(value, at);
      };
      if (op.op === 'add')
        return (out, old, t, owned) => setIn(out, op.path, (_v, el) => make(old, el, t), owned);
      const when = op.when;
      return (out, old, t, owned) => fillIn(out, op.path, when, (el) => make(old, el, t), owned);
    }
    case 'remove':
      return (out, _old, _t, owned) => removeIn(out, op.path, owned);
    case 'move':
      return (out, _old, _t, owned) => moveIn(out, op.from, op.to, owned);
    case 'convert': {
      const at = pathOf(op.path);
      const { key, steps, note } = op;
      return (out, old, t, owned) =>
        updateIn(
          out,
          op.path,
          (v, el) => {
            const fn = key === undefined ? undefined : t[key];
            if (given(fn)) return call(fn, at, el ?? old);
            return steps ? runConversion(steps, v, at) : todo(at, note);
          },
          owned,
        );
    }
    case 'mapValues': {
      const at = pathOf(op.path);
      const { key, values, note } = op;
      return (out, old, t, owned) =>
        updateIn(
          out,
          op.path,
          (v, el) => {
            if (!values.includes(v as string)) return v;
            const fn = key === undefined ? undefined : t[key];
            return given(fn) ? call(fn, at, el ?? old) : todo(at, note);
          },
          owned,
        );
    }
    case 'unsupported': {
      const at = pathOf(op.path);
      return (out, _old, _t, owned) => updateIn(out, op.path, () => todo(at, op.note), owned);
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
 * const up = compileStep(step.plan.up, 'Event', step.plan.before);
 * up(doc, migration.transforms?.Event ?? {});
 */
export function compileStep(
  ops: readonly DocOp[],
  model: string,
  before: Record<string, FieldSnapshot>,
): StepFunction {
  const { detached, fresh } = stepKeys(ops, before);
  const declared = [...detached, ...fresh];
  const compiled = ops
    .map((op) => compileOp(op, model, detached))
    .filter((f): f is CompiledOp => f !== undefined);
  const transforms = ops.some((op) => 'key' in op && op.key !== undefined);
  return (doc, t, owned = false) => {
    // in place only when no transform may still read the document as it was before this step
    const inPlace = owned && !(transforms && hasAny(t));
    const out = inPlace ? doc : { ...doc };
    // the members the step creates start absent either way (a stored member of that name no version
    // had yet is replaced, as on a copy): a working copy may hold one
    for (const key of inPlace ? fresh : declared) out[key] = undefined;
    for (const op of compiled) op(out, doc, t, inPlace);
    return out;
  };
}
