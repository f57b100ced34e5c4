import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { EvolveError } from '@evolve/core';

/** What `init` did to package.json. */
export interface PackageJsonResult {
  status: 'created' | 'updated' | 'unchanged';
  /** What an update added (`"type": "module"`, `an "evolve" script`). */
  added: string[];
  /** The `"type"` field after init: `module`, or what the project had (`commonjs`, or none). */
  type: string | undefined;
  /** Why `"type": "module"` was not set, when it was not. */
  typeNote?: string;
  /** The dependencies and devDependencies the manifest declares. */
  declared: Set<string>;
}

/** Folders whose .js files do not belong to the project's own sources. */
const SKIP = new Set([
  'node_modules',
  '.git',
  'dist',
  'build',
  'out',
  'coverage',
  '.next',
  '.turbo',
  '.cache',
]);
const MAX_ENTRIES = 5_000;

/**
 * The project's `.js`/`.jsx` files (CommonJS unless `"type": "module"` says otherwise), up to a few; `undefined`
 * when the tree is too large to tell.
 */
function scriptFiles(root: string): string[] | undefined {
  const found: string[] = [];
  let seen = 0;
  const walk = (dir: string): boolean => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (++seen > MAX_ENTRIES) return false;
      if (entry.isDirectory()) {
        if (!SKIP.has(entry.name) && !walk(join(dir, entry.name))) return false;
      } else if (/\.jsx?$/.test(entry.name)) {
        found.push(relative(root, join(dir, entry.name)));
      }
    }
    return true;
  };
  return walk(root) ? found : undefined;
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9-~._]+/g, '-')
      .replace(/^[-._]+|-+$/g, '') || 'app'
  );
}

/** The manifest with `"type"` placed after its name, version, private and description fields. */
function withType(manifest: Record<string, unknown>, type: string): Record<string, unknown> {
  const entries = Object.entries(manifest);
  const header = new Set(['name', 'version', 'private', 'description']);
  let at = 0;
  while (at < entries.length && header.has(entries[at]![0])) at++;
  entries.splice(at, 0, ['type', type]);
  return Object.fromEntries(entries);
}

/**
 * Creates package.json (an ES module package with an `evolve` script) or edits an existing one: adds the
 * `evolve` script when missing, and `"type": "module"` only when that changes nothing for the project's own
 * files (no `type` yet and no `.js` files that Node would then read as ES modules instead of CommonJS).
 *
 * @example
 * ensurePackageJson('/app'); // { status: 'created', type: 'module', declared: Set {} }
 */
export function ensurePackageJson(root: string): PackageJsonResult {
  const file = join(root, 'package.json');
  if (!existsSync(file)) {
    const manifest = {
      name: slug(basename(root)),
      version: '0.1.0',
      private: true,
      type: 'module',
      scripts: { evolve: 'evolve' },
    };
    writeFileSync(file, `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    return { status: 'created', added: [], type: 'module', declared: new Set() };
  }
  const text = readFileSync(file, 'utf8');
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new EvolveError('INVALID_CONFIG', `package.json is not valid JSON: ${(error as Error).message}`, {
      path: file,
    });
  }
  if (manifest === null || typeof manifest !== 'object' || Array.isArray(manifest)) {
    throw new EvolveError('INVALID_CONFIG', 'package.json must hold an object', { path: file });
  }
  const declared = new Set(
    ['dependencies', 'devDependencies'].flatMap((k) =>
      Object.keys((manifest[k] as object | undefined) ?? {}),
    ),
  );
  const added: string[] = [];
  let typeNote: string | undefined;
  if (manifest.type === undefined) {
    const scripts = scriptFiles(root);
    if (scripts === undefined) {
      typeNote = 'the project has too many files to check that its .js files stay CommonJS';
    } else if (scripts.length > 0) {
      const some = scripts.slice(0, 3).join(', ') + (scripts.length > 3 ? ', ...' : '');
      typeNote = `the project's .js files (${some}) would turn from CommonJS into ES modules`;
    } else {
      manifest = withType(manifest, 'module');
      added.push('"type": "module"');
    }
  } else if (manifest.type !== 'module') {
    typeNote = `package.json says "type": ${JSON.stringify(manifest.type)}`;
  }
  const scripts = (manifest.scripts ?? {}) as Record<string, unknown>;
  if (typeof scripts === 'object' && !Array.isArray(scripts) && scripts.evolve === undefined) {
    manifest.scripts = { ...scripts, evolve: 'evolve' };
    added.push('an "evolve" script');
  }
  if (added.length > 0) {
    const indent = /^\{\r?\n([ \t]+)"/.exec(text)?.[1] ?? 2;
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    writeFileSync(file, `${JSON.stringify(manifest, null, indent).replace(/\n/g, eol)}${eol}`);
  }
  return {
    status: added.length > 0 ? 'updated' : 'unchanged',
    added,
    type: manifest.type as string | undefined,
    ...(typeNote ? { typeNote } : {}),
    declared,
  };
}
