import type { Change, Compatibility, Risk } from './change-types.ts';
import type { ModelTarget } from './snapshot-types.ts';
import { typeRelation } from './type-relation.ts';

/** A change before classification: everything but `risk` and `compatibility`. */
export type UnclassifiedChange = Change extends infer C
  ? C extends Change
    ? Omit<C, 'risk' | 'compatibility'>
    : never
  : never;

export interface Classification {
  risk: Risk;
  compatibility: Compatibility;
}

const BOTH: Compatibility = { backward: true, forward: true };
const BACKWARD: Compatibility = { backward: true, forward: false };
const FORWARD: Compatibility = { backward: false, forward: true };
const NEITHER: Compatibility = { backward: false, forward: false };

const FROZEN = {
  both: Object.freeze({ ...BOTH }),
  backward: Object.freeze({ ...BACKWARD }),
  forward: Object.freeze({ ...FORWARD }),
  neither: Object.freeze({ ...NEITHER }),
};

const of = (risk: Risk, compatibility: Compatibility): Classification => ({
  risk,
  compatibility: { ...compatibility },
});

/**
 * The risk for existing data and the Confluent-style compatibility of one change
 * (backward: new readers read old data; forward: old readers read new data).
 * `target` matters for renames: an SQL column rename is metadata only, a document field rename
 * rewrites (or lazily upgrades) every document.
 *
 * @example
 * classifyChange({ kind: 'changeNullable', model: 'User', path: ['bio'], from: false, to: true }, 'sql');
 * // { risk: 'safe', compatibility: { backward: true, forward: false } }
 */
export function classifyChange(change: UnclassifiedChange, target: ModelTarget = 'sql'): Classification {
  switch (change.kind) {
    case 'createModel':
      return of('safe', BOTH);
    case 'dropModel':
      return of('destructive', BACKWARD);
    case 'renameModel':
    case 'renameTable':
      return of('safe', NEITHER);
    case 'renameField':
      return of(target === 'document' ? 'needs-backfill' : 'safe', NEITHER);
    case 'addField': {
      const f = change.field;
      return f.optional || f.nullable || f.default !== undefined
        ? of('safe', BOTH)
        : of('needs-backfill', FORWARD);
    }
    case 'dropField': {
      const f = change.previous;
      // old readers still expect the field unless they could do without it
      return of('destructive', { backward: true, forward: f.optional || f.default !== undefined });
    }
    case 'changeType': {
      const { relation, convert } = typeRelation(change.from, change.to);
      if (relation === 'equal') return of('safe', BOTH);
      if (relation === 'widening') return of(convert ? 'needs-backfill' : 'safe', BACKWARD);
      if (relation === 'narrowing') return of('lossy', FORWARD);
      return of('lossy', NEITHER);
    }
    case 'changeNullable':
    case 'changeOptional':
      return change.to ? of('safe', BACKWARD) : of('needs-backfill', FORWARD);
    case 'changeDefault':
    case 'changeColumn':
      return of('safe', BOTH);
    case 'changeGenerated':
      // stored values stay as they are; only inserts that leave the key out depend on it
      return of('safe', BOTH);
    case 'addEnumValues':
      return of('safe', BACKWARD);
    case 'removeEnumValues':
      return of('lossy', FORWARD);
    case 'addIndex':
      return of(change.index.unique ? 'needs-backfill' : 'safe', BOTH);
    case 'dropIndex':
    case 'addForeignKey':
    case 'dropForeignKey':
      return of('safe', BOTH);
    case 'changePrimaryKey':
      return of('needs-backfill', BOTH);
  }
}

/**
 * Adds `risk` and `compatibility` to a change the caller just built and owns, in place (a copy per change
 * costs `diff` a generic object spread for each of thousands of changes); returns it as a Change.
 */
export function classifyOwn(change: UnclassifiedChange, target: ModelTarget = 'sql'): Change {
  const { risk, compatibility } = classifyChange(change, target);
  const out = change as Change;
  out.risk = risk;
  // one frozen object per answer, shared: a change set is frozen anyway, and there is one less to freeze
  out.compatibility = compatibility.backward
    ? compatibility.forward
      ? FROZEN.both
      : FROZEN.backward
    : compatibility.forward
      ? FROZEN.forward
      : FROZEN.neither;
  return out;
}

/** Adds `risk` and `compatibility` to a change. */
export function classified<C extends UnclassifiedChange>(change: C, target: ModelTarget = 'sql'): Change {
  return { ...change, ...classifyChange(change, target) } as Change;
}
