import type { StepTransforms } from './compile-step.ts';
import { given } from './doc-ops/call.ts';
import { ELEMENT } from './doc-ops/edit-path.ts';
import type { DocOp } from './step-plan.ts';

/** A tree of member names (`'[]'`: every element of an array) over the containers a chain edits. */
export interface PathTree {
  keys: Map<string, PathTree>;
  elements?: PathTree;
  /** An op writes a member of this container (else the chain only edits inside its members). */
  edited: boolean;
  /** A transform's result lands here: cleaned to any depth at the end. */
  written: boolean;
}

const tree = (): PathTree => ({ keys: new Map(), edited: false, written: false });

function nodeAt(root: PathTree, path: readonly string[]): PathTree {
  let node = root;
  for (const segment of path) {
    if (segment === ELEMENT) node = node.elements ??= tree();
    else {
      let child = node.keys.get(segment);
      if (!child) {
        child = tree();
        node.keys.set(segment, child);
      }
      node = child;
    }
  }
  return node;
}

const isPrefix = (prefix: readonly string[], path: readonly string[]) =>
  prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);

const renamed = (path: readonly string[], from: readonly string[], to: readonly string[]) =>
  isPrefix(from, path) ? [...to, ...path.slice(from.length)] : [...path];

/** The containers a chain copies and the ones it cleans (see `touchedPaths`). */
export interface TouchedPaths {
  copy: PathTree;
  clean: PathTree;
}

/** One step's ops and the transforms its migration gives. */
export interface PlannedStep {
  ops: readonly DocOp[];
  transforms: StepTransforms;
}

/**
 * What an op leaves at its path: whether a transform's result lands there, and whether the value may hold
 * parts of the input (a transform's result, or a conversion's, as wrapping in an array keeps the old
 * value). A default is a fresh value of the chain's own.
 */
function effectOf(op: DocOp, t: StepTransforms): { written: boolean; shared: boolean } {
  const key = 'key' in op ? op.key : undefined;
  const transformed = key !== undefined && given(t[key]);
  if (op.op === 'convert') return { written: transformed, shared: true };
  return { written: transformed, shared: transformed };
}

/**
 * What an upgrade chain edits, from its steps' plans: the containers `prepare` must copy (in the names of
 * the input's version, following moves back), and the ones `finish` must clean (in the names of the
 * output's version), with where transforms' results land. `undefined` when the plan cannot tell what is shared (an op edits inside a value an earlier op wrote
 * that may hold parts of the input: a transform's or a conversion's result).
 *
 * @example
 * const paths = touchedPaths(history.steps.map((s) => ({ ops: s.plan.up, transforms: s.transforms })));
 */
export function touchedPaths(steps: readonly PlannedStep[]): TouchedPaths | undefined {
  const copy = tree();
  const clean = tree();
  const ops = steps.flatMap((step) => step.ops.map((op) => ({ op, t: step.transforms })));
  const moves = ops.map(({ op }) => (op.op === 'move' ? op : undefined));
  // every path in the input's names an op's path may name: through each earlier move into it, the
  // object moved there (its source), and the object the input already had under the new name (a move
  // whose source is missing clears it; a hand-edited step may keep it): either must be a copy
  const back = (path: readonly string[], at: number) => {
    let paths = [[...path]];
    for (let j = at - 1; j >= 0; j--) {
      const move = moves[j];
      if (!move) continue;
      const next: string[][] = [];
      for (const p of paths) {
        next.push(p);
        if (isPrefix(move.to, p)) next.push(renamed(p, move.to, move.from));
      }
      paths = next.filter((p, k) => next.findIndex((q) => q.join('\0') === p.join('\0')) === k);
    }
    return paths;
  };
  const forward = (path: readonly string[], at: number) => {
    let p = [...path];
    for (let j = at + 1; j < ops.length; j++) {
      const move = moves[j];
      if (move) p = renamed(p, move.from, move.to);
    }
    return p;
  };
  // every value written so far that may hold parts of the input, by its path in the input's names
  const shared: string[][] = [];
  for (let i = 0; i < ops.length; i++) {
    const { op, t } = ops[i]!;
    if (op.op === 'note') continue;
    const paths = op.op === 'move' ? [op.from, op.to] : [op.path];
    for (const path of paths) {
      const container = path.slice(0, -1);
      const origins = back(container, i);
      if (origins.some((origin) => shared.some((w) => isPrefix(w, origin)))) return undefined;
      // the working copy declares members here as `undefined`: finish drops the ones still absent
      for (const origin of origins) nodeAt(copy, origin).edited = true;
      nodeAt(clean, forward(container, i)).edited = true;
      if (op.op === 'move' && path === op.to) {
        // a move creates the missing objects on its way: each of them gets a member
        for (let end = 0; end < container.length; end++) {
          for (const origin of back(container.slice(0, end), i)) nodeAt(copy, origin).edited = true;
          nodeAt(clean, forward(container.slice(0, end), i)).edited = true;
        }
      }
    }
    const effect = effectOf(op, t);
    if (op.op !== 'move' && op.op !== 'remove') {
      if (effect.shared) shared.push(...back(op.path, i));
      if (effect.written) nodeAt(clean, forward(op.path, i)).written = true;
    }
  }
  return { copy, clean };
}
