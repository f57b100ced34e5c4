import { EvolveError } from '@evolve/core';

type Fn = (...args: any[]) => any;

/**
 * Looks up a function exported by one of the evolve packages. The CLI reaches the packages' planners and
 * runners through this one door so a missing export is a clear error rather than a crash.
 */
export async function packageFunction<F extends Fn = Fn>(
  pkg: '@evolve/core' | '@evolve/sql' | '@evolve/document',
  name: string,
): Promise<F> {
  const mod = (await importPackage(pkg)) as Record<string, unknown>;
  const fn = mod[name];
  if (typeof fn !== 'function') {
    throw new EvolveError('NOT_FOUND', `${pkg} does not export ${name}() (needed by this command)`, {
      path: `${pkg}#${name}`,
    });
  }
  return fn as F;
}

/** Like packageFunction, but undefined when the package does not export it. */
export async function optionalPackageFunction<F extends Fn = Fn>(
  pkg: '@evolve/core' | '@evolve/sql' | '@evolve/document',
  name: string,
): Promise<F | undefined> {
  const mod = (await importPackage(pkg)) as Record<string, unknown>;
  const fn = mod[name];
  return typeof fn === 'function' ? (fn as F) : undefined;
}

function importPackage(pkg: string): Promise<unknown> {
  switch (pkg) {
    case '@evolve/core':
      return import('@evolve/core');
    case '@evolve/sql':
      return import('@evolve/sql');
    default:
      return import('@evolve/document');
  }
}
