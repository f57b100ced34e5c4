import type { FieldSnapshot, ModelSnapshot, TypeSnapshot } from '@evolve/core';
import type { BackfillValue, SqlStep } from '../steps/sql-step.ts';
import { alterColumnType, validateEnumCheck } from '../steps/step-constructors.ts';

/** The steps planned for one model's run of field changes: expand, backfill passes, contract. */
export interface Group {
  model: ModelSnapshot;
  pre: SqlStep[];
  /** One backfill pass per entry (a second pass only when two sources target the same column). */
  sets: Record<string, BackfillValue>[];
  post: SqlStep[];
  /** Fields whose column becomes NOT NULL: filled and constrained once the group's final state is known. */
  notNull: string[];
}

/**
 * The contract steps of a group with the NOT NULLs of columns that keep their name first: they need the
 * values the backfill (and its change log) gave, which can only be computed again while the old columns
 * are still there, i.e. before the drops and renames that swap in a replacement column. The swaps of enum
 * CHECKs that drop values come next, each right after a catch-up of its column (in its transaction, or under
 * its lock), so that the old code's writes of a removed value fail from then on; their validations
 * (which run outside a transaction) come last, after the drops and renames the catch-up also guards.
 */
export function contractOrder(post: readonly SqlStep[]): SqlStep[] {
  const renamedInto = new Set(post.flatMap((s) => (s.kind === 'renameColumn' ? [s.to] : [])));
  const rank = (s: SqlStep) => {
    if (s.kind === 'setNotNull' && !renamedInto.has(s.column)) return 0;
    if (s.kind === 'alterColumnType') return 1; // only enum swaps are contract steps
    return s.kind === 'validateEnumCheck' ? 3 : 2;
  };
  return [...post].sort((a, b) => rank(a) - rank(b));
}

/**
 * The CHECK of a column whose type changes without a change of its stored type (enum values added or
 * removed, a string becoming an enum or an enum a string). Values only added: the CHECK is widened before
 * anything writes the new values, then validated. Values removed (or a string narrowed to an enum): the
 * CHECK is swapped after the backfill that rewrote the old values (first of the contract steps, see
 * `contractOrder`), then validated; the validation is destructive, acknowledged at the field's path.
 * Values removed without a transform stay allowed: nothing can rewrite the rows that hold them (the down of
 * an addition: down migrations carry no transforms), and a CHECK refusing them would fail the migration; a
 * later migration that maps them with a transform narrows the CHECK (generated migrations always get one,
 * as a TODO until it is written).
 */
export function planEnumCheck(
  group: Group,
  at: { table: string; column: string; field: FieldSnapshot; from: TypeSnapshot; transformed: boolean },
): void {
  const { table, column, field, from } = at;
  const was = from.kind === 'enum' ? from.values : undefined;
  const now = field.type.kind === 'enum' ? field.type.values : undefined;
  if (!was && !now) return;
  // a copy: steps are frozen, and the walk goes on changing the model's field (its values) in place
  const swap = alterColumnType(table, column, {
    type: structuredClone(field.type),
    ...(field.sqlType !== undefined ? { sqlType: field.sqlType } : {}),
    rewrite: false,
  });
  if (!now) {
    group.pre.push(swap);
    return;
  }
  const removed = was?.filter((v) => !now.includes(v));
  if (removed && removed.length === 0) {
    if (was?.length !== now.length) group.pre.push(swap, validateEnumCheck(table, column));
    return;
  }
  if (removed && !at.transformed) return;
  group.post.push(swap, validateEnumCheck(table, column, removed ? { removed } : {}));
}

/**
 * Adds a source for a column to the group's first pass that has none for it. The same source twice (two
 * changes of one field asking for its transform: values added and removed) is one: a second pass would
 * run the transform again on its own result.
 */
export function addSet(group: Group, column: string, source: BackfillValue): void {
  const same = JSON.stringify(source);
  if (group.sets.some((s) => column in s && JSON.stringify(s[column]) === same)) return;
  let set = group.sets.find((s) => !(column in s));
  if (!set) {
    set = {};
    group.sets.push(set);
  }
  set[column] = source;
}
