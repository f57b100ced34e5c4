import type { FieldRecipe } from './field-recipe.ts';
import type { OnDeleteAction } from './snapshot-types.ts';

/** A model as `evolve pull` describes a table or collection: what `buildPulledSchema` defines and `renderModels` writes. */
export interface PulledModel {
  name: string;
  /** Default `sql`. */
  target?: 'sql' | 'document';
  /** Table or collection name. */
  table: string;
  primaryKey: string[];
  /** Fields in the table's column order. */
  fields: [string, FieldRecipe][];
  /** `name` only when it differs from the name evolve would give the index. */
  indexes: { fields: string[]; unique: boolean; name?: string }[];
  foreignKeys: {
    fields: string[];
    references: { model: string; fields: string[] };
    onDelete: OnDeleteAction;
    name?: string;
  }[];
}
