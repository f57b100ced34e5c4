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
