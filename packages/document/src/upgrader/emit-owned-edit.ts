import { ELEMENT } from './doc-ops/edit-path.ts';
import { moveScope } from './doc-ops/move-in.ts';
import { isInheritedName } from './doc-ops/own.ts';
import { access, pathLiteral } from './emit-literal.ts';

// Nested path edits written out in a generated step, with the member names in the code: the same edit as
// the `d.setIn`/`d.moveIn`/`d.putIn` helpers make, as ONE body that runs whichever copy the step works on.
// The helpers walk any path with keyed reads, so one copy of them serves every step of every model and V8
// sees dozens of document shapes at the same reads (megamorphic: several times slower); written-out code
// has one shape per read. The edit changes the objects on its path in place: on the chain's working copy
// (`inPlace`) they are the chain's own; otherwise a `d.copyPath` line first gives the step its own copies
// of just those objects. Whatever a reviewer edits in the written-out lines is what runs.

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
    path.every((segment) => segment === ELEMENT || !isInheritedName(segment))
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

/** The line that gives a step on its own copy its own objects along each of `parents` (distinct, non-empty). */
function copyLines(ops: string, parents: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const p of parents) {
    const literal = pathLiteral(p);
    if (p.length === 0 || seen.has(literal)) continue;
    seen.add(literal);
    lines.push(`if (!inPlace) ${ops}.copyPath(out, ${literal});`);
  }
  return lines;
}

/** `lines` in a block of their own (their `const`s do not meet the next edit's). */
const block = (lines: readonly string[]) => ['{', ...indent(lines), '}'];

/** The edit at `path` written out (`undefined` where the path is not `plain`: the helper does it). */
export function ownedEdit(ops: string, path: readonly string[], leaf: LeafCode): string[] | undefined {
  if (!plain(path)) return undefined;
  const last = path[path.length - 1] as string;
  const parents = path.slice(0, -1);
  return [
    ...copyLines(ops, [parents]),
    ...block(reach(ops, 'out', parents, 1, (node) => leaf(access(node, last)))),
  ];
}

/**
 * The statements that put `value` (a local name) at `to`, creating missing objects on the way; an
 * `undefined` value clears a member already at `to` (where its objects exist), as `putIn` does.
 */
function putLines(ops: string, to: readonly string[], value: string): string[] {
  const last = to[to.length - 1] as string;
  const clear = reach(ops, 'out', to.slice(0, -1), 1, (node) => [
    `if (${access(node, last)} !== undefined) ${access(node, last)} = undefined;`,
  ]);
  const lines = [`if (${value} === undefined) {`, ...indent(clear), `} else {`];
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
  lines.push(`  ${access(node, last)} = ${value};`, '}');
  return lines;
}

/**
 * `value` (an expression) put at `to`, a path without arrays, creating missing objects on the way; an
 * `undefined` value clears the member at `to` (`undefined` where the path is not written out: the helper
 * does it).
 */
export function ownedPut(ops: string, to: readonly string[], value: string): string[] | undefined {
  if (!plain(to) || to.includes(ELEMENT)) return undefined;
  return [...copyLines(ops, [to.slice(0, -1)]), ...block([`const v = ${value};`, ...putLines(ops, to, 'v')])];
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
    return [
      ...copyLines(ops, [scope.scope]),
      ...block(
        reach(ops, 'out', scope.scope, 1, (el) => [
          `const v = ${access(el, fromKey)};`,
          'if (v !== undefined) {',
          `  ${access(el, fromKey)} = undefined;`,
          `  ${access(el, toKey)} = v;`,
          `} else if (${access(el, toKey)} !== undefined) ${access(el, toKey)} = undefined;`,
        ]),
      ),
    ];
  }
  if (to.includes(ELEMENT) || from.includes(ELEMENT)) return undefined;
  const last = from[from.length - 1] as string;
  const take = reach(ops, 'out', from.slice(0, -1), 1, (node) => [
    `moved = ${access(node, last)};`,
    `${access(node, last)} = undefined;`,
  ]);
  return [
    ...copyLines(ops, [from.slice(0, -1), to.slice(0, -1)]),
    ...block(['let moved: unknown;', ...take, ...putLines(ops, to, 'moved')]),
  ];
}
