import type { Model } from './define-model.ts';
import { CASE_INSENSITIVE_TABLES } from './dialects/engine-facts.ts';
import { EvolveError } from './errors.ts';
import { setOwn } from './set-own.ts';

/** A validated set of models, by name. The default export of a project's schema module. */
export interface Schema {
  readonly models: Readonly<Record<string, Model>>;
}

/**
 * Groups models into a schema and checks what spans models: unique model and table names,
 * and foreign keys that reference existing sql models and fields.
 *
 * @example
 * export default defineSchema([User, Order]);
 */
export function defineSchema(models: readonly Model[] | Record<string, Model>): Schema {
  const list = Array.isArray(models) ? models : Object.values(models);
  const byName: Record<string, Model> = {};
  const tables = new Map<string, string>();
  list.forEach((model, i) => {
    if (!model || typeof model !== 'object' || typeof model.name !== 'string' || !model.schema) {
      throw new EvolveError('INVALID_SCHEMA', `entry ${i} is not a model made by defineModel`, {
        path: `models[${i}]`,
      });
    }
    if (Object.hasOwn(byName, model.name)) {
      throw new EvolveError('INVALID_MODEL', `two models are named ${model.name}`, { path: model.name });
    }
    // Some engines take `Users` and `users` for one table (see CASE_INSENSITIVE_TABLES).
    const key = model.target === 'sql' ? `sql:${model.table.toLowerCase()}` : model.table;
    const other = tables.get(key) ?? tables.get(model.table);
    if (other) {
      const otherTable = (Object.hasOwn(byName, other) ? byName[other]?.table : undefined) ?? model.table;
      throw new EvolveError(
        'INVALID_MODEL',
        otherTable === model.table
          ? `models ${other} and ${model.name} both use table "${model.table}"`
          : `models ${other} and ${model.name} use tables "${otherTable}" and "${model.table}", which differ only by case: ${CASE_INSENSITIVE_TABLES} takes them for one table`,
        {
          path: `${model.name}.table`,
        },
      );
    }
    setOwn(byName, model.name, model);
    tables.set(key, model.name);
    tables.set(model.table, model.name);
  });
  for (const model of list) {
    model.foreignKeys.forEach((fk: Model['foreignKeys'][number], i: number) => {
      const path = `${model.name}.foreignKeys[${i}]`;
      const target = byName[fk.references.model];
      if (!target) {
        throw new EvolveError('INVALID_MODEL', `${path}: references unknown model ${fk.references.model}`, {
          path,
        });
      }
      if (target.target !== 'sql') {
        throw new EvolveError('INVALID_MODEL', `${path}: references document model ${target.name}`, { path });
      }
      for (const f of fk.references.fields) {
        if (!Object.hasOwn(target.shape, f)) {
          throw new EvolveError('INVALID_MODEL', `${path}: references missing field ${target.name}.${f}`, {
            path,
          });
        }
      }
    });
  }
  return Object.freeze({ models: Object.freeze(byName) });
}
