import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EvolveError } from '@evolve/core';
import { isBuildFailure, takeBundle } from './bundle-module.ts';
import { detectPackageManager, installCommand } from './install-command.ts';
import { missingPackage } from './missing-package.ts';

/**
 * Imports a project module (config, schema, migrations) — TypeScript or JavaScript — fresh on every call,
 * so a long-running process sees edits. Failures become `INVALID_CONFIG`-style errors naming the file.
 *
 * @example
 * const mod = await importModule('/app/src/models.ts', { code: 'INVALID_SCHEMA', what: 'the schema module' });
 */
export async function importModule(
  file: string,
  options: { code: ModuleErrorCode; what: string },
): Promise<Record<string, unknown>> {
  let mod: Record<string, unknown>;
  try {
    mod = await evaluate(await takeBundle(file), file);
  } catch (error) {
    if (isEvolveErrorLike(error)) throw error;
    throw loadError(error, file, options);
  }
  if ('default' in mod && (mod.default === null || mod.default === undefined)) {
    throw new EvolveError(
      options.code,
      `the ${options.what} exports nothing usable (its default export is null or undefined)`,
      { path: file },
    );
  }
  return mod;
}

/**
 * Imports a bundle from a file of its own in the temporary folder (a file URL, so stack traces stay readable;
 * with source maps enabled, as `evolve --debug` does, they name the project's files), removed once imported.
 * The name is random and the file created exclusively (`wx`, readable by its owner only).
 */
async function evaluate(code: string, file: string): Promise<Record<string, unknown>> {
  const bundle = join(
    tmpdir(),
    `evolve-${process.pid}-${randomBytes(6).toString('hex')}-${basename(file)}.mjs`,
  );
  writeFileSync(bundle, code, { flag: 'wx', mode: 0o600 });
  try {
    return await import(pathToFileURL(bundle).href);
  } finally {
    rmSync(bundle, { force: true });
  }
}

type ModuleErrorCode = 'INVALID_CONFIG' | 'INVALID_SCHEMA' | 'INVALID_MIGRATION';

/** The EvolveError for a module that failed to transpile, resolve or run, naming the file at fault. */
function loadError(
  error: unknown,
  file: string,
  options: { code: ModuleErrorCode; what: string },
): EvolveError {
  const fail = (message: string, path: string, at?: string, install = '') =>
    new EvolveError(
      options.code,
      `cannot load the ${options.what}: ${message}${at ? (path !== file ? ` in ${at}` : ` at ${at}`) : ''}${install}`,
      { path, cause: error },
    );
  if (isBuildFailure(error)) {
    // A parse error names the broken file, which may be a module the requested file imports: report that
    // file, not the importer.
    const first = error.errors[0]!;
    const where = first.location;
    const path = where ? resolve(dirname(file), where.file) : file;
    return fail(first.text, path, where ? `${path}:${where.line}:${where.column}` : undefined);
  }
  const text = error instanceof Error ? error.message : String(error);
  const message = text.split('\n')[0]?.trim() ?? text;
  // A package the project's module imports but the project lacks: say what to install.
  const missing = missingPackage(error);
  const install = missing
    ? ` (install it: ${installCommand(detectPackageManager(projectRoot(file)), [missing])})`
    : '';
  return fail(message, file, undefined, install);
}

/** The nearest folder above a file with a package.json (the file's own folder when there is none). */
function projectRoot(file: string): string {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return dirname(file);
  }
}

/**
 * An EvolveError, possibly from another copy of @evolve/core (so not `instanceof`).
 *
 * @example
 * try {
 *   await loadConfig({ cwd: '/app' });
 * } catch (error) {
 *   if (isEvolveErrorLike(error) && error.code === 'NO_CONFIG') console.log('run evolve init first');
 * }
 */
export function isEvolveErrorLike(
  value: unknown,
): value is { code: string; message: string; path?: string; details?: unknown; stack?: string } {
  return (
    value instanceof Error &&
    value.name === 'EvolveError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}
