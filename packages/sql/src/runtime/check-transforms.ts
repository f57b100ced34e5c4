import { EvolveError, isTodo, type Migration, type Transform } from '@evolve/core';
import type { BackfillPlan } from '../compiled-step.ts';

/** The TS transform a backfill source names; throws when it is missing or still a TODO. */
export function transformFor(migration: Migration, model: string, field: string): Transform {
  const transform = migration.transforms?.[model]?.[field];
  const path = `${model}.${field}`;
  if (typeof transform !== 'function') {
    throw new EvolveError('INVALID_MIGRATION', `migration ${migration.id} has no transform for ${path}`, {
      path,
    });
  }
  if (isTodo(transform)) {
    throw new EvolveError(
      'TODO_TRANSFORM',
      `the transform for ${path} in migration ${migration.id} is still a TODO: write it before applying`,
      { path },
    );
  }
  return transform;
}

/** Checks every TS transform a backfill uses before anything runs. */
export function checkTransforms(migration: Migration, plan: BackfillPlan): void {
  for (const source of Object.values(plan.set)) {
    if ('transform' in source) transformFor(migration, source.transform.model, source.transform.field);
  }
}
