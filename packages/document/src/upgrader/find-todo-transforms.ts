import {
  deriveTransforms,
  isEvolveError,
  isTodo,
  type Migration,
  replayMigrations,
  type Transform,
} from '@evolve/core';
import { compileStep, type StepFunction } from './compile-step.ts';
import { ownTransforms } from './own-transforms.ts';
import { planChangeSet } from './plan-change-set.ts';
import { sampleDocument } from './probe-in-place.ts';

/** A transform a migration still needs before it can run. */
export interface TodoTransform {
  migration: string;
  model: string;
  /** The field's dotted path at the migration's new version. */
  field: string;
  /** `placeholder`: a `todo(...)` is still there; `missing`: there is none; `step`: the document step throws TODO_TRANSFORM. */
  kind: 'placeholder' | 'missing' | 'step';
  message: string;
}

/**
 * Finds the TODOs of a migration history from what the migrations hold, never from their text: a
 * transform that is still the generator's `todo(...)` placeholder; a transform the change set needs
 * (a value only a person can write) that is missing, for models with no code of their own for it; and,
 * for document models, a step (the generated `documents` code, or the interpreter) that throws
 * TODO_TRANSFORM on a sample document of every field with the migration's transforms. A filled transform
 * therefore satisfies it even though the generated `up` still names `d.todo(...)` as the fallback.
 *
 * @example
 * for (const t of findTodoTransforms(migrations)) console.log(`${t.migration}: ${t.model}.${t.field}`);
 */
export function findTodoTransforms(migrations: readonly Migration[]): TodoTransform[] {
  const found: TodoTransform[] = [];
  const seen = new Set<string>();
  const add = (todo: TodoTransform) => {
    const key = `${todo.migration}\u0000${todo.model}.${todo.field}`;
    if (seen.has(key)) return;
    seen.add(key);
    found.push(todo);
  };
  const { steps } = replayMigrations(migrations);
  for (const [i, migration] of migrations.entries()) {
    const { before, after } = steps[i]!;
    const changeSet = { from: migration.from, to: migration.to, changes: [...migration.changes] };
    const transforms = (migration.transforms ?? {}) as Record<string, Record<string, Transform> | undefined>;
    for (const [model, fields] of Object.entries(transforms)) {
      for (const [field, fn] of Object.entries(fields ?? {})) {
        if (isTodo(fn)) {
          add({
            migration: migration.id,
            model,
            field,
            kind: 'placeholder',
            message: `the transform for ${model}.${field} is still a TODO`,
          });
        }
      }
    }
    const sections = (migration.documents ?? {}) as Record<string, { up?: unknown } | undefined>;
    for (const plan of deriveTransforms(changeSet)) {
      if (plan.code !== null || ownTransforms(transforms[plan.model])[plan.field] !== undefined) continue;
      // a document model with its own code may do without the transform; the sample run below decides
      if (after.models[plan.model]?.target === 'document' && sections[plan.model]) continue;
      add({
        migration: migration.id,
        model: plan.model,
        field: plan.field,
        kind: 'missing',
        message: `${plan.model}.${plan.field} needs a transform (${plan.reason}), and the migration has none`,
      });
    }
    for (const plan of planChangeSet(changeSet, { before, after })) {
      const section = sections[plan.model];
      const up: StepFunction =
        typeof section?.up === 'function'
          ? (section.up as StepFunction)
          : compileStep(plan.up, plan.model, plan.before);
      const own = ownTransforms(transforms[plan.model]);
      for (const present of [true, false]) {
        try {
          up(sampleDocument(plan.before, present), own, false);
        } catch (error) {
          if (!isEvolveError(error, 'TODO_TRANSFORM')) continue;
          const field = error.path?.startsWith(`${plan.model}.`)
            ? error.path.slice(plan.model.length + 1)
            : (error.path ?? '');
          add({ migration: migration.id, model: plan.model, field, kind: 'step', message: error.message });
        }
      }
    }
  }
  return found;
}
