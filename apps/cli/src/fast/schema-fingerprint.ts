// A fingerprint of everything that decides the models' snapshot, computed without loading them: the text of
// the schema module and of every local module it imports (recursively), the versions of the packages it
// imports, and the CLI build. Anything it cannot account for (a workspace package linked from outside
// node_modules, an import it cannot resolve, a non-literal dynamic import) makes it give up (undefined).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve, sep } from 'node:path';

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)(['"])([^'"\n]+)\1/g;
const DYNAMIC = /\b(?:import|require)\s*\(\s*[^'"\s)]/;
const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json'];
const BUILTINS = new Set(builtinModules);

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

/** A relative import's file: as written, with a TS/JS extension, `.js` written for `.ts`, or an index file. */
function resolveLocal(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  const candidates = [
    base,
    ...EXTENSIONS.map((e) => base + e),
    ...(/\.(m|c)?js$/.test(base)
      ? ['.ts', '.mts', '.cts', '.tsx'].map((e) => base.replace(/\.(m|c)?js$/, e))
      : []),
    ...EXTENSIONS.map((e) => join(base, `index${e}`)),
  ];
  return candidates.find(isFile);
}

/** `name@version` of an installed package, or undefined when it is not a plain node_modules install. */
function packageVersion(from: string, specifier: string): string | undefined {
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, 'node_modules', name, 'package.json');
    if (existsSync(manifest)) {
      // A workspace link (its real path outside node_modules) is source that may change without a version bump.
      if (!realpathSync(manifest).includes(`${sep}node_modules${sep}`)) return undefined;
      return `${name}@${(JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version}`;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The fingerprint of a schema module and what it imports, or undefined when it cannot be sure.
 * `fixed` names packages whose code comes with the CLI itself (keyed by `build`), as imported from a file.
 */
export function schemaFingerprint(
  schemaPath: string,
  options: { build: string; fixed: (specifier: string, from: string) => boolean },
): string | undefined {
  const parts: string[] = [`build ${options.build}`];
  const seen = new Set<string>();
  const queue = [schemaPath];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    if (!isFile(file)) return undefined;
    const text = readFileSync(file, 'utf8');
    if (DYNAMIC.test(text)) return undefined;
    parts.push(`file ${file} ${sha(text)}`);
    if (file.endsWith('.json')) continue;
    for (const [, , specifier] of text.matchAll(IMPORT)) {
      if (!specifier) continue;
      if (specifier.startsWith('.')) {
        const local = resolveLocal(file, specifier);
        if (!local) return undefined;
        queue.push(local);
      } else if (specifier.startsWith('node:') || BUILTINS.has(specifier)) {
        // Node's own modules do not change what a schema describes.
      } else if (options.fixed(specifier, file)) {
        parts.push(`fixed ${specifier}`);
      } else {
        const version = packageVersion(file, specifier);
        if (!version) return undefined;
        parts.push(`package ${version}`);
      }
    }
  }
  return sha(parts.sort().join('\n'));
}
