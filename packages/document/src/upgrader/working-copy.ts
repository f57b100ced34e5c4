import type { FieldSnapshot, ModelSnapshot, Row } from '@evolve/core';

/** Every member an object path ever has in a model's history, with the templates of nested objects. */
interface Template {
  keys: Row;
  nested: Array<[string, Template]>;
  /** Templates of array elements that are objects, by member name. */
  elements: Array<[string, Template]>;
}

const empty = (): Template => ({ keys: {}, nested: [], elements: [] });

function merge(template: Template, fields: Record<string, FieldSnapshot>): void {
  for (const [name, field] of Object.entries(fields)) {
    template.keys[name] = undefined;
    let type = field.type;
    let into = template.nested;
    if (type.kind === 'array') {
      type = type.element.type;
      into = template.elements;
    }
    if (type.kind !== 'object') continue;
    let child = into.find(([key]) => key === name)?.[1];
    if (!child) {
      child = empty();
      into.push([name, child]);
    }
    merge(child, type.fields);
  }
}

const isPlain = (v: unknown): v is Row =>
  typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

function copyInto(template: Template, doc: Row): Row {
  const work: Row = { ...template.keys };
  for (const key in doc) work[key] = doc[key];
  const { nested, elements } = template;
  for (let i = 0; i < nested.length; i++) {
    const [key, child] = nested[i] as [string, Template];
    const v = work[key];
    if (isPlain(v)) work[key] = copyInto(child, v);
  }
  for (let i = 0; i < elements.length; i++) {
    const [key, child] = elements[i] as [string, Template];
    const v = work[key];
    if (Array.isArray(v)) work[key] = v.map((el) => (isPlain(el) ? copyInto(child, el) : el));
  }
  return work;
}

/**
 * Builds the working-copy function of an upgrade chain: a copy of a document whose objects already
 * declare (as `undefined`, meaning absent) every member the history ever gives them. Steps then copy
 * objects and overwrite members but never add any, which keeps V8 on its fast paths; the chain's end
 * drops the `undefined` members again (`cleanWith`).
 */
export function workingCopy(shapes: Iterable<ModelSnapshot>, versionField: string): (doc: Row) => Row {
  const root = empty();
  root.keys._id = undefined;
  for (const shape of shapes) {
    for (const key of shape.primaryKey) root.keys[key] = undefined;
    merge(root, shape.fields);
  }
  root.keys[versionField] = undefined;
  return (doc) => copyInto(root, doc);
}
