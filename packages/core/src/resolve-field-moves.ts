import type { FieldPath } from './change-types.ts';
import { EvolveError } from './errors.ts';
import { type FieldRecord, nodeAt } from './field-tree.ts';
import type { ModelPair } from './match-models.ts';

/** A field that moved: old path (in the old model) -> new path (in the new model), from the root. */
export interface FieldMove {
  from: FieldPath;
  to: FieldPath;
}

const key = (path: readonly string[]) => path.join('.');
const sameParent = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && key(a.slice(0, -1)) === key(b.slice(0, -1));

/** Rewrites the longest prefix of `path` found in `map` (prefix key -> replacement). */
function translate(map: ReadonlyMap<string, FieldPath>, path: FieldPath): FieldPath {
  for (let i = path.length; i > 0; i--) {
    const hit = map.get(key(path.slice(0, i)));
    if (hit) return [...hit, ...path.slice(i)];
  }
  return path;
}

/**
 * The field moves of one model pair, from explicit `renames` (old -> new; a plain value renames within
 * the same parent, or names a top-level field when the parent has no such field; a dotted one is a full
 * new path) and from the new snapshot's hints (new -> old,
 * collected from `renamedFrom`). Entries that do not name an existing old and new field are ignored, as
 * are hints whose new path already existed (stale hints). Explicit answers win over hints.
 */
export function resolveFieldMoves(
  pair: ModelPair,
  renames: Readonly<Record<string, string>>,
  hints: Readonly<Record<string, string>>,
): FieldMove[] {
  const oldRoot: FieldRecord = pair.old.fields;
  const newRoot: FieldRecord = pair.next.fields;
  const forward = new Map<string, FieldPath>();
  const backward = new Map<string, FieldPath>();
  const moves: Array<FieldMove & { explicit: boolean }> = [];
  const forget = (move: FieldMove & { explicit: boolean }) => {
    forward.delete(key(move.from));
    backward.delete(key(move.to));
    moves.splice(moves.indexOf(move), 1);
  };
  /** Records a move; false when either end does not exist (yet: a parent's move may still come). */
  const add = (from: FieldPath, to: FieldPath, explicit: boolean): boolean => {
    if (!nodeAt(oldRoot, from) || !nodeAt(newRoot, to)) return false;
    if (key(from) === key(to)) return true;
    const clash = moves.filter((m) => key(m.from) === key(from) || key(m.to) === key(to));
    if (clash.some((m) => m.explicit || !explicit)) {
      if (!explicit) return true;
      throw new EvolveError(
        'AMBIGUOUS_RENAME',
        `renames move ${pair.old.name}.${key(from)} or onto ${pair.next.name}.${key(to)} twice`,
        { path: `${pair.next.name}.${key(to)}` },
      );
    }
    for (const m of clash) forget(m); // an explicit answer overrides a hint
    forward.set(key(from), to);
    backward.set(key(to), from);
    moves.push({ from, to, explicit });
    return true;
  };

  // a sibling rename under a moved parent needs the parent's move first: entries that do not resolve
  // are retried after the others, until a pass makes no progress. Explicit answers go first.
  const entries: Array<{ depth: number; explicit: boolean; run: () => boolean }> = [];
  for (const [k, value] of Object.entries(renames)) {
    const dot = k.indexOf('.');
    if (dot < 0) continue;
    const model = k.slice(0, dot);
    if (model !== pair.old.name && model !== pair.next.name) continue;
    const from = k.slice(dot + 1).split('.');
    entries.push({
      depth: from.length,
      explicit: true,
      run: () => {
        let to = value.includes('.') ? value.split('.') : [...translate(forward, from.slice(0, -1)), value];
        // a plain name that is no sibling but a top-level field hoists to the root
        if (!nodeAt(newRoot, to) && !value.includes('.')) to = [value];
        return add(from, to, true);
      },
    });
  }
  const prefix = `${pair.next.name}.`;
  for (const [k, v] of Object.entries(hints)) {
    if (!k.startsWith(prefix)) continue;
    const to = k.slice(prefix.length).split('.');
    const raw = v.split('.');
    entries.push({
      depth: to.length,
      explicit: false,
      run: () => {
        if (nodeAt(oldRoot, to)) return true; // stale: the field already lives at its new path
        let from = raw;
        const name = raw[raw.length - 1] as string;
        if (!nodeAt(oldRoot, raw) && sameParent(raw, to)) {
          // a sibling hint under a renamed parent names the parent by its new name
          from = [...translate(backward, to.slice(0, -1)), name];
          // a plain name that is no old sibling but an old top-level field that left the root: a plunge
          if (!nodeAt(oldRoot, from) && nodeAt(oldRoot, [name]) && !nodeAt(newRoot, [name])) from = [name];
        }
        return add(from, to, false);
      },
    });
  }
  entries.sort((a, b) => Number(b.explicit) - Number(a.explicit) || a.depth - b.depth);
  let pending = entries;
  while (pending.length > 0) {
    const left = pending.filter((entry) => !entry.run());
    if (left.length === pending.length) break;
    pending = left;
  }
  return moves.map(({ from, to }) => ({ from, to }));
}
