import { isEvolveError, type Row } from '@evolve/core';
import { firstDifference } from './first-difference.ts';

/**
 * What running a piece of migration code gave: a document, or the error it threw (an EvolveError keeps its
 * code and path, and the field and migration its details name; anything else is `THROWN`).
 */
export type StepOutcome =
  | { ok: true; doc: Row }
  | { ok: false; code: string; message: string; field?: string; migration?: string; path?: string };

/** Runs migration code and catches what it throws. */
export function outcome(run: () => Row): StepOutcome {
  try {
    return { ok: true, doc: run() };
  } catch (error) {
    if (!isEvolveError(error)) {
      return { ok: false, code: 'THROWN', message: error instanceof Error ? error.message : String(error) };
    }
    const { field, migration } = error.details ?? {};
    return {
      ok: false,
      code: error.code,
      message: error.message,
      ...(typeof field === 'string' && field !== '' ? { field } : {}),
      ...(typeof migration === 'string' ? { migration } : {}),
      ...(error.path ? { path: error.path } : {}),
    };
  }
}

/** Whether an outcome is a TODO marker: reported by `check` as TODO_TRANSFORM, never as a property. */
export const isTodoOutcome = (o: StepOutcome): boolean => !o.ok && o.code === 'TODO_TRANSFORM';

/**
 * How two outcomes differ (`undefined`: the same document, or errors with the same code), with the path at
 * which the documents differ.
 */
export function outcomeDifference(
  a: StepOutcome,
  b: StepOutcome,
): { path: string[]; a: string; b: string } | undefined {
  if (a.ok && b.ok) {
    const path = firstDifference(a.doc, b.doc);
    if (!path) return undefined;
    return { path, a: showAt(a.doc, path), b: showAt(b.doc, path) };
  }
  if (!a.ok && !b.ok && a.code === b.code && (a.code !== 'THROWN' || a.message === b.message))
    return undefined;
  return { path: [], a: describeOutcome(a), b: describeOutcome(b) };
}

function describeOutcome(o: StepOutcome): string {
  return o.ok ? 'a document' : `${o.code}: ${o.message}`;
}

/** The value at a path, as text (`absent` for a missing member). */
export function showAt(doc: unknown, path: readonly string[]): string {
  let value: unknown = doc;
  for (const key of path)
    value = value === null || typeof value !== 'object' ? undefined : (value as Row)[key];
  if (value === undefined) return 'absent';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return `${value}n`;
  return JSON.stringify(value) ?? String(value);
}

/** The field path an outcome's error points at inside `model` (`details.field`, else its `Model.a.b` path). */
export function failingPath(o: StepOutcome, model: string): string[] | undefined {
  if (o.ok) return undefined;
  if (o.field) return o.field.split('.');
  if (o.path?.startsWith(`${model}.`)) return o.path.slice(model.length + 1).split('.');
  return undefined;
}
