/**
 * The package a module-not-found error names (`zod` for "Cannot find module 'zod'", `@evolve/core` for
 * "Cannot find package '@evolve/core/x'"), or undefined for any other error or a relative path.
 *
 * @example
 * const error = Object.assign(new Error("Cannot find package 'pg' imported from /app/x.js"), {
 *   code: 'ERR_MODULE_NOT_FOUND',
 * });
 * missingPackage(error); // 'pg'
 */
export function missingPackage(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : '';
  if (
    code !== 'ERR_MODULE_NOT_FOUND' &&
    code !== 'MODULE_NOT_FOUND' &&
    !/^Cannot find (module|package) /.test(message)
  )
    return undefined;
  const specifier = /Cannot find (?:module|package) ['"]([^'"]+)['"]/.exec(message)?.[1];
  if (!specifier || /^[./]|^[a-z]:\\|^node:|^file:/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}
