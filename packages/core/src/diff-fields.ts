import { applyChange } from './apply-change.ts';
import type { Change } from './change-types.ts';
import { classifyOwn, type UnclassifiedChange } from './classify-change.ts';
import { compareFields } from './compare-fields.ts';
import { cloneData } from './deep-equal.ts';
import { diffFieldMoves } from './diff-field-moves.ts';
import { fieldOrderOf } from './field-order.ts';
import type { FieldMatch } from './match-fields.ts';
import type { ModelPair } from './match-models.ts';
import type { ModelSnapshot } from './snapshot-types.ts';

export interface FieldDiff {
  changes: Change[];
  /** The primary key after the field renames (renaming a top-level field renames it in the key). */
  primaryKey: string[];
}

/**
 * The field changes of one matched model, in contract order: renames (parents first, each `from`
 * where the field is at that moment), then drops, then adds, then per-field changes in path order.
 * It edits a working copy of the old model as it goes, so every change fits the state it applies to.
 * Two moves need an extra change first: a move into an object that does not exist yet adds that
 * object (without the moved fields), and a move onto a name still held by a vanished field drops it.
 */
export function diffFields(pair: ModelPair, match: FieldMatch): FieldDiff {
  const model = pair.next.name;
  const target = pair.next.target;
  // the working copy is edited only by the moves; without any, the old model is read as is
  const work: ModelSnapshot = { ...(match.moves.length > 0 ? cloneData(pair.old) : pair.old), name: model };
  const models = { [model]: work };
  const out: Change[] = [];
  const emit = (change: UnclassifiedChange) => {
    const c = classifyOwn(change, target);
    applyChange(models, c);
    out.push(c);
  };
  diffFieldMoves({ work, next: pair.next, match, emit });
  const { drops, adds, others } = compareFields(model, work.fields, pair.next.fields);
  // new columns are appended in declaration order (a stable sort keeps nested additions in path order)
  if (adds.length > 1) {
    const position = new Map(fieldOrderOf(pair.next).map((name, i) => [name, i]));
    const rank = (c: UnclassifiedChange) => position.get(c.path[0] as string) ?? -1;
    adds.sort((a, b) => rank(a) - rank(b));
  }
  for (const change of [...drops, ...adds, ...others]) out.push(classifyOwn(change, target));
  return { changes: out, primaryKey: work.primaryKey };
}
