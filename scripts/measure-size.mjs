#!/usr/bin/env node
// Measures how easy the house is to walk (issue 13, item 7): every source file under packages/*/src and
// apps/*/src over 400 lines, and every function there over 120 lines (declarations, methods, function
// expressions and arrow functions; a nested function counts on its own and inside its parent).
// Functions come from the repo's TypeScript parser (typescript/unstable/sync over tsconfig.json), so
// braces in strings, templates and types do not fool it.
//
//   node scripts/measure-size.mjs [--max-file-lines 400] [--max-function-lines 120] [--check]
//
// Prints the two lists with their counts; with --check, exits 1 when either list is not empty.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SyntaxKind } from 'typescript/unstable/ast';
import { API } from 'typescript/unstable/sync';

const root = resolve(fileURLToPath(import.meta.url), '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const maxFileLines = option('--max-file-lines', 400);
const maxFunctionLines = option('--max-function-lines', 120);

/** The .ts files under packages/<name>/src and apps/<name>/src (declaration files left out). */
function sourceFiles() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir).sort()) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.ts') && !entry.endsWith('.d.ts')) out.push(path);
    }
  };
  for (const group of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, group)).sort()) {
      const src = join(root, group, name, 'src');
      if (statSync(join(root, group, name)).isDirectory() && existsDir(src)) walk(src);
    }
  }
  return out;
}

function existsDir(path) {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

const FUNCTION_KINDS = new Set([
  SyntaxKind.FunctionDeclaration,
  SyntaxKind.FunctionExpression,
  SyntaxKind.ArrowFunction,
  SyntaxKind.MethodDeclaration,
  SyntaxKind.Constructor,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

/** Line number (1-based) of a character offset. */
function lineAt(lineStarts, offset) {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** The first offset at or after `pos` that is not whitespace or a comment (a node's `pos` includes its trivia). */
function skipTrivia(text, pos) {
  let i = pos;
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text.startsWith('//', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('/*', i)) i = text.indexOf('*/', i + 2) + 2;
    else return i;
  }
}

function functionName(node) {
  if (node.name?.text) return node.name.text;
  if (node.kind === SyntaxKind.Constructor) return 'constructor';
  const parent = node.parent;
  if (parent?.name?.text) return parent.name.text;
  if (parent?.kind === SyntaxKind.CallExpression) return `(callback)`;
  return '(anonymous)';
}

const files = sourceFiles();
const longFiles = [];
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n').length - 1;
  if (lines > maxFileLines) longFiles.push({ file: relative(root, file), lines });
}

const api = new API({ cwd: root });
const longFunctions = [];
try {
  const program = api.updateSnapshot({ openProject: join(root, 'tsconfig.json') }).getProjects()[0].program;
  for (const file of files) {
    const sourceFile = program.getSourceFile(file);
    if (!sourceFile) throw new Error(`${relative(root, file)} is not in tsconfig.json's program`);
    const text = readFileSync(file, 'utf8');
    const lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
    const visit = (node) => {
      if (FUNCTION_KINDS.has(node.kind) && node.body) {
        const start = lineAt(lineStarts, skipTrivia(text, node.pos));
        const end = lineAt(lineStarts, node.end - 1);
        const lines = end - start + 1;
        if (lines > maxFunctionLines) {
          longFunctions.push({ where: `${relative(root, file)}:${start}`, name: functionName(node), lines });
        }
      }
      node.forEachChild(visit);
    };
    visit(sourceFile);
  }
} finally {
  api.close();
}

longFiles.sort((a, b) => b.lines - a.lines);
longFunctions.sort((a, b) => b.lines - a.lines);
console.log(`${files.length} source files under packages/*/src and apps/*/src`);
console.log(`files over ${maxFileLines} lines: ${longFiles.length}`);
for (const f of longFiles) console.log(`  ${String(f.lines).padStart(5)}  ${f.file}`);
console.log(`functions over ${maxFunctionLines} lines: ${longFunctions.length}`);
for (const f of longFunctions) console.log(`  ${String(f.lines).padStart(5)}  ${f.where}  ${f.name}`);
if (args.includes('--check') && (longFiles.length > 0 || longFunctions.length > 0)) process.exitCode = 1;
