import { EvolveError } from './errors.ts';
import type { Row, Transform } from './migration-types.ts';

const TODO = Symbol.for('evolve.todo');

/**
 * A placeholder the generator writes where it cannot derive a transform (for example a value computed
 * from other fields). It throws `TODO_TRANSFORM` when called, and `evolve check` fails while one remains.
 *
 * @example
 * transforms: { User: { firstName: todo('User.firstName', 'split fullName') } }
 */
export function todo(path: string, hint?: string): Transform {
  const fn = (_old: Row): never => {
    throw new EvolveError(
      'TODO_TRANSFORM',
      `the transform for ${path} is still a TODO${hint ? ` (${hint})` : ''}: write it in the migration file`,
      { path },
    );
  };
  Object.defineProperty(fn, TODO, { value: path });
  return fn;
}

/**
 * Whether a transform is a generator-written TODO placeholder.
 *
 * @example
 * isTodo(todo('User.firstName', 'split fullName')); // true
 */
export function isTodo(transform: unknown): boolean {
  return typeof transform === 'function' && TODO in transform;
}
