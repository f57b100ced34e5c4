import type { Change, FieldSnapshot, Row, Transforms } from '@evolve/core';
import { compileStep } from './compile-step.ts';
import { clean } from './doc-ops/clean.ts';
import { ownTransforms } from './own-transforms.ts';
import { planDocumentStep } from './plan-document-step.ts';

export interface ApplyDocumentChangesOptions {
  /** The model's name at the newer version. */
  model: string;
  /** The model's fields before the changes (at the older version). */
  before: Record<string, FieldSnapshot>;
  changes: readonly Change[];
  /** The migration's transforms (all models; the model's own are used in `up`). */
  transforms?: Transforms;
  direction: 'up' | 'down';
}

/**
 * Interprets a change set on one document without generated code: `up` brings a document from the older
 * version to the newer one, `down` walks it back. The same plan feeds `emitDocumentSection`, so the two
 * agree; the upgrader falls back to this when a migration has no `documents` section.
 *
 * @example
 * applyDocumentChanges({ title: 'x' }, { model: 'Event', before: before.models.Event!.fields, changes, direction: 'up' }); // { name: 'x' }
 */
export function applyDocumentChanges(doc: Row, options: ApplyDocumentChangesOptions): Row {
  const plan = planDocumentStep({ model: options.model, changes: options.changes, before: options.before });
  const up = options.direction === 'up';
  const step = compileStep(up ? plan.up : plan.down, options.model, up ? plan.before : plan.after);
  const t = ownTransforms(options.direction === 'up' ? options.transforms?.[options.model] : undefined);
  return clean(step(doc, t));
}
