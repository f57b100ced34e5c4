import { type FieldSnapshot, type Row, setOwn } from '@evolve/core';
import { isRecord } from './doc-ops/edit-path.ts';
import { isInheritedName } from './doc-ops/own.ts';

/**
 * Per object of a shape: its member names every plain object inherits, and the nested objects (or arrays
 * of objects, `true`) that have some at any depth.
 */
interface Walk {
  inherited: string[];
  nested: Array<[string, Walk, boolean]>;
}

function walkOf(fields: Record<string, FieldSnapshot>): Walk | undefined {
  const inherited = Object.keys(fields).filter(isInheritedName);
  const nested: Walk['nested'] = [];
  for (const [name, field] of Object.entries(fields)) {
    const array = field.type.kind === 'array';
    const type = field.type.kind === 'array' ? field.type.element.type : field.type;
    if (type.kind !== 'object') continue;
    const inner = walkOf(type.fields);
    if (inner) nested.push([name, inner, array]);
  }
  return inherited.length > 0 || nested.length > 0 ? { inherited, nested } : undefined;
}

function shadow(value: unknown, walk: Walk): unknown {
  if (!isRecord(value)) return value;
  const out: Row = Object.create(Object.getPrototypeOf(value));
  for (const key of Object.keys(value)) setOwn(out, key, value[key]);
  for (const name of walk.inherited) if (!Object.hasOwn(out, name)) setOwn<unknown>(out, name, undefined);
  for (const [name, inner, array] of walk.nested) {
    if (!Object.hasOwn(out, name)) continue;
    const v = out[name];
    out[name] = array && Array.isArray(v) ? v.map((el) => shadow(el, inner)) : array ? v : shadow(v, inner);
  }
  return out;
}

/**
 * For a shape with members named like ones every plain object inherits (`constructor`, `toString`...), a
 * function giving a copy of a document where each object of the shape declares such members it lacks as
 * own `undefined` members (prototypes kept): what a zod schema needs to see them absent, as its plain
 * reads would otherwise find the inherited functions. `undefined` for a shape without such names.
 *
 * @example
 * const declare = shadowInherited({ constructor: { type: { kind: 'string' as const }, nullable: false, optional: true } });
 * declare?.({}); // { constructor: undefined }
 */
export function shadowInherited(
  fields: Record<string, FieldSnapshot>,
): ((doc: unknown) => unknown) | undefined {
  const walk = walkOf(fields);
  return walk && ((doc) => shadow(doc, walk));
}
