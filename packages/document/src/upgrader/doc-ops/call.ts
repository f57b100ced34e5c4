import { EvolveError, isTodo, type Row, type Transform } from '@evolve/core';

/**
 * Calls a user transform; a missing one is a TODO (`TODO_TRANSFORM`), and a transform that throws becomes
 * `TRANSFORM_FAILED` naming the path.
 *
 * @example
 * out.slug = call(t.slug, 'Event.slug', old);
 */
export function call(transform: Transform | undefined, path: string, old: unknown): unknown {
  if (transform === undefined) {
    throw new EvolveError(
      'TODO_TRANSFORM',
      `${path} needs a transform (no default and no derivable value): write it in the migration's transforms`,
      { path },
    );
  }
  try {
    return transform(old as Row);
  } catch (error) {
    if (error instanceof EvolveError) throw error;
    throw new EvolveError('TRANSFORM_FAILED', `the transform for ${path} threw: ${String(error)}`, {
      path,
      cause: error,
    });
  }
}

/** A change the generator could not express: throws `TODO_TRANSFORM` with what to write. */
export function todo(path: string, hint: string): never {
  throw new EvolveError('TODO_TRANSFORM', `${path}: ${hint}; edit the migration's documents section`, {
    path,
  });
}

/** Whether an object has any member (a step's transforms: when there are none, `old` needs no copy). */
export function hasAny(t: object): boolean {
  for (const _ in t) return true;
  return false;
}

/**
 * Whether a migration gives a transform for a field: a generator-written `todo()` placeholder does not
 * count where the document step can derive the value itself (a checked conversion, a default).
 */
export function given(transform: Transform | undefined): transform is Transform {
  return transform !== undefined && !isTodo(transform);
}
