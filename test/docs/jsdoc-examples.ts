// Type-checks the `@example` blocks of JSDoc comments: each example becomes a module that imports what it
// uses and is compiled with the repo's TypeScript, so an example that stops compiling fails a test.
//
// What an example may use without importing it, in this order (an example's own declarations win):
//   1. the public API of its package (the names its entry point, src/index.ts, exports);
//   2. the other exports of the file it documents, then those of its package's other modules (for the
//      helpers that are not public);
//   3. the givens of its package: packages/<name>/test/example-givens.ts (or apps/<name>/test/...) declares
//      the values examples take as given (a Kysely `db`, `migrations`, a `User` model, ...);
//   4. the public API of the workspace packages it depends on, and zod's `z`.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../../..');

/** One `@example` block: its code and where it sits. */
export interface Example {
  /** The documented source file (absolute). */
  file: string;
  /** The 1-based line of the example's first code line in `file`. */
  line: number;
  code: string;
}

/** A workspace package whose sources carry examples. */
export interface WorkspacePackage {
  dir: string;
  name: string;
  /** Workspace packages it depends on (by name). */
  dependencies: string[];
}

/** A compile error of an example, mapped back to the documented file and line. */
export interface ExampleProblem {
  /** `path/to/file.ts:line`, relative to the repo root. */
  where: string;
  message: string;
}

/**
 * The `@example` blocks of one source text: the lines after the tag up to the next tag or the comment's end
 * (or, in a one-line comment, the rest of the line).
 */
export function extractExamples(file: string, text: string): Example[] {
  const examples: Example[] = [];
  const lines = text.split('\n');
  let inDoc = false;
  let current: { line: number; code: string[] } | undefined;
  const finish = () => {
    if (current) {
      const code = current.code.filter((l) => !/^```/.test(l.trim()));
      while (code.length > 0 && code.at(-1)!.trim() === '') code.pop();
      examples.push({ file, line: current.line, code: code.join('\n') });
    }
    current = undefined;
  };
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (!inDoc) {
      const oneLine = /\/\*\*.*@example\s+(.*?)\s*(?:@\w+.*)?\*\//.exec(raw);
      if (oneLine) examples.push({ file, line: i + 1, code: oneLine[1]! });
      else if (/^\s*\/\*\*/.test(raw) && !/\*\/\s*$/.test(raw)) inDoc = true;
      continue;
    }
    const end = /\*\/\s*$/.test(raw);
    const body = raw.replace(/\*\/\s*$/, '').replace(/^\s*\* ?/, '');
    if (/^\s*@\w+/.test(body)) {
      finish();
      if (/^\s*@example\b/.test(body)) current = { line: i + 2, code: [] };
    } else if (current && !(end && body.trim() === '')) {
      current.code.push(body);
    }
    if (end) {
      finish();
      inDoc = false;
    }
  }
  return examples;
}

const EXPORT_LIST = /^export\s+(?:type\s+)?\{([^}]*)\}(?:\s*from\s*'([^']+)')?/gm;
const EXPORT_ALL = /^export\s+(?:type\s+)?\*\s+from\s*'([^']+)'/gm;
const EXPORT_NS = /^export\s+\*\s+as\s+([A-Za-z_$][\w$]*)\s+from/gm;
const EXPORT_DECL =
  /^export\s+(?:declare\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|const|let|var|class|abstract\s+class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm;

/** The names a module exports, following `export *` into the modules it re-exports. */
export function exportedNames(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  for (const m of text.matchAll(EXPORT_LIST)) {
    for (const part of m[1]!.split(',')) {
      const name = part
        .trim()
        .replace(/^type\s+/, '')
        .split(/\s+as\s+/)
        .at(-1);
      if (name && name !== 'default') names.add(name);
    }
  }
  for (const m of text.matchAll(EXPORT_NS)) names.add(m[1]!);
  for (const m of text.matchAll(EXPORT_DECL)) names.add(m[1]!);
  for (const m of text.matchAll(EXPORT_ALL)) {
    // a re-exported package is another package's public API, which the prelude offers on its own
    if (!m[1]!.startsWith('.')) continue;
    for (const name of exportedNames(resolve(dirname(file), m[1]!), seen)) names.add(name);
  }
  return names;
}

/** The workspace packages with sources to document: packages/* and apps/cli. */
export function workspacePackages(): WorkspacePackage[] {
  const dirs = [
    ...readdirSync(join(ROOT, 'packages')).map((d) => join(ROOT, 'packages', d)),
    join(ROOT, 'apps', 'cli'),
  ].filter((d) => existsSync(join(d, 'src', 'index.ts')));
  const packages = dirs.map((dir) => {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const deps = Object.keys({ ...json.dependencies, ...json.peerDependencies });
    return { dir, name: json.name as string, dependencies: deps };
  });
  const names = new Set(packages.map((p) => p.name));
  for (const p of packages) p.dependencies = p.dependencies.filter((d) => names.has(d));
  return packages;
}

/** Every .ts source file under a package's src folder. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/** Names an example declares at any level (its own declarations win over imported ones). */
function declaredNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(
    /\b(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/g,
  )) {
    names.add(m[1]!);
  }
  for (const m of code.matchAll(/\b(?:const|let|var)\s*[{[]([^=]*?)[}\]]\s*(?:=|of\b)/g)) {
    for (const id of m[1]!.match(IDENTIFIER) ?? []) names.add(id);
  }
  for (const m of code.matchAll(/\bimport\s+([^'"]*?)\s+from\s*['"]/g)) {
    for (const id of m[1]!.match(IDENTIFIER) ?? []) if (id !== 'type' && id !== 'as') names.add(id);
  }
  return names;
}

/** `import` lines that give an example the names it uses (see the file comment for the order). */
function prelude(
  example: Example,
  pkg: WorkspacePackage,
  packages: WorkspacePackage[],
  at: string,
): string[] {
  const used = new Set(example.code.match(IDENTIFIER) ?? []);
  for (const name of declaredNames(example.code)) used.delete(name);
  const taken = new Set<string>();
  const lines: string[] = [];
  const take = (names: Iterable<string>, from: string) => {
    const picked = [...names].filter((n) => used.has(n) && !taken.has(n)).sort();
    for (const n of picked) taken.add(n);
    if (picked.length > 0) lines.push(`import { ${picked.join(', ')} } from '${from}';`);
  };
  const relativeTo = (file: string) => {
    const path = relative(dirname(at), file);
    return path.startsWith('.') ? path : `./${path}`;
  };
  take(publicNames(pkg), pkg.name);
  take(exportedNames(example.file), relativeTo(example.file));
  for (const [file, names] of moduleExports(pkg)) take(names, relativeTo(file));
  const givens = givensFile(pkg);
  if (givens) take(exportedNames(givens), relativeTo(givens));
  for (const dep of pkg.dependencies) {
    const other = packages.find((p) => p.name === dep);
    if (other) take(publicNames(other), other.name);
  }
  take(['z'], 'zod');
  return lines;
}

const publicCache = new Map<string, Set<string>>();
function publicNames(pkg: WorkspacePackage): Set<string> {
  let names = publicCache.get(pkg.dir);
  if (!names) {
    names = exportedNames(join(pkg.dir, 'src', 'index.ts'));
    publicCache.set(pkg.dir, names);
  }
  return names;
}

const moduleCache = new Map<string, Map<string, Set<string>>>();
/** Each source module of a package (barrels left out) with the names it exports, in path order. */
function moduleExports(pkg: WorkspacePackage): Map<string, Set<string>> {
  let modules = moduleCache.get(pkg.dir);
  if (!modules) {
    modules = new Map();
    for (const file of sourceFiles(join(pkg.dir, 'src'))) {
      if (!file.endsWith('/index.ts')) modules.set(file, exportedNames(file));
    }
    moduleCache.set(pkg.dir, modules);
  }
  return modules;
}

function givensFile(pkg: WorkspacePackage): string | undefined {
  const file = join(pkg.dir, 'test', 'example-givens.ts');
  return existsSync(file) ? file : undefined;
}

/** The package a source file belongs to. */
function packageOf(file: string, packages: WorkspacePackage[]): WorkspacePackage {
  const pkg = packages.find((p) => file.startsWith(`${p.dir}/`));
  if (!pkg) throw new Error(`${relative(ROOT, file)} is in no workspace package with examples`);
  return pkg;
}

/**
 * The functions a package's entry point exports whose JSDoc has no `@example` (an overloaded function
 * counts by its first signature), in source order.
 */
export function functionsWithoutExample(pkg: WorkspacePackage): { name: string; file: string }[] {
  const names = publicNames(pkg);
  const missing: { name: string; file: string }[] = [];
  const seen = new Set<string>();
  for (const file of sourceFiles(join(pkg.dir, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(
      /^export (?:async )?function\*? (\w+)|^export const (\w+) = (?:async )?[(<]/gm,
    )) {
      const name = (m[1] ?? m[2])!;
      if (!names.has(name) || seen.has(name)) continue;
      seen.add(name);
      const doc = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*$/.exec(text.slice(0, m.index));
      if (!doc?.[1]?.includes('@example')) missing.push({ name, file: relative(ROOT, file) });
    }
  }
  return missing;
}

export interface CheckResult {
  examples: number;
  problems: ExampleProblem[];
}

/**
 * Writes every example of `files` as a module under its package's .tmp folder (so that the package's own
 * dependencies resolve), compiles them all in one `tsc` run, and maps each error back to its example.
 */
export async function checkExamples(files: readonly string[]): Promise<CheckResult> {
  const packages = workspacePackages();
  const run = `jsdoc-examples-${process.pid}-${Date.now()}`;
  const written = new Map<string, { example: Example; offset: number }>();
  const configDir = join(ROOT, '.tmp', run);
  const dirs = [configDir];
  let count = 0;
  try {
    for (const file of files) {
      const pkg = packageOf(file, packages);
      const examples = extractExamples(file, readFileSync(file, 'utf8'));
      for (const example of examples) {
        const dir = join(pkg.dir, '.tmp', run);
        if (!dirs.includes(dir)) dirs.push(dir);
        mkdirSync(dir, { recursive: true });
        const out = join(dir, `${relative(pkg.dir, file).replace(/[/.]/g, '_')}_${example.line}.ts`);
        const lines = prelude(example, pkg, packages, out);
        // `export {}` keeps an example without imports a module, so its names do not clash with others'
        writeFileSync(out, `${[...lines, 'export {};'].join('\n')}\n${example.code}\n`);
        written.set(out, { example, offset: lines.length + 1 });
        count++;
      }
    }
    mkdirSync(configDir, { recursive: true });
    const config = {
      extends: relative(configDir, join(ROOT, 'tsconfig.base.json')),
      compilerOptions: {
        noEmit: true,
        allowImportingTsExtensions: true,
        // examples import types and values alike, as a reader would write them
        verbatimModuleSyntax: false,
        isolatedModules: false,
      },
      files: [...written.keys()],
    };
    writeFileSync(join(configDir, 'tsconfig.json'), JSON.stringify(config, null, 2));
    const output = await tsc(join(configDir, 'tsconfig.json'));
    return { examples: count, problems: parseProblems(output, written) };
  } finally {
    // EVOLVE_KEEP_EXAMPLES=1 keeps the generated modules, to read what was compiled
    if (!process.env.EVOLVE_KEEP_EXAMPLES)
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

function tsc(config: string): Promise<string> {
  const bin = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      [bin, '-p', config, '--pretty', 'false'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // tsc exits 2 when it reports errors; anything else without output is a failure to run
        if (error && !stdout) reject(new Error(`tsc failed to run: ${stderr || error.message}`));
        else resolvePromise(stdout);
      },
    );
  });
}

function parseProblems(output: string, written: Map<string, { example: Example; offset: number }>) {
  const problems: ExampleProblem[] = [];
  let last: ExampleProblem | undefined;
  for (const line of output.split('\n')) {
    const m = /^(.+?)\((\d+),(\d+)\): (error .*)$/.exec(line);
    if (!m) {
      if (last && line.startsWith(' ')) last.message += `\n${line}`;
      continue;
    }
    const file = resolve(ROOT, m[1]!);
    const source = written.get(file);
    const where = source
      ? `${relative(ROOT, source.example.file)}:${source.example.line + Number(m[2]) - 1 - source.offset}`
      : `${relative(ROOT, file)}:${m[2]}`;
    last = { where, message: m[4]! };
    problems.push(last);
  }
  if (problems.length === 0 && /error/i.test(output)) problems.push({ where: 'tsc', message: output.trim() });
  return problems;
}
