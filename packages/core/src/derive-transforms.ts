import type { Change, ChangeSet, FieldPath } from './change-types.ts';
import { ELEMENT } from './field-tree.ts';
import type { FieldSnapshot } from './snapshot-types.ts';
import { typeRelation } from './type-relation.ts';

/**
 * A field whose existing values must be computed during a migration. `code` is the source of a TS arrow
 * function from the old row/document (old field names) to the new value, or null when only a person can
 * write it (the generator then emits a `todo(...)` that throws until replaced).
 */
export interface TransformPlan {
  model: string;
  /** Dotted path at the new version (`address.city`). */
  field: string;
  code: string | null;
  reason: string;
}

const key = (path: readonly string[]) => path.join('.');

/** `old.age`, or `(old as any).address?.city` for a nested old path (a Row's members are unknown). */
function access(path: FieldPath): string {
  return path.length === 1 ? `old.${path[0]}` : `(old as any).${path.join('?.')}`;
}

/** Where each field of the new version was at the old one, following the set's renames. */
class OldPaths {
  private readonly moves = new Map<string, Map<string, FieldPath>>();
  private readonly models = new Map<string, string>();
  rename(change: Change): void {
    if (change.kind === 'renameModel') {
      this.models.set(change.model, this.models.get(change.from) ?? change.from);
      this.moves.set(change.model, this.moves.get(change.from) ?? new Map());
    } else if (change.kind === 'renameField') {
      const map = this.moves.get(change.model) ?? new Map<string, FieldPath>();
      map.set(key(change.path), this.of(change.model, change.from));
      this.moves.set(change.model, map);
    }
  }
  /** The old path of a path in the current state. */
  of(model: string, path: FieldPath): FieldPath {
    const map = this.moves.get(model);
    for (let i = path.length; map && i > 0; i--) {
      const hit = map.get(key(path.slice(0, i)));
      if (hit) return [...hit, ...path.slice(i)];
    }
    return path;
  }
}

function addedPlan(field: FieldSnapshot): { code: string | null; reason: string } | undefined {
  if (field.optional || field.nullable) return undefined;
  const d = field.default;
  if (d && 'value' in d) return undefined;
  if (d && 'dynamic' in d) {
    if (field.type.kind === 'date')
      return { code: '() => new Date()', reason: 'new required field with a dynamic default' };
    if (field.type.kind === 'string' && field.type.format === 'uuid') {
      return { code: '() => crypto.randomUUID()', reason: 'new required field with a generated id' };
    }
    return {
      code: null,
      reason: 'new required field with a dynamic default: compute the value for existing rows',
    };
  }
  return { code: null, reason: 'new required field without a default: compute its value from the old row' };
}

/**
 * The data transforms a change set needs, one per model field: new required fields without a constant
 * default, type changes (with code for the conversions that can be derived), fields that become required,
 * and enum values that disappear. Fields renamed in the same set are read under their old names.
 *
 * @example
 * deriveTransforms(diff(v1, v2));
 * // [{ model: 'User', field: 'age', code: '(old) => String(old.age)', reason: 'number -> string' }]
 */
export function deriveTransforms(changeSet: ChangeSet): TransformPlan[] {
  const old = new OldPaths();
  const plans = new Map<string, TransformPlan>();
  const add = (model: string, path: FieldPath, code: string | null, reason: string) => {
    const id = `${model}\u0000${key(path)}`;
    const existing = plans.get(id);
    const inArray = path.includes(ELEMENT);
    const finalCode = inArray ? null : code;
    const finalReason = inArray ? `${reason} (inside an array: map each element)` : reason;
    if (existing) {
      existing.code = existing.code === null || finalCode === null ? null : finalCode;
      existing.reason = `${existing.reason}; ${finalReason}`;
    } else plans.set(id, { model, field: key(path), code: finalCode, reason: finalReason });
  };
  const filled = (c: Change) =>
    changeSet.changes.some(
      (r) => r.kind === 'renameField' && r.model === c.model && key(r.path).startsWith(`${key(c.path)}.`),
    );
  const defaults = new Map<string, unknown>();
  for (const c of changeSet.changes) {
    if (c.kind === 'changeDefault' && c.to && 'value' in c.to)
      defaults.set(`${c.model}.${key(c.path)}`, c.to.value);
  }
  for (const c of changeSet.changes) {
    old.rename(c);
    if (c.kind === 'addField') {
      const plan = addedPlan(c.field);
      if (plan && filled(c) && c.field.type.kind === 'object') {
        // a container made for fields moved into it: only its other required fields need values
        for (const [name, child] of Object.entries(c.field.type.fields)) {
          const childPlan = addedPlan(child);
          if (childPlan) add(c.model, [...c.path, name], childPlan.code, childPlan.reason);
        }
      } else if (plan) add(c.model, c.path, plan.code, plan.reason);
    } else if (c.kind === 'changeType') {
      const { relation, convert } = typeRelation(c.from, c.to);
      const was = access(old.of(c.model, c.path));
      const what = `${c.from.kind} -> ${c.to.kind}`;
      if (relation === 'widening' && !convert) continue;
      if (relation === 'widening' && c.to.kind === 'string')
        add(c.model, c.path, `(old) => String(${was})`, what);
      else if (relation === 'widening' && c.to.kind === 'array')
        add(c.model, c.path, `(old) => [${was}]`, what);
      else if (relation === 'widening' && c.to.kind === 'json') continue;
      else add(c.model, c.path, null, `type changes ${what} (${relation}): convert each value`);
    } else if ((c.kind === 'changeNullable' || c.kind === 'changeOptional') && c.from && !c.to) {
      const fallback = defaults.get(`${c.model}.${key(c.path)}`);
      const was = access(old.of(c.model, c.path));
      if (fallback !== undefined) {
        add(
          c.model,
          c.path,
          `(old) => ${was} ?? ${JSON.stringify(fallback)}`,
          'becomes required; the new default fills gaps',
        );
      } else {
        const what = c.kind === 'changeNullable' ? 'null' : 'missing';
        add(c.model, c.path, null, `becomes required: give rows where it is ${what} a value`);
      }
    } else if (c.kind === 'removeEnumValues') {
      add(
        c.model,
        c.path,
        null,
        `enum values ${c.values.join(', ')} are removed: map them to ${c.after.join(' | ')}`,
      );
    }
  }
  return [...plans.values()].sort((x, y) =>
    x.model === y.model ? (x.field < y.field ? -1 : 1) : x.model < y.model ? -1 : 1,
  );
}
