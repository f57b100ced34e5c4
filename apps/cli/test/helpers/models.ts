/** Schema module text for test projects: one sql model `User` (table users) with the given zod fields. */
export function userModels(fields: Record<string, string>, extra = ''): string {
  const shape = Object.entries(fields)
    .map(([k, v]) => `    ${k}: ${v},`)
    .join('\n');
  return `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';

export const User = defineModel('User', {
  table: 'users',
  shape: {
${shape}
  },${extra}
});

export default defineSchema([User]);
`;
}

export const CONFIG = `export default { schema: './src/models.ts', migrations: './migrations' };\n`;

/** A schema module with one document model, `Note`, stored in `table` (default `notes`), with the given zod shape. */
export function noteModels(shape: string, table = 'notes'): string {
  return `import { defineModel, defineSchema } from '@evolve/core';
import { z } from 'zod';
export const Note = defineModel('Note', { target: 'document', table: '${table}', shape: { ${shape} } });
export default defineSchema([Note]);
`;
}
