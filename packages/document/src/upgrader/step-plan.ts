import type { FieldSnapshot, JsonValue, TypeSnapshot } from '@evolve/core';
import type { ConversionStep } from './plan-conversion.ts';

/**
 * Where a value comes from when a field is added, filled or restored. `constant` is a default (dates and
 * bigints are stored as text in snapshots and materialized); `zero` is the type's empty value, used by
 * `down` to restore a required field whose value is lost; `todo` needs a transform.
 */
export type ValuePlan =
  | { kind: 'constant'; value: JsonValue; type: TypeSnapshot }
  | { kind: 'null' }
  | { kind: 'absent' }
  | { kind: 'zero'; type: TypeSnapshot }
  | { kind: 'todo'; hint: string };

/**
 * One edit of a document in one direction of one version step. The interpreter runs these; the
 * emitter writes them as TypeScript. `key` names the migration transform that takes precedence
 * (`up` only): the field's dotted path at the new version.
 */
export type DocOp =
  | { op: 'add'; path: string[]; key?: string; value: ValuePlan; note: string }
  | { op: 'remove'; path: string[]; note: string }
  | { op: 'move'; from: string[]; to: string[]; note: string }
  | { op: 'convert'; path: string[]; key?: string; steps?: ConversionStep[]; note: string }
  | {
      op: 'fill';
      path: string[];
      when: 'missing' | 'null' | 'missingOrNull';
      key?: string;
      value: ValuePlan;
      note: string;
    }
  | { op: 'mapValues'; path: string[]; key?: string; values: string[]; note: string }
  | { op: 'unsupported'; path: string[]; note: string }
  | { op: 'note'; path: string[]; note: string };

/** The plan of one model's version step. `lossless`: `down(up(x))` gives back `x` for every valid `x`. */
export interface StepPlan {
  model: string;
  /** The model's name before the step (differs after a rename). */
  previousModel: string;
  up: DocOp[];
  down: DocOp[];
  lossless: boolean;
  /** The model's fields before and after the step. */
  before: Record<string, FieldSnapshot>;
  after: Record<string, FieldSnapshot>;
}
