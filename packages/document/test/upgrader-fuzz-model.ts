// Random model histories for the differential fuzz test (upgrader-fuzz-differential.test.ts): a random
// first shape (nested objects, arrays of objects; with FUZZ_INHERITED=1 member names plain objects
// inherit), then random steps of adds, drops, renames within an object, moves into new objects and out
// of them, type changes, optional/nullable changes and enum removals, several in one step.
import { defineModel, type Row, type Transforms } from '@evolve/core';
import fc from 'fast-check';
import { z } from 'zod';
import type { SCHEMAS } from './upgrader-history.ts';

/** A field of a random model (`obj`: a nested object, `arr`: an array of objects). */
export type Spec =
  | {
      kind: 'string' | 'int' | 'float' | 'bool' | 'strarr';
      optional?: boolean;
      nullable?: boolean;
      def?: unknown;
    }
  | { kind: 'enum'; values: string[]; optional?: boolean; nullable?: boolean; def?: unknown }
  | { kind: 'obj' | 'arr'; fields: Fields; optional?: boolean; nullable?: boolean; def?: unknown };
export type Fields = Record<string, Spec>;

/**
 * Field names: plain ones, and with `FUZZ_INHERITED=1` ones every plain object inherits. A member so
 * named that is absent is absent: upgrades, downgrades and validation read members own-only (a plain
 * read would find the inherited function).
 */
export const NAMES = [
  'a',
  'b',
  'c',
  'd',
  'city',
  '_x',
  ...(process.env.FUZZ_INHERITED ? ['constructor', 'toString', 'valueOf', 'hasOwnProperty'] : []),
];

/** Names stored documents may carry beyond their schema (data, never a prototype). */
export const EXTRA_NAMES = ['constructor', 'toString', '__proto__', 'zz', '0', '12'];

function toZod(spec: Spec): z.ZodType {
  let t: z.ZodType;
  switch (spec.kind) {
    case 'string':
      t = z.string();
      break;
    case 'int':
      t = z.number().int();
      break;
    case 'float':
      t = z.number();
      break;
    case 'bool':
      t = z.boolean();
      break;
    case 'strarr':
      t = z.array(z.string());
      break;
    case 'enum':
      t = z.enum(spec.values as [string, ...string[]]);
      break;
    case 'obj':
      t = shapeOf(spec.fields);
      break;
    case 'arr':
      t = z.array(shapeOf(spec.fields));
      break;
  }
  if (spec.nullable) t = t.nullable();
  if (spec.def !== undefined) t = t.default(spec.def as never);
  if (spec.optional) t = t.optional();
  return t;
}

function shapeOf(fields: Fields): z.ZodObject {
  const shape: z.ZodRawShape = {};
  for (const [k, f] of Object.entries(fields))
    Object.defineProperty(shape, k, {
      value: toZod(f),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return z.object(shape);
}

/** Deterministic random choices from a seed (a history is a seed: fast-check shrinks the seed). */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const SCALARS = ['string', 'int', 'float', 'bool', 'strarr', 'enum'] as const;

function randomScalar(r: Rng): Spec {
  const kind = r.pick(SCALARS);
  if (kind === 'enum') return { kind, values: ['p', 'q', 'r'] };
  return { kind };
}

function randomFields(r: Rng, depth: number, count: number): Fields {
  const out: Fields = {};
  for (let i = 0; i < count; i++) {
    const name = r.pick(NAMES);
    if (Object.hasOwn(out, name)) continue;
    let spec: Spec;
    if (depth < 2 && r.chance(0.3))
      spec = { kind: r.chance(0.5) ? 'obj' : 'arr', fields: randomFields(r, depth + 1, 1 + r.int(3)) };
    else spec = randomScalar(r);
    if (r.chance(0.2)) spec.optional = true;
    if (r.chance(0.2)) spec.nullable = true;
    out[name] = spec;
  }
  return out;
}

const clone = <T>(v: T): T => structuredClone(v);

/** Every object a path can name: [] the root, ['x'] a nested object, ['x', '[]'] array elements. */
function containers(fields: Fields, at: string[] = []): string[][] {
  const out = [at];
  for (const [k, f] of Object.entries(fields)) {
    if (f.kind === 'obj') out.push(...containers(f.fields, [...at, k]));
    if (f.kind === 'arr') out.push(...containers(f.fields, [...at, k, '[]']));
  }
  return out;
}

function fieldsAt(fields: Fields, path: readonly string[]): Fields {
  let node = fields;
  for (let i = 0; i < path.length; i++) {
    const f = node[path[i] as string] as Spec & { fields: Fields };
    node = f.fields;
    if (path[i + 1] === '[]') i++;
  }
  return node;
}

const dotted = (path: readonly string[]) => path.join('.');
/** A value of a scalar spec, for defaults. */
function defaultOf(spec: Spec): unknown {
  switch (spec.kind) {
    case 'string':
      return 'dflt';
    case 'int':
      return 3;
    case 'float':
      return 1.5;
    case 'bool':
      return true;
    case 'strarr':
      return ['x'];
    case 'enum':
      return spec.values[0];
    default:
      return undefined;
  }
}

export interface RandomHistory {
  schemas: typeof SCHEMAS;
  /** What each step did (for reading a failure). */
  log: string[];
}

/** A random history of `steps + 1` versions of the model `M`. */
export function randomHistory(seed: number, steps: number): RandomHistory {
  const r = rng(seed);
  const model = (fields: Fields) => defineModel('M', { target: 'document', shape: shapeOf(fields).shape });
  let fields = randomFields(r, 0, 2 + r.int(5));
  const schemas: typeof SCHEMAS = [{ models: [model(fields)] }];
  const log: string[] = [`v1 ${JSON.stringify(fields)}`];
  for (let s = 0; s < steps; s++) {
    const next = clone(fields);
    const renames: Record<string, string> = {};
    const drops: string[] = [];
    const transforms: Record<string, (old: Row) => unknown> = {};
    // paths already changed in this step (a path is changed once per step)
    const used = new Set<string>();
    const edits = 1 + r.int(3);
    for (let e = 0; e < edits; e++) {
      const where = r.pick(containers(next));
      const node = fieldsAt(next, where);
      const names = Object.keys(node).filter((k) => !used.has(dotted([...where, k])));
      const kind = r.int(8);
      if (kind === 0 || names.length === 0) {
        // add a member: with a default, optional, or required from a transform
        const name = r.pick(NAMES);
        if (Object.hasOwn(node, name)) continue;
        const spec = r.chance(0.2)
          ? ({ kind: 'obj', fields: randomFields(r, 2, 2) } as Spec)
          : randomScalar(r);
        const how = r.int(3);
        if (how === 0 && spec.kind !== 'obj') spec.def = defaultOf(spec);
        else if (how === 1) spec.optional = true;
        else if (spec.kind !== 'obj') transforms[dotted([...where, name])] = () => defaultOf(spec);
        node[name] = spec;
        used.add(dotted([...where, name]));
        log.push(`v${s + 2} add ${dotted([...where, name])} ${JSON.stringify(spec)}`);
        continue;
      }
      const name = r.pick(names);
      const spec = node[name] as Spec;
      const path = [...where, name];
      if (kind === 1) {
        if (where.length === 0 && Object.keys(node).length < 2) continue;
        delete node[name];
        drops.push(`M.${dotted(path)}`);
        used.add(dotted(path));
        log.push(`v${s + 2} drop ${dotted(path)}`);
      } else if (kind === 2) {
        // rename within the same object
        const to = r.pick(NAMES);
        if (Object.hasOwn(node, to)) continue;
        delete node[name];
        node[to] = spec;
        renames[`M.${dotted(path)}`] = dotted([...where, to]);
        used.add(dotted(path));
        used.add(dotted([...where, to]));
        log.push(`v${s + 2} rename ${dotted(path)} -> ${to}`);
      } else if (kind === 3 && !where.includes('[]')) {
        // plunge into a new object (optional or not), or move up to the root
        if (where.length > 0 && r.chance(0.5)) {
          if (Object.hasOwn(next, name)) continue;
          delete node[name];
          next[name] = spec;
          renames[`M.${dotted(path)}`] = name;
          used.add(dotted([name]));
          log.push(`v${s + 2} move up ${dotted(path)} -> ${name}`);
        } else {
          const holder = r.pick(NAMES);
          if (Object.hasOwn(node, holder) || holder === name) continue;
          delete node[name];
          node[holder] = {
            kind: 'obj',
            fields: { [name]: spec },
            ...(r.chance(0.5) ? { optional: true } : {}),
          } as Spec;
          renames[`M.${dotted(path)}`] = dotted([...where, holder, name]);
          used.add(dotted([...where, holder]));
          used.add(dotted([...where, holder, name]));
          log.push(`v${s + 2} plunge ${dotted(path)} -> ${dotted([...where, holder, name])}`);
        }
        used.add(dotted(path));
      } else if (kind === 4) {
        // a type change
        const to: Spec['kind'] =
          spec.kind === 'int'
            ? r.pick(['float', 'string'] as const)
            : spec.kind === 'float'
              ? 'string'
              : spec.kind === 'string'
                ? r.pick(['strarr', 'int'] as const)
                : spec.kind === 'bool'
                  ? 'string'
                  : spec.kind === 'enum'
                    ? 'string'
                    : spec.kind;
        if (to === spec.kind) continue;
        const keep = { optional: spec.optional, nullable: spec.nullable };
        node[name] = {
          kind: to,
          ...(keep.optional ? { optional: true } : {}),
          ...(keep.nullable ? { nullable: true } : {}),
        } as Spec;
        if (to === 'int') transforms[dotted(path)] = () => 1;
        used.add(dotted(path));
        log.push(`v${s + 2} type ${dotted(path)} ${spec.kind} -> ${to}`);
      } else if (kind === 5) {
        // relax or tighten optional / nullable
        const flip = r.chance(0.5) ? 'optional' : 'nullable';
        const copy = { ...spec } as Spec;
        if (copy[flip]) delete copy[flip];
        else copy[flip] = true;
        if (!copy.optional && spec.optional && copy.kind !== 'obj' && copy.kind !== 'arr' && r.chance(0.5))
          copy.def = defaultOf(copy);
        node[name] = copy;
        used.add(dotted(path));
        log.push(`v${s + 2} ${flip} ${dotted(path)} -> ${String(copy[flip] ?? false)}`);
      } else if (kind === 6 && spec.kind === 'enum' && spec.values.length > 1) {
        const gone = spec.values[spec.values.length - 1] as string;
        node[name] = { ...spec, values: spec.values.slice(0, -1) } as Spec;
        // called for removed values only (its argument is the document, or the array element, not the value)
        if (r.chance(0.7)) transforms[dotted(path)] = () => spec.values[0];
        used.add(dotted(path));
        log.push(`v${s + 2} enum ${dotted(path)} drops ${gone}`);
      } else if (kind === 7 && spec.kind !== 'obj' && spec.kind !== 'arr' && !spec.optional) {
        // a default appears or goes
        const copy = { ...spec } as Spec;
        if (copy.def !== undefined) delete copy.def;
        else copy.def = defaultOf(copy);
        node[name] = copy;
        used.add(dotted(path));
        log.push(`v${s + 2} default ${dotted(path)} ${JSON.stringify(copy.def)}`);
      }
    }
    fields = next;
    schemas.push({
      models: [model(fields)],
      ...(Object.keys(renames).length > 0 ? { renames } : {}),
      ...(drops.length > 0 ? { drops } : {}),
      ...(Object.keys(transforms).length > 0 ? { transforms: { M: transforms } as Transforms } : {}),
    });
  }
  return { schemas, log };
}

export const seedArb = fc.integer({ min: 1, max: 2 ** 31 - 1 });
