import type { z } from 'zod';
import { defineModel } from './define-model.ts';
import { defineSchema, type Schema } from './define-schema.ts';
import type { PulledModel } from './pulled-model.ts';
import { zodOfRecipe } from './zod-of-recipe.ts';

/** Whether a model's primary key is the default one (`id`; `_id` for a document model). */
export const isDefaultKey = (m: Pick<PulledModel, 'target' | 'primaryKey'>): boolean =>
  m.primaryKey.length === 1 && m.primaryKey[0] === (m.target === 'document' ? '_id' : 'id');

/**
 * The schema the pulled models define: the same `defineModel` calls `renderModels` writes, made in
 * process, so its snapshot is the one the written models file gives.
 *
 * @example
 * const models = [{ name: 'User', table: 'users', primaryKey: ['id'], fields: [['id', { base: 'int', nullable: false }]], indexes: [], foreignKeys: [] }] satisfies PulledModel[];
 * const snapshot = toSnapshot(buildPulledSchema(models));
 */
export function buildPulledSchema(models: readonly PulledModel[]): Schema {
  return defineSchema(
    models.map((m) => {
      const shape: Record<string, z.ZodType> = {};
      for (const [name, recipe] of m.fields) shape[name] = zodOfRecipe(recipe);
      return defineModel(m.name, {
        ...(m.target === 'document' ? { target: 'document' as const } : {}),
        ...(m.table !== m.name ? { table: m.table } : {}),
        ...(isDefaultKey(m) ? {} : { primaryKey: m.primaryKey }),
        shape,
        indexes: m.indexes.map((i) => ({ ...i, fields: [...i.fields] })),
        foreignKeys: m.foreignKeys.map((f) => ({
          ...f,
          fields: [...f.fields],
          references: { ...f.references, fields: [...f.references.fields] },
        })),
      });
    }),
  );
}
