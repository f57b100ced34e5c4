import { type Ambiguity, ambiguityError } from './ambiguity.ts';
import { deepFreeze } from './canonical-json.ts';
import type { Change, ChangeSet } from './change-types.ts';
import { checkDiffNames } from './check-diff-names.ts';
import { classifyOwn } from './classify-change.ts';
import { classifyInContext } from './classify-in-context.ts';
import { deepEqual } from './deep-equal.ts';
import { diffFields } from './diff-fields.ts';
import { EvolveError } from './errors.ts';
import { fieldsEqual } from './field-equal.ts';
import { matchFields } from './match-fields.ts';
import { type ModelPair, matchModels } from './match-models.ts';
import { sameFingerprint } from './model-fingerprint.ts';
import { assertSnapshot } from './parse-snapshot.ts';
import { resolveFieldMoves } from './resolve-field-moves.ts';
import type { ForeignKeySnapshot, ModelSnapshot, Snapshot } from './snapshot-types.ts';

/** Answers to the questions `diff` cannot decide alone. */
export interface DiffOptions {
  /**
   * Renames, old -> new: `{ 'User.name': 'fullName' }` (within the same parent),
   * `{ 'User.city': 'address.city' }` (a dotted value is the full new path: hoist or plunge),
   * `{ Client: 'Customer' }` (a model). The model part of a field key may be its old or new name.
   */
  renames?: Record<string, string>;
  /** Old `Model` / `Model.path` names that were really dropped (the remove-and-add reading). */
  drops?: string[];
}

const withoutKeys = (m: ModelSnapshot): ModelSnapshot => ({ ...m, indexes: [], foreignKeys: [] });

/**
 * The typed changes from `prev` to `next`, in the order they apply (see the order contract below).
 * Renames come only from hints (`renamedFrom`, carried in `next.hints`) or `options.renames`; names that
 * vanish while others appear in the same scope without an answer throw `AMBIGUOUS_RENAME`, naming every
 * candidate pair. Changing a model's target (sql <-> document) throws `UNSUPPORTED_CHANGE`.
 *
 * Order: dropForeignKey, dropIndex (both under the model's old name), renameModel, renameTable,
 * createModel (without indexes and foreign keys), per model by name: renameField (parents first),
 * dropField, addField, then type / nullable / optional / default / column / enum changes in path order;
 * changePrimaryKey, addIndex, addForeignKey, dropModel. Each change's model and path name the state left
 * by the changes before it, so `applyChanges(prev, diff(prev, next))` reproduces `next`. Two moves put a
 * field change among the renames: a move into an object that does not exist yet adds it first (without
 * the moved fields), and a move onto a name still held by a vanished field drops that field first.
 * A renamed top-level field is renamed in the primary key too; index and foreign key definitions that
 * name it change, so they are dropped and re-added. A renamed model's incoming foreign keys follow it.
 *
 * @example
 * const changes = diff(v1, toSnapshot(schema), { renames: { 'User.name': 'fullName' } });
 */
export function diff(prev: Snapshot, next: Snapshot, options: DiffOptions = {}): ChangeSet {
  assertSnapshot(prev, 'prev');
  assertSnapshot(next, 'next');
  checkDiffOptions(options);
  const renames = options.renames ?? {};
  checkDiffNames(prev, next, renames, options.drops ?? []);
  const drops = new Set(options.drops ?? []);
  const match = matchModels(prev, next, renames, drops);
  const explicitModels = new Set(
    Object.keys(renames)
      .filter((k) => k.includes('.'))
      .map((k) => k.slice(0, k.indexOf('.'))),
  );
  const ambiguities: Ambiguity[] = match.ambiguity ? [match.ambiguity] : [];
  const kept = new Set<ModelSnapshot>();
  const changed: Array<{ pair: ModelPair; fields: ReturnType<typeof matchFields> }> = [];
  for (const pair of match.pairs) {
    if (pair.old.target !== pair.next.target) {
      throw new EvolveError(
        'UNSUPPORTED_CHANGE',
        `model ${pair.next.name} changes from ${pair.old.target} to ${pair.next.target}; ` +
          'create a new model and copy the data instead',
        { path: pair.next.name },
      );
    }
    const answered = explicitModels.has(pair.old.name) || explicitModels.has(pair.next.name);
    const identical = sameFingerprint(pair.old, pair.next);
    // a pair equal in every part (but field order) whose foreign keys name no renamed model keeps its
    // indexes and foreign keys as they are: their comparisons below are skipped
    if (identical && pair.old.foreignKeys.every((fk) => !match.renamed.has(fk.references.model))) {
      kept.add(pair.old);
      kept.add(pair.next);
    }
    const same =
      identical ||
      (fieldsEqual(pair.old.fields, pair.next.fields) &&
        deepEqual(pair.old.primaryKey, pair.next.primaryKey));
    if (same && !answered) {
      continue;
    }
    const moves = resolveFieldMoves(pair, renames, next.hints?.fields ?? {});
    const fields = matchFields(pair, moves, drops);
    ambiguities.push(...fields.ambiguities);
    changed.push({ pair, fields });
  }
  if (ambiguities.length > 0) throw ambiguityError(ambiguities);

  const renamedModel = (name: string) => match.renamed.get(name) ?? name;
  const translateFk = (fk: ForeignKeySnapshot): ForeignKeySnapshot => ({
    ...fk,
    references: { ...fk.references, model: renamedModel(fk.references.model) },
  });
  const counterpart = new Map(match.pairs.map((p) => [p.old.name, p.next]));
  const out: Change[] = [];
  const push = (change: Parameters<typeof classifyOwn>[0]) => out.push(classifyOwn(change));

  const oldModels = Object.values(prev.models).filter((m) => !kept.has(m));
  for (const old of oldModels) {
    const next = counterpart.get(old.name);
    for (const fk of old.foreignKeys) {
      const kept = next?.foreignKeys.find((f) => f.name === fk.name);
      if (!kept || !deepEqual(translateFk(fk), kept)) {
        push({ kind: 'dropForeignKey', model: old.name, path: [], foreignKey: fk });
      }
    }
  }
  for (const old of oldModels) {
    const next = counterpart.get(old.name);
    for (const index of old.indexes) {
      const kept = next?.indexes.find((i) => i.name === index.name);
      if (!kept || !deepEqual(index, kept)) push({ kind: 'dropIndex', model: old.name, path: [], index });
    }
  }
  for (const { old, next } of match.pairs) {
    if (old.name !== next.name) push({ kind: 'renameModel', model: next.name, path: [], from: old.name });
  }
  for (const { old, next } of match.pairs) {
    if (old.table !== next.table) {
      push({ kind: 'renameTable', model: next.name, path: [], from: old.table, to: next.table });
    }
  }
  for (const model of match.created) {
    push({ kind: 'createModel', model: model.name, path: [], definition: withoutKeys(model) });
  }
  const primaryKeys = new Map<string, string[]>();
  for (const { pair, fields } of changed) {
    const result = diffFields(pair, fields);
    out.push(...result.changes);
    primaryKeys.set(pair.next.name, result.primaryKey);
  }
  for (const { old, next } of match.pairs) {
    const from = primaryKeys.get(next.name) ?? old.primaryKey;
    if (!deepEqual(from, next.primaryKey)) {
      push({ kind: 'changePrimaryKey', model: next.name, path: [], from, to: next.primaryKey });
    }
  }
  const previousOf = new Map(match.pairs.map((p) => [p.next.name, p.old]));
  const newModels = Object.values(next.models).filter((m) => !kept.has(m));
  for (const model of newModels) {
    const old = previousOf.get(model.name);
    for (const index of model.indexes) {
      const had = old?.indexes.find((i) => i.name === index.name);
      if (!had || !deepEqual(had, index)) push({ kind: 'addIndex', model: model.name, path: [], index });
    }
  }
  for (const model of newModels) {
    const old = previousOf.get(model.name);
    for (const fk of model.foreignKeys) {
      const had = old?.foreignKeys.find((f) => f.name === fk.name);
      if (!had || !deepEqual(translateFk(had), fk)) {
        push({ kind: 'addForeignKey', model: model.name, path: [], foreignKey: fk });
      }
    }
  }
  for (const model of match.dropped) {
    push({ kind: 'dropModel', model: model.name, path: [], previous: withoutKeys(model) });
  }
  return deepFreeze({ from: prev.hash, to: next.hash, changes: classifyInContext(out) });
}

/** `renames` maps names to names and `drops` lists names: anything else is INVALID_CONFIG naming the option. */
function checkDiffOptions(options: DiffOptions): void {
  const { renames, drops } = (options ?? {}) as { renames?: unknown; drops?: unknown };
  if (
    renames !== undefined &&
    (typeof renames !== 'object' ||
      renames === null ||
      Array.isArray(renames) ||
      Object.values(renames).some((v) => typeof v !== 'string'))
  ) {
    throw new EvolveError(
      'INVALID_CONFIG',
      "renames must map old names to new ones ({ 'User.name': 'fullName' })",
      { path: 'renames' },
    );
  }
  if (drops !== undefined && (!Array.isArray(drops) || drops.some((d) => typeof d !== 'string'))) {
    throw new EvolveError('INVALID_CONFIG', "drops must be a list of dropped names (['User.age'])", {
      path: 'drops',
    });
  }
}
