import { type Ambiguity, scopeAmbiguity } from './ambiguity.ts';
import type { FieldPath } from './change-types.ts';
import { EvolveError } from './errors.ts';
import { fieldEqual } from './field-equal.ts';
import { arrayDepth, ELEMENT, nodeAt, pathText } from './field-tree.ts';
import type { ModelPair } from './match-models.ts';
import { isRenameCandidate } from './rename-candidate.ts';
import type { FieldMove } from './resolve-field-moves.ts';
import type { FieldSnapshot } from './snapshot-types.ts';
import { sortedKeys } from './sorted-keys.ts';

/** The outcome of matching one model's fields: the moves in use, and what matched what. */
export interface FieldMatch {
  moves: FieldMove[];
  /** Old path keys that some new field takes its value from. */
  consumed: Set<string>;
  ambiguities: Ambiguity[];
}

const key = (path: readonly string[]) => path.join('.');
const rootNode = (fields: Record<string, FieldSnapshot>): FieldSnapshot => ({
  type: { kind: 'object', fields },
  nullable: false,
  optional: false,
});

/**
 * Walks the new model's fields top-down and finds where each takes its value from: a move's source,
 * else the same name under the matched parent. In every object whose old and new versions match,
 * old names nothing took and new names with no source are an ambiguity unless `drops` answers them.
 */
export function matchFields(
  pair: ModelPair,
  moves: readonly FieldMove[],
  drops: ReadonlySet<string>,
): FieldMatch {
  const byTarget = new Map(moves.map((m) => [key(m.to), m]));
  const bySource = new Set(moves.map((m) => key(m.from)));
  const used: FieldMove[] = [];
  const consumed = new Set<string>();
  const sources = new Map<string, string>();
  const scopes: Array<{
    src: FieldPath;
    path: FieldPath;
    fields: Record<string, FieldSnapshot>;
    next: Record<string, FieldSnapshot>;
    appeared: string[];
  }> = [];
  const noMoves = moves.length === 0;

  /** `old` is the old node at `src` (the node this one takes its value from), if any. */
  const walk = (path: FieldPath, node: FieldSnapshot, src: FieldPath | null, old?: FieldSnapshot): void => {
    if (src) {
      const srcKey = key(src);
      consumed.add(srcKey);
      if (!noMoves) sources.set(key(path), srcKey);
      // without moves nothing can vanish or appear inside an unchanged subtree
      if (noMoves && old && path.length > 0 && fieldEqual(old, node)) return;
    }
    if (node.type.kind === 'object') {
      const oldFields = old && old.type.kind === 'object' ? old.type.fields : undefined;
      const appeared: string[] = [];
      if (src && oldFields) scopes.push({ src, path, fields: oldFields, next: node.type.fields, appeared });
      const prefix = src && src.length > 0 ? `${key(src)}.` : '';
      for (const name of sortedKeys(node.type.fields)) {
        if (noMoves && src && oldFields && Object.hasOwn(oldFields, name)) {
          const oldChild = oldFields[name] as FieldSnapshot;
          if (fieldEqual(oldChild, node.type.fields[name] as FieldSnapshot)) {
            // what `walk` would do for this unchanged child, without building its paths
            consumed.add(prefix + name);
            continue;
          }
        }
        const child = [...path, name];
        const move = noMoves ? undefined : byTarget.get(key(child));
        let from: FieldPath | null = null;
        let oldChild: FieldSnapshot | undefined;
        if (move) {
          from = move.from;
          oldChild = nodeAt(pair.old.fields, from);
          used.push(move);
        } else if (
          src &&
          oldFields &&
          Object.hasOwn(oldFields, name) &&
          (noMoves || !bySource.has(key([...src, name])))
        ) {
          from = [...src, name];
          oldChild = oldFields[name];
        }
        if (!from && oldFields) appeared.push(name);
        walk(child, node.type.fields[name] as FieldSnapshot, from, oldChild);
      }
    } else if (node.type.kind === 'array') {
      const element = src && old?.type.kind === 'array' ? old.type.element : undefined;
      walk([...path, ELEMENT], node.type.element, element && src ? [...src, ELEMENT] : null, element);
    }
  };
  walk([], rootNode(pair.next.fields), [], rootNode(pair.old.fields));

  for (const move of used) {
    const depth = arrayDepth(move.from);
    const crosses =
      depth !== arrayDepth(move.to) ||
      (depth > 0 &&
        sources.get(key(move.to.slice(0, move.to.lastIndexOf(ELEMENT) + 1))) !==
          key(move.from.slice(0, move.from.lastIndexOf(ELEMENT) + 1)));
    if (crosses) {
      throw new EvolveError(
        'UNSUPPORTED_CHANGE',
        `${pathText(move.from, pair.old.name)} cannot move to ${pathText(move.to, pair.next.name)}: ` +
          'a field can move in and out of objects, but not into or out of an array element',
        { path: pathText(move.to, pair.next.name) },
      );
    }
  }

  const ambiguities: Ambiguity[] = [];
  for (const scope of scopes) {
    const prefix = scope.src.length > 0 ? `${key(scope.src)}.` : '';
    const vanished = Object.keys(scope.fields)
      .filter((name) => !consumed.has(prefix + name))
      .sort()
      .map((name) => ({
        name: pathText([...scope.src, name], pair.old.name),
        of: (scope.fields[name] as FieldSnapshot).type,
      }))
      .filter(
        ({ name: p }) => !drops.has(p) && !drops.has(`${pair.next.name}${p.slice(pair.old.name.length)}`),
      );
    const appeared = scope.appeared.map((name) => ({
      name: pathText([...scope.path, name], pair.next.name),
      of: (scope.next[name] as FieldSnapshot).type,
    }));
    const ambiguity = scopeAmbiguity(
      pathText(scope.path, pair.next.name),
      vanished,
      appeared,
      isRenameCandidate,
    );
    if (ambiguity) ambiguities.push(ambiguity);
  }
  return { moves: used, consumed, ambiguities };
}
