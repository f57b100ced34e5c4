import pc from 'picocolors';
import type { InitDatabase } from '../project/init.ts';
import { init } from '../project/init.ts';
import { type GlobalOptions, printJson } from './global-options.ts';

interface Options {
  database?: InitDatabase;
  schema?: string;
}

export default async function initCommand(options: Options, globals: GlobalOptions): Promise<number> {
  const result = await init({
    ...(globals.cwd ? { cwd: globals.cwd } : {}),
    ...(globals.url ? { url: globals.url } : {}),
    ...(options.database ? { database: options.database } : {}),
    ...(options.schema ? { schema: options.schema } : {}),
  });
  if (globals.json) {
    printJson(result);
    return 0;
  }
  for (const file of result.files) process.stdout.write(`${pc.green('created')} ${file}\n`);
  if (result.packageJson.status === 'updated') {
    process.stdout.write(`${pc.green('updated')} package.json: ${result.packageJson.added.join(', ')}\n`);
  }
  if (result.packageJson.typeNote) {
    process.stdout.write(
      pc.dim(
        `note: "type": "module" not set: ${result.packageJson.typeNote}; evolve's own files load either way\n`,
      ),
    );
  }
  if (result.install.length > 0) {
    process.stdout.write(`\nInstall what the project needs (${result.database}):\n`);
    for (const command of result.install) process.stdout.write(`  ${command}\n`);
  }
  process.stdout.write(
    `\nNext: edit ${result.schema}, then run \`npx evolve generate\` and \`npx evolve up\`.\n`,
  );
  return 0;
}
