import type { FieldPath } from './change-types.ts';
import type { UnclassifiedChange } from './classify-change.ts';
import { deepEqual } from './deep-equal.ts';
import type { TypeSnapshot } from './snapshot-types.ts';

/**
 * The changes that take one field's type from `from` to `to`. Two enums whose common values keep their
 * order differ by added and/or removed values (added first, appended, so the middle state holds both);
 * anything else is one `changeType`.
 */
export function typeChanges(
  model: string,
  from: TypeSnapshot,
  to: TypeSnapshot,
  path: FieldPath,
): UnclassifiedChange[] {
  if (from.kind === 'enum' && to.kind === 'enum') {
    const kept = from.values.filter((v) => to.values.includes(v));
    if (
      deepEqual(
        kept,
        to.values.filter((v) => from.values.includes(v)),
      )
    ) {
      const added = to.values.filter((v) => !from.values.includes(v));
      const removed = from.values.filter((v) => !to.values.includes(v));
      const middle = [...to.values, ...removed];
      const result: UnclassifiedChange[] = [];
      if (added.length > 0) {
        result.push({
          kind: 'addEnumValues',
          model,
          path,
          values: added,
          before: from.values,
          after: middle,
        });
      }
      if (removed.length > 0) {
        const before = added.length > 0 ? middle : from.values;
        result.push({ kind: 'removeEnumValues', model, path, values: removed, before, after: to.values });
      }
      return result;
    }
  }
  return [{ kind: 'changeType', model, path, from, to }];
}
