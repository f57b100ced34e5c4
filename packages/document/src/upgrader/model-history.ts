import {
  EvolveError,
  type FieldSnapshot,
  type Migration,
  type ModelSnapshot,
  replayMigrations,
  type Snapshot,
} from '@evolve/core';
import { compileStep, type StepFunction, type StepTransforms } from './compile-step.ts';
import { ownTransforms } from './own-transforms.ts';
import { previousName } from './plan-change-set.ts';
import { planDocumentStep } from './plan-document-step.ts';
import type { StepPlan } from './step-plan.ts';

/** One version step of one model, ready to run. */
export interface HistoryStep {
  migrationId: string;
  /** The version before the step and after it. */
  from: number;
  to: number;
  up: StepFunction;
  down: StepFunction;
  transforms: StepTransforms;
  plan: StepPlan;
  /** Whether `up`/`down` come from the migration's generated `documents` section (else: the interpreter). */
  generated: boolean;
}

/** A model through a migration history. */
export interface ModelHistory {
  /** The model's latest name. */
  model: string;
  createdVersion: number;
  latestVersion: number;
  /** Every version from creation on (one per migration), ascending. */
  versions: number[];
  /** The model at each of `versions`. */
  shapes: Map<number, ModelSnapshot>;
  /** Steps that change the model, ascending. */
  steps: HistoryStep[];
}

interface SectionEntry {
  up: StepFunction;
  down: StepFunction;
}

function sectionOf(migration: Migration, model: string): SectionEntry | undefined {
  const documents = migration.documents;
  if (documents === undefined) return undefined;
  if (typeof documents !== 'object' || documents === null) {
    throw new EvolveError('INVALID_MIGRATION', `${migration.id}: documents must be an object of models`, {
      path: migration.id,
    });
  }
  const entry = (documents as Record<string, unknown>)[model];
  if (entry === undefined) return undefined;
  const e = entry as Partial<SectionEntry>;
  if (typeof e.up !== 'function' || typeof e.down !== 'function') {
    throw new EvolveError(
      'INVALID_MIGRATION',
      `${migration.id}: documents.${model} needs up and down functions`,
      {
        path: `${migration.id}.documents.${model}`,
      },
    );
  }
  return { up: e.up, down: e.down };
}

/**
 * Replays a migration history (core's `replayMigrations`: `applyChanges` from the empty snapshot, every hash checked) and
 * collects one model's versions, shapes and steps, following model renames back to its creation.
 *
 * @example
 * const history = modelHistory(migrations, 'Event');
 */
export function modelHistory(migrations: readonly Migration[], model: string): ModelHistory {
  if (migrations.length === 0) {
    throw new EvolveError('INVALID_MIGRATION', 'the migration history is empty', { path: model });
  }
  // core checks the chain (ids increasing, hashes linked, changes leading to each recorded schema)
  const replayed = replayMigrations(migrations).steps;
  const snapshots: Snapshot[] = replayed.map((r) => r.after);
  const versions: number[] = replayed.map((r) => r.version);
  const snapshot = snapshots[snapshots.length - 1] as Snapshot;
  if (!snapshot.models[model]) {
    throw new EvolveError('NOT_FOUND', `there is no model ${model} at the latest version`, { path: model });
  }
  // walk back through renames to the migration that created the model
  const names: string[] = [];
  let name = model;
  let created = -1;
  for (let i = migrations.length - 1; i >= 0; i--) {
    names[i] = name;
    const changes = (migrations[i] as Migration).changes;
    if (changes.some((c) => c.kind === 'createModel' && c.model === name)) {
      created = i;
      break;
    }
    name = previousName(changes, name);
  }
  if (created < 0) {
    throw new EvolveError('INVALID_MIGRATION', `no migration creates model ${model}`, { path: model });
  }
  const shapes = new Map<number, ModelSnapshot>();
  const steps: HistoryStep[] = [];
  for (let i = created; i < migrations.length; i++) {
    const m = migrations[i] as Migration;
    const at = names[i] as string;
    shapes.set(versions[i] as number, (snapshots[i] as Snapshot).models[at] as ModelSnapshot);
    if (i === created) continue;
    const own = m.changes.filter((c) => c.model === at);
    if (own.length === 0) continue;
    const before = (snapshots[i - 1] as Snapshot).models[names[i - 1] as string] as ModelSnapshot;
    const plan = planDocumentStep({
      model: at,
      previousModel: names[i - 1] as string,
      changes: own,
      before: before.fields as Record<string, FieldSnapshot>,
    });
    const section = sectionOf(m, at);
    const idle = (ops: StepPlan['up']) => ops.every((op) => op.op === 'note');
    if (!section && idle(plan.up) && idle(plan.down)) continue;
    steps.push({
      migrationId: m.id,
      from: versions[i - 1] as number,
      to: versions[i] as number,
      up: section?.up ?? compileStep(plan.up, at, plan.before),
      down: section?.down ?? compileStep(plan.down, plan.previousModel, plan.after),
      transforms: ownTransforms(m.transforms?.[at]),
      plan,
      generated: section !== undefined,
    });
  }
  return {
    model,
    createdVersion: versions[created] as number,
    latestVersion: versions[versions.length - 1] as number,
    versions: versions.slice(created),
    shapes,
    steps,
  };
}
