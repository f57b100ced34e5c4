import type { Change, IndexSnapshot, ModelSnapshot, Snapshot } from '@evolve/core';

/** One thing a migration changes in a MongoDB database (documents themselves are upgraded lazily). */
export type MongoStep = { model: string; description: string } & (
  | { op: 'renameCollection'; from: string; to: string }
  | { op: 'createCollection'; collection: string }
  | { op: 'dropCollection'; collection: string }
  | { op: 'createIndex'; collection: string; index: IndexSnapshot }
  | { op: 'dropIndex'; collection: string; index: IndexSnapshot }
);

const documentModels = (snapshot: Snapshot): ModelSnapshot[] =>
  Object.values(snapshot.models).filter((m) => m.target === 'document');

const sameIndex = (a: IndexSnapshot, b: IndexSnapshot) =>
  a.name === b.name && a.unique === b.unique && a.fields.join('\u0000') === b.fields.join('\u0000');

const describeIndex = (index: IndexSnapshot) =>
  `${index.unique ? 'unique ' : ''}index ${index.name} (${index.fields.join(', ')})`;

const createIndex = (model: ModelSnapshot, index: IndexSnapshot): MongoStep => ({
  op: 'createIndex',
  model: model.name,
  collection: model.table,
  index,
  description: `create ${describeIndex(index)} on ${model.table}`,
});

/**
 * The MongoDB steps that take a database from one snapshot to the next, for document models only:
 * collections renamed (a model or collection rename), dropped and created, then indexes dropped and
 * created (an index whose fields or uniqueness changed is dropped and created again). Pure; running
 * it backwards is planning from `after` to `before` with the renames the other way.
 *
 * @example
 * planMongoSteps(before, after, migration.changes); // [{ op: 'createIndex', collection: 'users', index, ... }]
 */
export function planMongoSteps(
  before: Snapshot,
  after: Snapshot,
  changes: readonly Change[],
  direction: 'up' | 'down' = 'up',
): MongoStep[] {
  // model renames, new name -> old name (as seen going the planned way)
  const renamed = new Map<string, string>();
  for (const c of changes) {
    if (c.kind !== 'renameModel') continue;
    if (direction === 'up') renamed.set(c.model, c.from);
    else renamed.set(c.from, c.model);
  }
  const was = (name: string) => before.models[renamed.get(name) ?? name];
  const steps: MongoStep[] = [];
  const creates: MongoStep[] = [];
  const indexSteps: MongoStep[] = [];
  const kept = new Set<string>();
  for (const model of documentModels(after)) {
    const old = was(model.name);
    if (old?.target !== 'document') {
      creates.push({
        op: 'createCollection',
        model: model.name,
        collection: model.table,
        description: `create collection ${model.table} (${model.name})`,
      });
      for (const index of model.indexes) indexSteps.push(createIndex(model, index));
      continue;
    }
    kept.add(old.name);
    if (old.table !== model.table) {
      steps.push({
        op: 'renameCollection',
        model: model.name,
        from: old.table,
        to: model.table,
        description: `rename collection ${old.table} to ${model.table}`,
      });
    }
    for (const index of old.indexes) {
      if (model.indexes.some((i) => sameIndex(i, index))) continue;
      steps.push({
        op: 'dropIndex',
        model: model.name,
        collection: old.table,
        index,
        description: `drop ${describeIndex(index)} on ${old.table}`,
      });
    }
    for (const index of model.indexes) {
      if (old.indexes.some((i) => sameIndex(i, index))) continue;
      indexSteps.push(createIndex(model, index));
    }
  }
  for (const old of documentModels(before)) {
    if (kept.has(old.name)) continue;
    steps.push({
      op: 'dropCollection',
      model: old.name,
      collection: old.table,
      description: `drop collection ${old.table} (${old.name}) and its documents`,
    });
  }
  // a dropped index is dropped before the rename moved its collection: run it against the old name
  const order = { renameCollection: 1, dropIndex: 0, dropCollection: 2 } as const;
  steps.sort((a, b) => order[a.op as keyof typeof order] - order[b.op as keyof typeof order]);
  return [...steps, ...creates, ...indexSteps];
}
