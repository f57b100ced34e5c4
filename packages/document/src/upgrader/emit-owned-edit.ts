import { ELEMENT } from './doc-ops/edit-path.ts';
import { moveScope } from './doc-ops/move-in.ts';
import { access } from './emit-literal.ts';

// Straight-line code for a path edit on the chain's own working copy (`inPlace`): the same edit as the
// `d.setIn`/`d.moveIn`/`d.putIn` helpers make with `owned`, but with the member names written out. The
// helpers walk any path with keyed reads, so one copy of them serves every step of every model and V8
// sees dozens of document shapes at the same reads (megamorphic: several times slower); written-out
// code has one shape per read. A step out of place (its own copy) still calls the helper.

/** Statements run on the container that holds the path's last member (`field`: its access expression). */
export type LeafCode = (field: string) => string[];

const indent = (lines: readonly string[]) => lines.map((l) => `  ${l}`);

/**
 * Whether a path can be written out: plain member names (none that plain objects inherit, such as
 * `constructor` or `__proto__`: the helpers keep their handling of those), at most one array, and not
 * ending at the array's elements themselves (where the helpers map the array to a new one).
 */
function plain(path: readonly string[]): boolean {
  const arrays = path.filter((segment) => segment === ELEMENT).length;
  return (
    path.length > 0 &&
    path[0] !== ELEMENT &&
    path[path.length - 1] !== ELEMENT &&
    arrays <= 1 &&
    path.every((segment) => segment === ELEMENT || !(segment in Object.prototype))
  );
}

/**
 * Walks `path` from `node` (objects by `isRecord`, `'[]'` through each element that is an object, as
 * the helpers walk) and runs `inner` on the object reached.
 */
function reach(
  ops: string,
  node: string,
  path: readonly string[],
  depth: number,
  inner: (node: string) => string[],
): string[] {
  if (path.length === 0) return inner(node);
  const field = access(node, path[0] as string);
  if (path[1] === ELEMENT) {
    const array = `a${depth}`;
    return [
      `const ${array} = ${field};`,
      `if (Array.isArray(${array})) {`,
      `  for (const el of ${array}) {`,
      `    if (${ops}.isRecord(el)) {`,
      ...indent(indent(indent(reach(ops, 'el', path.slice(2), depth + 1, inner)))),
      '    }',
      '  }',
      '}',
    ];
  }
  const child = `o${depth}`;
  return [
    `const ${child} = ${field};`,
    `if (${ops}.isRecord(${child})) {`,
    ...indent(reach(ops, child, path.slice(1), depth + 1, inner)),
    '}',
  ];
}

/** The edit at `path` written out (`undefined` where the path is not `plain`: the helper does it). */
export function ownedEdit(ops: string, path: readonly string[], leaf: LeafCode): string[] | undefined {
  if (!plain(path)) return undefined;
  const last = path[path.length - 1] as string;
  return reach(ops, 'out', path.slice(0, -1), 1, (node) => leaf(access(node, last)));
}

/** `value` (an expression) put at `to`, creating missing objects on the way; `undefined` puts nothing. */
export function ownedPut(ops: string, to: readonly string[], value: string): string[] | undefined {
  if (!plain(to) || to.includes(ELEMENT)) return undefined;
  // an expression is read once; a local variable as it is
  const v = /^[A-Za-z_$][\w$]*$/.test(value) ? value : 'v';
  const lines = v === value ? [] : [`const v = ${value};`];
  lines.push(`if (${v} !== undefined) {`);
  let node = 'out';
  for (let i = 0; i < to.length - 1; i++) {
    const field = access(node, to[i] as string);
    const child = `p${i + 1}`;
    lines.push(
      `  const ${child}: Record<string, unknown> = ${ops}.isRecord(${field}) ? ${field} : {};`,
      `  ${field} = ${child};`,
    );
    node = child;
  }
  lines.push(`  ${access(node, to[to.length - 1] as string)} = ${v};`, '}');
  return lines;
}

/** A move from one path to another written out, as `moveIn` does it (`undefined`: the helper does it). */
export function ownedMove(ops: string, from: readonly string[], to: readonly string[]): string[] | undefined {
  if (!plain(from) || !plain(to)) return undefined;
  const scope = moveScope(from, to);
  if (scope === undefined) return undefined;
  if (scope.scope.length > 0) {
    // inside each element of an array: only a rename of a member of the elements themselves
    if (scope.from.length !== 1 || scope.to.length !== 1) return undefined;
    const fromKey = scope.from[0] as string;
    const toKey = scope.to[0] as string;
    return reach(ops, 'out', scope.scope, 1, (el) => [
      `const v = ${access(el, fromKey)};`,
      'if (v !== undefined) {',
      `  ${access(el, fromKey)} = undefined;`,
      `  ${access(el, toKey)} = v;`,
      '}',
    ]);
  }
  const last = from[from.length - 1] as string;
  const take = reach(ops, 'out', from.slice(0, -1), 1, (node) => [
    `moved = ${access(node, last)};`,
    `if (moved !== undefined) ${access(node, last)} = undefined;`,
  ]);
  const put = ownedPut(ops, to, 'moved');
  return put && ['let moved: unknown;', ...take, ...put];
}
