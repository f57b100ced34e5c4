import { EvolveError } from './errors.ts';
import { childrenOf, type FieldRecord, nodeAt } from './field-tree.ts';
import type { ModelSnapshot, Snapshot } from './snapshot-types.ts';

/**
 * Refuses `renames` and `drops` entries that name nothing: a rename's old name must exist in `prev` and
 * its new name in `next`, a drop must name an old model or field. A typo would otherwise be ignored and
 * the diff would quietly read a rename as a drop and an add (or ask again). INVALID_CONFIG naming the entry.
 */
export function checkDiffNames(
  prev: Snapshot,
  next: Snapshot,
  renames: Readonly<Record<string, string>>,
  drops: readonly string[],
): void {
  const has = (models: Snapshot['models'], name: string) => Object.hasOwn(models, name);
  const newToOld = new Map<string, string>(Object.entries(next.hints?.models ?? {}));
  const oldToNew = new Map<string, string>([...newToOld].map(([n, o]) => [o, n]));
  for (const [from, to] of Object.entries(renames)) {
    if (!from.includes('.') && has(prev.models, from)) {
      newToOld.set(to, from);
      oldToNew.set(from, to);
    }
  }
  const oldModel = (name: string): ModelSnapshot | undefined =>
    prev.models[has(prev.models, name) ? name : (newToOld.get(name) ?? '')];
  const newModel = (name: string): ModelSnapshot | undefined =>
    next.models[has(next.models, name) ? name : (oldToNew.get(name) ?? '')];
  const refuse = (option: string, entry: string, why: string): never => {
    throw new EvolveError('INVALID_CONFIG', `${option} entry '${entry}' ${why}`, {
      path: `${option}.${entry}`,
    });
  };

  for (const [from, to] of Object.entries(renames)) {
    const [model = '', ...path] = from.split('.');
    if (path.length === 0) {
      if (!has(prev.models, model)) refuse('renames', from, `names no model of the previous schema`);
      if (!has(next.models, to)) refuse('renames', from, `renames to '${to}', a model the new schema lacks`);
      continue;
    }
    const old = oldModel(model);
    if (!old) refuse('renames', from, `names no model of the previous schema (${model})`);
    else if (!nodeAt(old.fields, path)) refuse('renames', from, `names no field of ${old.name}`);
    const target = newModel(model);
    const found =
      target && (to.includes('.') ? nodeAt(target.fields, to.split('.')) : anyNamed(target.fields, to));
    if (!found) refuse('renames', from, `renames to '${to}', a field the new ${target?.name ?? model} lacks`);
  }
  for (const dropped of drops) {
    const [model = '', ...path] = dropped.split('.');
    const old = oldModel(model);
    if (!old || (path.length > 0 && !nodeAt(old.fields, path))) {
      refuse('drops', dropped, 'names no model or field of the previous schema');
    }
  }
}

/** Whether a field called `name` exists at any depth of `fields` (a plain rename target is a sibling). */
function anyNamed(fields: FieldRecord, name: string): boolean {
  for (const [key, field] of Object.entries(fields)) {
    if (key === name) return true;
    let node = field;
    while (node.type.kind === 'array') node = node.type.element;
    const children = childrenOf(node);
    if (children && anyNamed(children, name)) return true;
  }
  return false;
}
