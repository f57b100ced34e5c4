import {
  type FieldSnapshot,
  fieldArbitrary,
  type Migration,
  type ModelSnapshot,
  migrationVersion,
  type Transform,
} from '@evolve/core';
import fc from 'fast-check';
import { findTodoTransforms } from '../upgrader/find-todo-transforms.ts';

function fieldAt(model: ModelSnapshot | undefined, path: string): FieldSnapshot | undefined {
  let fields = model?.fields;
  let field: FieldSnapshot | undefined;
  for (const name of path.split('.')) {
    field = fields && Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!field) return undefined;
    fields = field.type.kind === 'object' ? field.type.fields : undefined;
  }
  return field;
}

/**
 * The migrations with every TODO transform of `model` (a `todo(...)` placeholder, or a transform the
 * change needs and the migration lacks) replaced by a stand-in returning one valid value of the field, so
 * that the rest of the upgrade can be timed before anyone has written the transform (as in `evolve plan`).
 * Returns the migrations (untouched when there is no TODO) and the TODOs replaced, as `Model.field (id)`.
 *
 * @example
 * const stood = standInTodos(migrations, { model: 'User', shapeAt: upgrader.shapeAt, seed: 1 });
 * stood.todos; // ['User.email (0002_add_email)']
 */
export function standInTodos(
  migrations: readonly Migration[],
  options: { model: string; shapeAt: (version: number) => ModelSnapshot; seed: number },
): { migrations: readonly Migration[]; todos: string[] } {
  const todos = findTodoTransforms(migrations).filter((t) => t.model === options.model);
  if (todos.length === 0) return { migrations, todos: [] };
  const out = migrations.map((m) => ({ ...m, transforms: { ...m.transforms } }));
  for (const todo of todos) {
    const at = migrations.findIndex((m) => m.id === todo.migration);
    const migration = out[at] as Migration & { transforms: Record<string, Record<string, Transform>> };
    const field = fieldAt(options.shapeAt(migrationVersion(todo.migration)), todo.field);
    const value = field ? fc.sample(fieldArbitrary(field), { numRuns: 1, seed: options.seed })[0] : undefined;
    migration.transforms[todo.model] = { ...migration.transforms[todo.model], [todo.field]: () => value };
  }
  return { migrations: out, todos: todos.map((t) => `${t.model}.${t.field} (${t.migration})`) };
}
