import { EvolveError, type Model, type ModelSnapshot } from '@evolve/core';
import type { z } from 'zod';
import { compileValidator, type DocumentCheck, type ValidationIssue } from './compile-validator.ts';
import type { ModelHistory } from './model-history.ts';
import { shadowInherited } from './shadow-inherited.ts';
import { zodFromSnapshot } from './zod-from-snapshot.ts';

/** A check of a document against one version's shape: the first issue, or undefined when it fits. */
export type Validator = (doc: unknown) => ValidationIssue | undefined;

/** A zod check that sees members absent whatever their names (see `shadowInherited`). */
function zodValidator(schema: z.ZodType, shape: ModelSnapshot): Validator {
  const declare = shadowInherited(shape.fields);
  return (doc) => {
    const result = schema.safeParse(declare ? declare(doc) : doc);
    if (result.success) return undefined;
    const first = result.error.issues[0];
    return { path: (first?.path ?? []).map(String), message: first?.message ?? 'invalid' };
  };
}

/**
 * A model's shape at each version of its history, and a validator per version (built on first use):
 * `compiled` checks from the snapshot, or `zod`: the Model's own schema at the latest version and
 * `zodFromSnapshot` elsewhere.
 *
 * @example
 * const { shapeAt, validatorAt } = versionValidators({ history, model: Event, mode: 'zod' });
 * validatorAt(history.latestVersion)(doc); // undefined, or the first issue
 */
export function versionValidators(options: {
  history: ModelHistory;
  model: Model | string;
  mode: 'zod' | 'compiled';
}): { shapeAt(version: number): ModelSnapshot; validatorAt(version: number): Validator } {
  const { history, model, mode } = options;
  const shapeAt = (version: number): ModelSnapshot => {
    let found: ModelSnapshot | undefined;
    for (const v of history.versions) if (v <= version) found = history.shapes.get(v);
    if (!found) {
      throw new EvolveError('NOT_FOUND', `${history.model} does not exist at version ${version}`, {
        path: history.model,
      });
    }
    return found;
  };
  const validators = new Map<number, Validator>();
  const validatorAt = (version: number): Validator => {
    let v = validators.get(version);
    if (!v) {
      const shape = shapeAt(version);
      if (mode === 'compiled') v = compileValidator(shape.fields) as DocumentCheck;
      else if (version === history.latestVersion && typeof model !== 'string')
        v = zodValidator(model.schema, shape);
      else v = zodValidator(zodFromSnapshot(shape), shape);
      validators.set(version, v);
    }
    return v;
  };
  return { shapeAt, validatorAt };
}
