export type { Ambiguity } from './ambiguity.ts';
// diff engine
export { applyChange, type WorkingModels } from './apply-change.ts';
export { applyChanges } from './apply-changes.ts';
export { assertChangeSet } from './assert-change-set.ts';
export { buildPulledSchema } from './build-pulled-schema.ts';
export { canonicalJson, deepFreeze, jsonEqual, sha256 } from './canonical-json.ts';
export type * from './change-types.ts';
export type { CompatibilityFailure, CompatibilityMode, CompatibilityResult } from './check-compatibility.ts';
export { checkCompatibility } from './check-compatibility.ts';
export { checkSqlType } from './check-sql-type.ts';
export type { Classification, UnclassifiedChange } from './classify-change.ts';
export { classifyChange } from './classify-change.ts';
export type { ForeignKeyDefinition, IndexDefinition, Model, ModelOptions } from './define-model.ts';
export { defineModel } from './define-model.ts';
export type { Schema } from './define-schema.ts';
export { defineSchema } from './define-schema.ts';
export type { TransformPlan } from './derive-transforms.ts';
export { deriveTransforms } from './derive-transforms.ts';
export { changePath, describeChange, typeText } from './describe-change.ts';
export type { DiffOptions } from './diff.ts';
export { diff } from './diff.ts';
export type { EvolveErrorCode } from './errors.ts';
export { EvolveError, isEvolveError } from './errors.ts';
export { fieldArbitrary, objectArbitrary, rowArbitrary } from './field-arbitrary.ts';
export { derivedFieldOrder, fieldOrderOf } from './field-order.ts';
export { type FieldRecipe, typeOfRecipe } from './field-recipe.ts';
export type { CounterexampleSearch } from './find-counterexample.ts';
export { DEFAULT_PROPERTY_RUNS, DEFAULT_PROPERTY_SEED, findCounterexample } from './find-counterexample.ts';
export { fitIdentifier, IDENTIFIER, internalIdentifier, MAX_IDENTIFIER_LENGTH } from './identifiers.ts';
export type { Finding, LintRule } from './lint.ts';
export { lint } from './lint.ts';
export {
  CHECKSUM_PREFIX,
  checksumMatches,
  legacyMigrationChecksum,
  migrationChecksum,
} from './migration-checksum.ts';
export type { Migration, Row, Transform, Transforms } from './migration-types.ts';
export { defineMigration } from './migration-types.ts';
export { modelName } from './model-name.ts';
export { assertSnapshot, parseSnapshot } from './parse-snapshot.ts';
export type { PullNote } from './pull-note.ts';
export type { PulledModel } from './pulled-model.ts';
export type { FieldMeta } from './read-field.ts';
export { isModelRenameCandidate, isRenameCandidate } from './rename-candidate.ts';
export { renderModels } from './render-models.ts';
export { renderTransforms } from './render-transforms.ts';
export type { ReplayedHistory, ReplayedMigration } from './replay-migrations.ts';
export { MIGRATION_ID, migrationVersion, replayMigrations } from './replay-migrations.ts';
export { invertChange, reverse } from './reverse.ts';
export { setOwn } from './set-own.ts';
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
export { tsOfRecipe } from './ts-of-recipe.ts';
export { tsCommentText, tsKey, tsLiteral, tsString } from './ts-source.ts';
export type { TypeRelation } from './type-relation.ts';
export { typeRelation } from './type-relation.ts';
export { isAcknowledged, unacknowledgedChanges } from './unacknowledged-changes.ts';
export { zodOfRecipe } from './zod-of-recipe.ts';
export { type ZodOfField, zodOfType, zodShapeOf } from './zod-of-type.ts';
