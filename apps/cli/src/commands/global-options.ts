import type { LoadConfigOptions } from '@evolve/project';

/** The options every command accepts. */
export interface GlobalOptions {
  config?: string;
  cwd?: string;
  url?: string;
  json?: boolean;
  yes?: boolean;
  debug?: boolean;
}

/** The loadConfig options the global flags select. */
export function configOptions(globals: GlobalOptions): LoadConfigOptions {
  return {
    ...(globals.cwd ? { cwd: globals.cwd } : {}),
    ...(globals.config ? { configPath: globals.config } : {}),
    ...(globals.url ? { url: globals.url } : {}),
  };
}

/** Prints data as indented JSON on stdout. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
