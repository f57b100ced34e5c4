export { canonicalJson, deepFreeze, jsonEqual, sha256 } from './canonical-json.ts';
export type * from './change-types.ts';
export type { ForeignKeyDefinition, IndexDefinition, Model, ModelOptions } from './define-model.ts';
export { defineModel } from './define-model.ts';
export type { Schema } from './define-schema.ts';
export { defineSchema } from './define-schema.ts';
export type { EvolveErrorCode } from './errors.ts';
export { EvolveError, isEvolveError } from './errors.ts';
export { IDENTIFIER } from './identifiers.ts';
export type { Migration, Row, Transform, Transforms } from './migration-types.ts';
export { defineMigration } from './migration-types.ts';
export { parseSnapshot } from './parse-snapshot.ts';
export type { FieldMeta } from './read-field.ts';
export type * from './snapshot-types.ts';
export { SNAPSHOT_FORMAT } from './snapshot-types.ts';
export {
  columnOf,
  emptySnapshot,
  foreignKeyName,
  indexName,
  makeSnapshot,
  serializeSnapshot,
  snapshotHash,
  toSnapshot,
} from './to-snapshot.ts';
export { isTodo, todo } from './todo.ts';
export { migrationChecksum } from './migration-checksum.ts';
// diff, applyChanges, reverse, lint, checkCompatibility, deriveTransforms: exported below by their owner.
