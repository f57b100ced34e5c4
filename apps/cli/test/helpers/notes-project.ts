import { execFileSync } from 'node:child_process';
import { expect } from 'vitest';
import type { TempProject } from './cli-project.ts';
import { noteModels } from './models.ts';

/**
 * A project with the document model `Note` (`_id`, `text`) and its first migration generated; with `seed`
 * (a script run with tsx in the project), also applied to the project's SQLite database and the script
 * run to store documents.
 */
export async function startNotesProject(p: TempProject, options: { seed?: string } = {}): Promise<void> {
  p.write('evolve.config.mjs', "export default { schema: './src/models.ts' };\n");
  p.write('src/models.ts', noteModels('_id: z.string(), text: z.string()'));
  expect((await p.run(['generate', 'notes'])).code).toBe(0);
  if (options.seed === undefined) return;
  expect((await p.run(['up'])).code).toBe(0);
  p.write('seed.ts', options.seed);
  execFileSync(process.execPath, ['--import', 'tsx', 'seed.ts'], { cwd: p.dir });
}
