import { isDefaultKey } from './build-pulled-schema.ts';
import type { PullNote } from './pull-note.ts';
import type { PulledModel } from './pulled-model.ts';
import { tsOfRecipe } from './ts-of-recipe.ts';
import { tsCommentText, tsKey, tsString } from './ts-source.ts';

const list = (names: readonly string[]) => `[${names.map(tsString).join(', ')}]`;

function modelText(m: PulledModel): string {
  const lines = [`export const ${m.name} = defineModel(${tsString(m.name)}, {`];
  if (m.target === 'document') lines.push(`  target: 'document',`);
  if (m.table !== m.name) lines.push(`  table: ${tsString(m.table)},`);
  if (!isDefaultKey(m)) {
    lines.push(
      `  primaryKey: ${m.primaryKey.length === 1 ? tsString(m.primaryKey[0] as string) : list(m.primaryKey)},`,
    );
  }
  lines.push('  shape: {');
  for (const [name, recipe] of m.fields) lines.push(`    ${tsKey(name)}: ${tsOfRecipe(recipe)},`);
  lines.push('  },');
  if (m.indexes.length > 0) {
    lines.push('  indexes: [');
    for (const i of m.indexes) {
      const parts = [`fields: ${list(i.fields)}`];
      if (i.unique) parts.push('unique: true');
      if (i.name !== undefined) parts.push(`name: ${tsString(i.name)}`);
      lines.push(`    { ${parts.join(', ')} },`);
    }
    lines.push('  ],');
  }
  if (m.foreignKeys.length > 0) {
    lines.push('  foreignKeys: [');
    for (const f of m.foreignKeys) {
      const parts = [
        `fields: ${list(f.fields)}`,
        `references: { model: ${tsString(f.references.model)}, fields: ${list(f.references.fields)} }`,
      ];
      if (f.onDelete !== 'no action') parts.push(`onDelete: ${tsString(f.onDelete)}`);
      if (f.name !== undefined) parts.push(`name: ${tsString(f.name)}`);
      lines.push(`    { ${parts.join(', ')} },`);
    }
    lines.push('  ],');
  }
  lines.push('});');
  return lines.join('\n');
}

/**
 * The models file of pulled models: one `defineModel` per table and the `defineSchema` default export, with
 * what was left out listed in a comment at the top. Every name and value goes through `tsString`/`tsKey`,
 * every note through `tsCommentText`.
 *
 * @example
 * const models = [{ name: 'User', table: 'users', primaryKey: ['id'], fields: [['id', { base: 'int', nullable: false }]], indexes: [], foreignKeys: [] }] satisfies PulledModel[];
 * const source = renderModels(models, [{ table: 'audit', kind: 'skipped', reason: 'it has no primary key' }]);
 */
export function renderModels(models: readonly PulledModel[], notes: readonly PullNote[] = []): string {
  const header = [
    '// Pulled from the database by `evolve pull`. Edit freely: `evolve generate` diffs what you change.',
  ];
  if (notes.length > 0) {
    header.push('//', '// Not (or not exactly) in these models:');
    for (const n of notes) {
      header.push(`// - ${tsCommentText(`${n.table}${n.item ? `.${n.item}` : ''}: ${n.reason}`)}`);
    }
  }
  const body = models.map(modelText).join('\n\n');
  return `${header.join('\n')}
import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

${body}${body ? '\n\n' : ''}export default defineSchema([${models.map((m) => m.name).join(', ')}]);
`;
}
