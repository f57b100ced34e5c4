import { applyChange } from './apply-change.ts';
import type { Change, FieldPath } from './change-types.ts';
import { classifyOwn, type UnclassifiedChange } from './classify-change.ts';
import { cloneData, deepEqual } from './deep-equal.ts';
import { EvolveError } from './errors.ts';
import { fieldEqual } from './field-equal.ts';
import { fieldOrderOf } from './field-order.ts';
import { ELEMENT, type FieldRecord, isPrefix, nodeAt, pathText } from './field-tree.ts';
import type { FieldMatch } from './match-fields.ts';
import type { ModelPair } from './match-models.ts';
import type { FieldSnapshot, ModelSnapshot, TypeSnapshot } from './snapshot-types.ts';
import { sortedInPlace } from './sorted-keys.ts';

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

export interface FieldDiff {
  changes: Change[];
  /** The primary key after the field renames (renaming a top-level field renames it in the key). */
  primaryKey: string[];
}

/**
 * The field changes of one matched model, in contract order: renames (parents first, each `from`
 * where the field is at that moment), then drops, then adds, then per-field changes in path order.
 * It edits a working copy of the old model as it goes, so every change fits the state it applies to.
 * Two moves need an extra change first: a move into an object that does not exist yet adds that
 * object (without the moved fields), and a move onto a name still held by a vanished field drops it.
 */
export function diffFields(pair: ModelPair, match: FieldMatch): FieldDiff {
  const model = pair.next.name;
  const target = pair.next.target;
  // the working copy is edited only by the moves; without any, the old model is read as is
  const work: ModelSnapshot = { ...(match.moves.length > 0 ? cloneData(pair.old) : pair.old), name: model };
  const models = { [model]: work };
  const out: Change[] = [];
  const emit = (change: UnclassifiedChange) => {
    const c = classifyOwn(change, target);
    applyChange(models, c);
    out.push(c);
  };
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
      const wanted = nodeAt(pair.next.fields, p) as FieldSnapshot;
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

  const drops: UnclassifiedChange[] = [];
  const adds: UnclassifiedChange[] = [];
  const others: UnclassifiedChange[] = [];
  const compareRecords = (a: FieldRecord, b: FieldRecord, path: FieldPath) => {
    const names = Object.keys(a);
    for (const name of Object.keys(b)) if (!Object.hasOwn(a, name)) names.push(name);
    sortedInPlace(names);
    for (const name of names) {
      const x = Object.hasOwn(a, name) ? a[name] : undefined;
      const y = Object.hasOwn(b, name) ? b[name] : undefined;
      if (x && y) {
        if (!fieldEqual(x, y)) compareNodes(x, y, [...path, name]);
      } else if (x) drops.push({ kind: 'dropField', model, path: [...path, name], previous: x });
      else if (y) adds.push({ kind: 'addField', model, path: [...path, name], field: y });
    }
  };
  const compareNodes = (x: FieldSnapshot, y: FieldSnapshot, path: FieldPath) => {
    if (fieldEqual(x, y)) return;
    const container = x.type.kind === y.type.kind && (x.type.kind === 'object' || x.type.kind === 'array');
    if (!container && !deepEqual(x.type, y.type)) others.push(...typeChanges(x.type, y.type, path));
    if (x.nullable !== y.nullable)
      others.push({ kind: 'changeNullable', model, path, from: x.nullable, to: y.nullable });
    if (x.optional !== y.optional)
      others.push({ kind: 'changeOptional', model, path, from: x.optional, to: y.optional });
    if (!deepEqual(x.default, y.default)) {
      const change: UnclassifiedChange = { kind: 'changeDefault', model, path };
      if (x.default) change.from = x.default;
      if (y.default) change.to = y.default;
      others.push(change);
    }
    if (x.column !== y.column || x.sqlType !== y.sqlType) {
      others.push({ kind: 'changeColumn', model, path, from: columnOf(x), to: columnOf(y) });
    }
    if (x.generated !== y.generated) {
      const change: UnclassifiedChange = { kind: 'changeGenerated', model, path };
      if (x.generated) change.from = x.generated;
      if (y.generated) change.to = y.generated;
      others.push(change);
    }
    if (x.type.kind === 'object' && y.type.kind === 'object')
      compareRecords(x.type.fields, y.type.fields, path);
    if (x.type.kind === 'array' && y.type.kind === 'array') {
      compareNodes(x.type.element, y.type.element, [...path, ELEMENT]);
    }
  };
  const typeChanges = (from: TypeSnapshot, to: TypeSnapshot, path: FieldPath): UnclassifiedChange[] => {
    if (from.kind === 'enum' && to.kind === 'enum') {
      const kept = from.values.filter((v) => to.values.includes(v));
      if (
        deepEqual(
          kept,
          to.values.filter((v) => from.values.includes(v)),
        )
      ) {
        const added = to.values.filter((v) => !from.values.includes(v));
        const removed = from.values.filter((v) => !to.values.includes(v));
        const middle = [...to.values, ...removed];
        const result: UnclassifiedChange[] = [];
        if (added.length > 0) {
          result.push({
            kind: 'addEnumValues',
            model,
            path,
            values: added,
            before: from.values,
            after: middle,
          });
        }
        if (removed.length > 0) {
          const before = added.length > 0 ? middle : from.values;
          result.push({ kind: 'removeEnumValues', model, path, values: removed, before, after: to.values });
        }
        return result;
      }
    }
    return [{ kind: 'changeType', model, path, from, to }];
  };
  compareRecords(work.fields, pair.next.fields, []);
  // new columns are appended in declaration order (a stable sort keeps nested additions in path order)
  if (adds.length > 1) {
    const position = new Map(fieldOrderOf(pair.next).map((name, i) => [name, i]));
    const rank = (c: UnclassifiedChange) => position.get(c.path[0] as string) ?? -1;
    adds.sort((a, b) => rank(a) - rank(b));
  }
  for (const change of [...drops, ...adds, ...others]) out.push(classifyOwn(change, target));
  return { changes: out, primaryKey: work.primaryKey };
}

const columnOf = (f: FieldSnapshot) => {
  const out: { column?: string; sqlType?: string } = {};
  if (f.column !== undefined) out.column = f.column;
  if (f.sqlType !== undefined) out.sqlType = f.sqlType;
  return out;
};
