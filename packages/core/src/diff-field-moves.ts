import type { FieldPath } from './change-types.ts';
import type { UnclassifiedChange } from './classify-change.ts';
import { EvolveError } from './errors.ts';
import { ELEMENT, type FieldRecord, isPrefix, nodeAt, pathText } from './field-tree.ts';
import type { FieldMatch } from './match-fields.ts';
import type { FieldSnapshot, ModelSnapshot } from './snapshot-types.ts';

const key = (path: readonly string[]) => path.join('.');

/** Rewrites the longest prefix of `path` found in `map`. */
function translate(map: ReadonlyMap<string, FieldPath>, path: FieldPath): FieldPath {
  for (let i = path.length; i > 0; i--) {
    const hit = map.get(key(path.slice(0, i)));
    if (hit) return [...hit, ...path.slice(i)];
  }
  return path;
}

/** A copy of `node` without the descendants that other moves bring in. */
function strip(node: FieldSnapshot, path: FieldPath, targets: ReadonlySet<string>): FieldSnapshot {
  if (node.type.kind !== 'object') return node;
  const fields: FieldRecord = {};
  for (const [name, child] of Object.entries(node.type.fields)) {
    const p = [...path, name];
    if (!targets.has(key(p))) fields[name] = strip(child, p, targets);
  }
  return { ...node, type: { kind: 'object', fields } };
}

/**
 * Emits the renames and moves of one model's fields, parents first, each `from` where the field is at
 * that moment. `emit` must apply each change to `work` (the old model being edited) before the next one
 * is planned. Two moves need an extra change first: a move into an object that does not exist yet adds
 * that object (without the moved fields), and a move onto a name still held by a vanished field drops it.
 * A move that cannot be expressed in one migration is an `UNSUPPORTED_CHANGE` naming the target path.
 */
export function diffFieldMoves(options: {
  /** The old model as the changes emitted so far left it (under its new name). */
  work: ModelSnapshot;
  next: ModelSnapshot;
  match: FieldMatch;
  emit: (change: UnclassifiedChange) => void;
}): void {
  const { work, next, match, emit } = options;
  const model = next.name;
  const unsupported = (path: FieldPath, why: string): never => {
    throw new EvolveError(
      'UNSUPPORTED_CHANGE',
      `${pathText(path, model)}: ${why}; split the change into two migrations`,
      {
        path: pathText(path, model),
      },
    );
  };
  const moves = [...match.moves].sort(
    (a, b) => a.to.length - b.to.length || key(a.to).localeCompare(key(b.to)),
  );
  const targets = new Set(moves.map((m) => key(m.to)));
  const movedFrom = new Map<string, FieldPath>();
  const movedTo = new Map<string, FieldPath>();
  const pending = new Set(moves.map((m) => key(m.from)));
  for (const move of moves) {
    const parent = move.to.slice(0, -1);
    for (let i = 1; i <= parent.length; i++) {
      const p = parent.slice(0, i);
      const node = nodeAt(work.fields, p);
      if (node) continue;
      const wanted = nodeAt(next.fields, p) as FieldSnapshot;
      if (p[i - 1] === ELEMENT || wanted.type.kind !== 'object')
        unsupported(move.to, 'cannot move a field there');
      emit({ kind: 'addField', model, path: p, field: strip(wanted, p, targets) });
      break;
    }
    const holder = parent.length === 0 ? undefined : nodeAt(work.fields, parent);
    if (holder && holder.type.kind !== 'object') unsupported(move.to, 'the new parent is not an object yet');
    const occupant = nodeAt(work.fields, move.to);
    if (occupant) {
      const origin = translate(movedTo, move.to);
      const busy = [...pending].some((f) => isPrefix(origin, f.split('.')));
      if (match.consumed.has(key(origin)) || busy) unsupported(move.to, 'the name is still in use');
      emit({ kind: 'dropField', model, path: move.to, previous: occupant });
    }
    const from = translate(movedFrom, move.from);
    emit({
      kind: 'renameField',
      model,
      path: move.to,
      from,
      field: nodeAt(work.fields, from) as FieldSnapshot,
    });
    movedFrom.set(key(move.from), move.to);
    movedTo.set(key(move.to), move.from);
    pending.delete(key(move.from));
  }
}
