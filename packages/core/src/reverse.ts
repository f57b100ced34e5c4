import { deepFreeze } from './canonical-json.ts';
import type { Change, ChangeSet } from './change-types.ts';
import { classified, type UnclassifiedChange } from './classify-change.ts';
import { classifyInContext } from './classify-in-context.ts';

function strip(change: Change): UnclassifiedChange {
  const { risk: _risk, compatibility: _compatibility, ...rest } = change;
  return rest as UnclassifiedChange;
}

/**
 * The change that undoes `change` (applied to the state `change` left).
 *
 * @example
 * const undo = diff(prev, next).changes.map(invertChange).reverse(); // what reverse() builds its change set from
 */
export function invertChange(change: Change): Change {
  const c = strip(change);
  const base = { model: c.model, path: c.path };
  switch (c.kind) {
    case 'createModel':
      return classified({ kind: 'dropModel', ...base, previous: c.definition });
    case 'dropModel':
      return classified({ kind: 'createModel', ...base, definition: c.previous });
    case 'renameModel':
      return classified({ kind: 'renameModel', model: c.from, path: [], from: c.model });
    case 'renameTable':
      return classified({ ...c, from: c.to, to: c.from });
    case 'addField':
      return classified({ kind: 'dropField', ...base, previous: c.field });
    case 'dropField':
      return classified({ kind: 'addField', ...base, field: c.previous });
    case 'renameField':
      // the target is not on the change: a rename's risk is the same both ways
      return classified({ ...c, path: c.from, from: c.path }, change.risk === 'safe' ? 'sql' : 'document');
    case 'changeType':
    case 'changeNullable':
    case 'changeOptional':
    case 'changePrimaryKey':
      return classified({ ...c, from: c.to, to: c.from } as UnclassifiedChange);
    case 'changeDefault': {
      const out: UnclassifiedChange = { kind: 'changeDefault', ...base };
      if (c.to) out.from = c.to;
      if (c.from) out.to = c.from;
      return classified(out);
    }
    case 'changeColumn':
      return classified({ ...c, from: c.to, to: c.from });
    case 'changeGenerated': {
      const out: UnclassifiedChange = { kind: 'changeGenerated', ...base };
      if (c.to) out.from = c.to;
      if (c.from) out.to = c.from;
      return classified(out);
    }
    case 'addEnumValues':
      return classified({ ...c, kind: 'removeEnumValues', before: c.after, after: c.before });
    case 'removeEnumValues':
      return classified({ ...c, kind: 'addEnumValues', before: c.after, after: c.before });
    case 'addIndex':
      return classified({ kind: 'dropIndex', ...base, index: c.index });
    case 'dropIndex':
      return classified({ kind: 'addIndex', ...base, index: c.index });
    case 'addForeignKey':
      return classified({ kind: 'dropForeignKey', ...base, foreignKey: c.foreignKey });
    case 'dropForeignKey':
      return classified({ kind: 'addForeignKey', ...base, foreignKey: c.foreignKey });
  }
}

/**
 * The down direction of a change set: its changes inverted, in reverse order, with risk and
 * compatibility recomputed, so `applyChanges(b, reverse(diff(a, b)))` gives back `a`.
 *
 * @example
 * const down = reverse(diff(v1, v2)); // down.from === v2.hash, down.to === v1.hash
 */
export function reverse(changeSet: ChangeSet): ChangeSet {
  return deepFreeze({
    from: changeSet.to,
    to: changeSet.from,
    changes: classifyInContext([...changeSet.changes].reverse().map(invertChange)),
  });
}
