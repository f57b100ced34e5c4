import {
  changePath,
  EvolveError,
  isEvolveError,
  type Migration,
  migrationChecksum,
  replayMigrations,
  type Snapshot,
  unacknowledgedChanges,
} from '@evolve/core';
import type { Db } from 'mongodb';
import { applyValidator } from '../runtime/apply-validator.ts';
import { documentValidator } from '../upgrader/document-validator.ts';
import { modelHistory } from '../upgrader/model-history.ts';
import type { MongoMigrateOptions, MongoMigrateResult, MongoMigrationResult } from './migrate-mongo.ts';
import { JOURNAL_COLLECTION, type JournalEntry } from './mongo-journal.ts';
import { type MongoStep, planMongoSteps } from './plan-mongo-steps.ts';
import { runMongoStep } from './run-mongo-step.ts';

/** What the migrations of one run share: its options, its result, and whether the server takes validators. */
export interface MongoApplyContext {
  options: MongoMigrateOptions;
  result: MongoMigrateResult;
  validators: { enabled: boolean };
}

/** A thrown value as an EvolveError: itself when it is one, else MIGRATION_FAILED naming `id`. */
export function asEvolveError(error: unknown, id: string): EvolveError {
  if (isEvolveError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new EvolveError('MIGRATION_FAILED', `migration ${id} failed: ${message}`, {
    path: id,
    cause: error,
  });
}

/** Document-model changes that lose data without the migration acknowledging them (core's one rule, as `check`). */
function unacknowledged(migration: Migration, after: Snapshot, before: Snapshot): string[] {
  return unacknowledgedChanges(migration, {
    target: { kind: 'document', schemas: () => ({ before, after }) },
  }).map(changePath);
}

/**
 * Applies one migration (or reverts it, `direction: 'down'`) on a MongoDB database: its collection and
 * index steps, the validators of every document model, and its journal entry; the outcome is added to the
 * run's result. Data loss must be acknowledged (by the migration going up, by the caller going down).
 *
 * @example
 * const ctx = { options: { migrations }, result: { applied: [], warnings: [] }, validators: { enabled: true } };
 * await applyMongoMigration(ctx, client.db('app'), { migration, before, after, direction: 'up', history: migrations });
 */
export async function applyMongoMigration(
  ctx: MongoApplyContext,
  database: Db,
  target: {
    migration: Migration;
    before: Snapshot;
    after: Snapshot;
    direction: 'up' | 'down';
    history: readonly Migration[];
  },
): Promise<void> {
  const { options, result, validators } = ctx;
  const { migration, before, after, direction: way, history } = target;
  const started = Date.now();
  const entry: MongoMigrationResult = {
    id: migration.id,
    direction: way,
    status: 'NotExecuted',
    steps: [],
  };
  result.applied.push(entry);
  const steps: MongoStep[] =
    way === 'up'
      ? planMongoSteps(before, after, migration.changes, 'up')
      : planMongoSteps(after, before, migration.changes, 'down');
  if (way === 'up') {
    const refused = unacknowledged(migration, after, before);
    if (refused.length > 0) {
      entry.status = 'Error';
      throw new EvolveError(
        'UNACKNOWLEDGED_CHANGE',
        `migration ${migration.id} would lose document data (${refused.join(', ')}): add '${refused[0]}' to its acknowledge list once the loss is intended`,
        { path: refused[0] as string, details: { migration: migration.id, paths: refused } },
      );
    }
  } else if (!options.acknowledgeDataLoss) {
    const drops = steps.filter((s) => s.op === 'dropCollection');
    if (drops.length > 0) {
      entry.status = 'Error';
      throw new EvolveError(
        'UNACKNOWLEDGED_CHANGE',
        `migration ${migration.id} (down) would ${drops.map((s) => s.description).join('; ')}; pass acknowledgeDataLoss: true to revert it anyway`,
        { path: drops[0]?.model ?? migration.id },
      );
    }
  }
  options.onProgress?.({ type: 'migration-start', id: migration.id, direction: way, steps: steps.length });
  try {
    for (const [index, step] of steps.entries()) {
      options.onProgress?.({ type: 'step', id: migration.id, index, description: step.description });
      await runMongoStep(database, step);
      entry.steps.push(step.description);
    }
    // going down, a model keeps the validator of the reverted version's history (it accepts both)
    if (validators.enabled) await installValidators(ctx, database, way === 'up' ? after : before, history);
    const journal = database.collection<JournalEntry>(JOURNAL_COLLECTION);
    if (way === 'up') {
      await journal.insertOne({
        _id: migration.id,
        checksum: migrationChecksum(migration),
        appliedAt: new Date(),
        durationMs: Date.now() - started,
      });
    } else {
      await journal.deleteOne({ _id: migration.id });
    }
  } catch (error) {
    entry.status = 'Error';
    entry.durationMs = Date.now() - started;
    throw asEvolveError(error, migration.id);
  }
  entry.status = 'Success';
  entry.durationMs = Date.now() - started;
  options.onProgress?.({
    type: 'migration-done',
    id: migration.id,
    direction: way,
    durationMs: entry.durationMs,
  });
}

/** Validators for the document models of `snapshot`, accepting every version of `history`. */
async function installValidators(
  ctx: MongoApplyContext,
  database: Db,
  snapshot: Snapshot,
  history: readonly Migration[],
) {
  const { options, result, validators } = ctx;
  const latest = replayMigrations(history).latest;
  for (const model of Object.values(snapshot.models)) {
    if (model.target !== 'document' || !validators.enabled) continue;
    // a model renamed by a reverted migration has no history under its old name: left as it is
    if (latest.models[model.name]?.target !== 'document') continue;
    const versions = modelHistory(history, model.name).versions;
    const validator = documentValidator({
      model: model.name,
      migrations: history,
      live: versions,
      ...(options.versionField ? { versionField: options.versionField } : {}),
    });
    const applied = await applyValidator(database.collection(model.table), validator);
    if (!applied.applied) {
      // one warning for the run: the server has no validators at all
      validators.enabled = false;
      result.warnings.push({ code: 'VALIDATORS_UNSUPPORTED', message: applied.message, path: model.table });
    }
  }
}
