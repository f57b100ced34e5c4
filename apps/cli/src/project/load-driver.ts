import { EvolveError } from '@evolve/core';
import { missingPackage } from '@evolve/project';

/**
 * Imports an optional peer dependency (a database driver) through `load`, a literal `import()` of it. When the
 * package is not installed, throws `MISSING_DRIVER` naming the package to install and what needs it; any other
 * failure (a broken install, a missing dependency of the driver itself) passes through unchanged.
 *
 * @example
 * const pg = await loadDriver('pg', 'postgres:// URLs', () => import('pg'));
 * // not installed: EvolveError MISSING_DRIVER "install pg to use postgres:// URLs"
 */
export async function loadDriver<T>(name: string, purpose: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (isMissingPackage(error, name)) {
      throw new EvolveError('MISSING_DRIVER', `install ${name} to use ${purpose}`, {
        path: name,
        cause: error,
      });
    }
    throw error;
  }
}

/** Whether `error` says that the package `name` itself (not something it imports) cannot be found. */
function isMissingPackage(error: unknown, name: string): boolean {
  return missingPackage(error) === name;
}
