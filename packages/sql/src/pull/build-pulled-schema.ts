import { defineModel, defineSchema, type Schema } from '@evolve/core';
import type { z } from 'zod';
import type { PulledModel } from './pulled-model.ts';
import { zodOfRecipe } from './zod-of-recipe.ts';

/**
 * The schema the pulled models define: the same `defineModel` calls `renderModels` writes, made in
 * process, so its snapshot is the one the written models file gives.
 *
 * @example
 * const { models } = await pullSchema(db);
 * const snapshot = toSnapshot(buildPulledSchema(models));
 */
export function buildPulledSchema(models: readonly PulledModel[]): Schema {
  return defineSchema(
    models.map((m) => {
      const shape: Record<string, z.ZodType> = {};
      for (const [name, recipe] of m.fields) shape[name] = zodOfRecipe(recipe);
      return defineModel(m.name, {
        ...(m.table !== m.name ? { table: m.table } : {}),
        ...(m.primaryKey.length === 1 && m.primaryKey[0] === 'id' ? {} : { primaryKey: m.primaryKey }),
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
