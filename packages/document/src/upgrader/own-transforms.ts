import type { StepTransforms } from './compile-step.ts';

/**
 * A migration's transforms for one model as an object without a prototype. A step looks a transform up
 * by its field's key (`t.toString`, `t['constructor.x']`); on a plain object that finds the members every
 * object inherits for a field named `constructor`, `toString`, `valueOf`... and calls `Object` or
 * `toString` as the field's transform.
 *
 * @example
 * const t = ownTransforms({ slug: (old) => String(old.name) });
 * t.toString; // undefined
 */
export function ownTransforms(transforms: StepTransforms | undefined): StepTransforms {
  const out: Record<string, StepTransforms[string]> = Object.create(null);
  if (transforms) {
    for (const key of Object.keys(transforms)) out[key] = transforms[key] as StepTransforms[string];
  }
  return out;
}
