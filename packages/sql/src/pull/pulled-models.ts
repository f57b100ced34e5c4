import {
  foreignKeyName,
  IDENTIFIER,
  indexName,
  modelName,
  type PulledModel,
  type PullNote,
} from '@evolve/core';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import type { LiveSchema, LiveTable } from '../drift/live-schema.ts';
import { columnRecipe } from './column-recipe.ts';
import type { LiveExtras } from './live-extras.ts';

export interface PulledModelsOptions {
  /** Only these tables (default: every table but evolve's own `evolve_*`). */
  tables?: readonly string[];
}

const identifier = (name: string) => IDENTIFIER.test(name) && name !== '__proto__';

/** Why a table cannot be a model at all, or undefined when it can. */
function unmodellable(table: LiveTable): string | undefined {
  if (!identifier(table.name)) return 'its name is not an identifier (letters, digits, underscores)';
  const bad = table.columns.find((c) => !identifier(c.name));
  if (bad) return `column ${JSON.stringify(bad.name)} is not an identifier (letters, digits, underscores)`;
  if (table.columns.length === 0) return 'it has no columns';
  if (table.primaryKey.length === 0) return 'it has no primary key (every sql model has one)';
  return undefined;
}

function modelOf(
  module: DialectCapabilities,
  table: LiveTable,
  extras: LiveExtras,
  models: ReadonlyMap<string, string>,
  notes: PullNote[],
): PulledModel {
  const name = models.get(table.name) as string;
  const fields: PulledModel['fields'] = table.columns.map((c) => [
    c.name,
    columnRecipe(module, c, { json: extras.jsonColumns.has(`${table.name}.${c.name}`) }),
  ]);
  for (const c of table.columns) {
    if (!extras.generatedKeys.has(`${table.name}.${c.name}`)) continue;
    const recipe = fields.find(([name]) => name === c.name)?.[1];
    // an identity / auto-increment integer key alone in the primary key is a generated key of the model
    if (
      recipe &&
      c.generated === 'identity' &&
      table.primaryKey.length === 1 &&
      table.primaryKey[0] === c.name &&
      (recipe.base === 'int' || recipe.base === 'bigint') &&
      recipe.sqlType === undefined &&
      recipe.default === undefined &&
      !recipe.nullable
    ) {
      recipe.generated = 'identity';
      continue;
    }
    notes.push({
      table: table.name,
      item: c.name,
      kind: 'approximated',
      reason:
        c.generated === 'always-identity'
          ? 'a GENERATED ALWAYS identity key: modelled as a plain integer (evolve models BY DEFAULT identity only)'
          : 'an identity / serial / auto-increment column that is not a plain integer primary key: modelled as a plain integer (the database still generates it)',
    });
  }
  const indexes: PulledModel['indexes'] = [];
  for (const index of table.indexes) {
    if (extras.unmodelledIndexes.has(`${table.name}.${index.name}`)) continue;
    const named = index.name !== indexName(table.name, index.columns, index.unique);
    // an index the engine named itself reserves the name: evolve's stands for it
    const automatic = module.isAutomaticIndex(index.name);
    if (named && !automatic && !identifier(index.name)) {
      notes.push({
        table: table.name,
        item: index.name,
        kind: 'approximated',
        reason: 'the index name is not an identifier: modelled under the name evolve gives it',
      });
    }
    indexes.push({
      fields: [...index.columns],
      unique: index.unique,
      ...(named && !automatic && identifier(index.name) ? { name: index.name } : {}),
    });
  }
  const foreignKeys: PulledModel['foreignKeys'] = [];
  for (const fk of table.foreignKeys) {
    const target = models.get(fk.references.table);
    if (!target) {
      notes.push({
        table: table.name,
        ...(fk.name ? { item: fk.name } : {}),
        kind: 'skipped',
        reason: `foreign key (${fk.columns.join(', ')}) references ${fk.references.table}, which is not pulled`,
      });
      continue;
    }
    const named = fk.name !== '' && fk.name !== foreignKeyName(table.name, fk.columns) && identifier(fk.name);
    foreignKeys.push({
      fields: [...fk.columns],
      references: { model: target, fields: [...fk.references.columns] },
      onDelete: fk.onDelete,
      ...(named ? { name: fk.name } : {}),
    });
  }
  return { name, table: table.name, primaryKey: [...table.primaryKey], fields, indexes, foreignKeys };
}

/**
 * The models describing a live schema, one per table, and a note for everything they leave out or only
 * approximate (tables without a primary key, triggers, views, partial indexes, identity keys, ...). Pure:
 * the catalog was read by the dialect's introspection and `extras`.
 *
 * @example
 * const module = capabilitiesFor(db);
 * const live = await module.introspect(db);
 * const { models, notes } = pulledModels(module, live, await module.liveExtras(db), { tables: ['users'] });
 */
export function pulledModels(
  module: DialectCapabilities,
  live: LiveSchema,
  extras: LiveExtras,
  options: PulledModelsOptions = {},
): { models: PulledModel[]; notes: PullNote[] } {
  const wanted = options.tables ? new Set(options.tables) : undefined;
  const notes: PullNote[] = [];
  const chosen = [...live.values()]
    .filter((t) => (wanted ? wanted.has(t.name) : !t.name.startsWith('evolve_')))
    .sort((a, b) => a.name.localeCompare(b.name));
  const names = new Map<string, string>();
  const taken = new Set<string>();
  const tables: LiveTable[] = [];
  for (const table of chosen) {
    const why = unmodellable(table);
    if (why) {
      notes.push({ table: table.name, kind: 'skipped', reason: `not pulled: ${why}` });
      continue;
    }
    const name = modelName(table.name, taken);
    taken.add(name.toLowerCase());
    names.set(table.name, name);
    tables.push(table);
  }
  const models = tables.map((t) => modelOf(module, t, extras, names, notes));
  const kept = (table: string) => (wanted ? wanted.has(table) : !table.startsWith('evolve_'));
  notes.push(...extras.notes.filter((n) => kept(n.table)));
  return { models, notes };
}
