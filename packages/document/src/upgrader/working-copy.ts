import { type FieldSnapshot, type ModelSnapshot, type Row, setOwn } from '@evolve/core';
import { cleanValue, cleanWith } from './doc-ops/clean.ts';
// the same test the path edits use to step into an object: whatever they may edit in place is copied
import { isRecord } from './doc-ops/edit-path.ts';
import { isInheritedName } from './doc-ops/own.ts';
import type { PathTree, TouchedPaths } from './touched-paths.ts';

/** Every member an object path ever has in a model's history, with the templates of nested objects. */
interface Template {
  keys: Row;
  nested: Array<[string, Template]>;
  /** Templates of array elements that are objects, by member name. */
  elements: Array<[string, Template]>;
  /** The members the object has at the latest version (what `finish` expects to find, and only those). */
  latest?: Set<string>;
  /** Members a transform writes, cleaned to any depth at the end (in a chain that copies what it edits). */
  deep?: Set<string>;
  /**
   * No step writes a member of this object (a chain that copies what it edits only edits inside some of
   * its members): a plain copy holds the edited copies, and `finish` puts the clean ones back in place.
   */
  holder?: boolean;
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

function copyInto(template: Template, doc: Row): Row {
  const work: Row = { ...template.keys };
  for (const key in doc) {
    // a stored member named `__proto__` is data: assigned, it would replace the copy's prototype
    if (key === '__proto__') setOwn(work, key, doc[key]);
    else work[key] = doc[key];
  }
  const { nested, elements } = template;
  for (let i = 0; i < nested.length; i++) {
    const [key, child] = nested[i] as [string, Template];
    const v = work[key];
    if (isRecord(v)) work[key] = copyInto(child, v);
  }
  for (let i = 0; i < elements.length; i++) {
    const [key, child] = elements[i] as [string, Template];
    const v = work[key];
    if (Array.isArray(v)) work[key] = v.map((el) => (isRecord(el) ? copyInto(child, el) : el));
  }
  return work;
}

/** The two ends of an upgrade chain: the working copy it edits, and the clean stamped result. */
export interface WorkingCopy {
  prepare(doc: Row): Row;
  finish(work: Row, version: number): Row;
}

const key = (k: string) => JSON.stringify(k);

/**
 * The fast path of a generated `finish` (the start of its body): when the object holds exactly the
 * members it has at the latest version, all present, and nothing else, the clean copy is one object
 * literal (allocated at its final size) instead of members added one by one to an empty object; a
 * nested object that is already clean (no absent members declared, every member clean as it is) is
 * kept as it is, as `cleanValue` keeps a clean value. The result is the same as the general path's:
 * the same members, in the same order.
 */
function fastFinish(
  t: Template,
  members: readonly string[],
  versionField: string | undefined,
  cleanCode: (k: string, x: string) => string,
): string {
  const { latest } = t;
  if (!latest || members.length === 0) return '';
  const reads = members.map((k, i) => `x${i} = w[${key(k)}]`);
  const present = members.flatMap((k, i) => (latest.has(k) ? [`x${i} !== undefined`] : []));
  const absent = members.flatMap((k, i) => (latest.has(k) ? [] : [`x${i} === undefined`]));
  const maybe = [...members.filter((k) => !latest.has(k)), ...(versionField ? [versionField] : [])];
  const count = [String(present.length), ...maybe.map((k) => `(${key(k)} in w ? 1 : 0)`)].join(' + ');
  // the clean value of each member (`y`), where cleaning may give another value than the member's own
  const kept = members.flatMap((k, i) => (latest.has(k) ? [{ k, i, clean: cleanCode(k, `x${i}`) }] : []));
  const cleaned = kept.filter((m) => m.clean !== `x${m.i}`);
  const value = (m: (typeof kept)[number]) => (m.clean === `x${m.i}` ? m.clean : `y${m.i}`);
  const literal = [
    ...kept.map((m) => `${key(m.k)}: ${value(m)}`),
    ...(versionField ? [`${key(versionField)}: version`] : []),
  ];
  const same = [`all === ${present.length}`, ...cleaned.map((m) => `y${m.i} === x${m.i}`)].join(' && ');
  return (
    `const ${reads.join(', ')}; ` +
    `if (${[...present, ...absent].join(' && ') || 'true'}) { let all = 0; for (const k in w) all++; ` +
    `if (all === ${count}) { ${cleaned.map((m) => `const y${m.i} = ${m.clean}; `).join('')}` +
    `${versionField ? '' : `if (${same}) return w; `}return { ${literal.join(', ')} }; } } `
  );
}

/** Whether a template uses a member name that plain objects inherit (`constructor`, `__proto__`...). */
function inherits(t: Template): boolean {
  return (
    Object.keys(t.keys).some(isInheritedName) ||
    t.nested.some(([, c]) => inherits(c)) ||
    t.elements.some(([, c]) => inherits(c))
  );
}

/**
 * Generates `prepare` and `finish` with static member reads and object literals, one pair of functions
 * per template (root, nested objects, array elements); `undefined` where code generation is refused, or
 * where a member name is one plain objects inherit (the generic copies handle those).
 */
function compileWorkingCopy(root: Template, versionField: string, shallow = false): WorkingCopy | undefined {
  if (inherits(root)) return undefined;
  const functions: string[] = [];
  const constants: unknown[] = [];
  let count = 0;
  const gen = (t: Template, isRoot: boolean): number => {
    const n = count++;
    const nested = new Map(t.nested.map(([k, child]) => [k, gen(child, false)]));
    const elements = new Map(t.elements.map(([k, child]) => [k, gen(child, false)]));
    const keys = Object.keys(t.keys);
    const known = `C[${constants.push(Object.assign(Object.create(null), t.keys)) - 1}]`;
    const copies = [
      ...[...nested].map(([k, c]) => `x = w[${key(k)}]; if (P(x)) w[${key(k)}] = p${c}(x);`),
      ...[...elements].map(
        ([k, c]) => `x = w[${key(k)}]; if (Array.isArray(x)) w[${key(k)}] = x.map(pe${c});`,
      ),
    ];
    // the same result as `cleanValue` for the member `k` held in `x`, with the known members read
    // statically (`shallow`: members outside the template's trees are the input's own, untouched, and
    // kept as they are)
    const cleanCode = (k: string, x: string) => {
      const c = nested.get(k);
      const e = elements.get(k);
      const other =
        shallow && !t.deep?.has(k) ? x : `typeof ${x} === "object" && ${x} !== null ? R(${x}) : ${x}`;
      let value = c === undefined ? other : `Q(${x}) ? c${c}(${x}) : ${other}`;
      if (e !== undefined) value = `Array.isArray(${x}) ? ${x}.map(ce${e}) : ${value}`;
      return value;
    };
    const members = keys.filter((k) => !isRoot || k !== versionField);
    const cleans = members.map(
      (k) => `x = w[${key(k)}]; if (x !== undefined) o[${key(k)}] = ${cleanCode(k, 'x')};`,
    );
    // members outside the template are rare: count members first, look them up one by one only when the
    // count says there are some (keyed lookups of many different names are slow in V8)
    const reads = keys.map((k) => `x = d[${key(k)}]; if (x !== undefined) n++; w[${key(k)}] = x;`);
    const present = keys.map((k) => `(${key(k)} in w ? 1 : 0)`).join(' + ') || '0';
    // a literal holds every member in the object itself, and members outside the template are added to
    // it on V8's fast path (added to a spread copy, each one costs a new hidden class: many times slower)
    const literal = `{ ${keys.map((k) => `${key(k)}: undefined`).join(', ')} }`;
    if (t.holder) {
      // nothing adds a member here, so a plain copy does (and finish may edit it: it is the chain's own)
      const puts = [
        ...[...nested].map(([k, c]) => `x = w[${key(k)}]; if (Q(x)) w[${key(k)}] = c${c}(x);`),
        ...[...elements].map(
          ([k, c]) => `x = w[${key(k)}]; if (Array.isArray(x)) w[${key(k)}] = x.map(ce${c});`,
        ),
      ];
      const stamp = isRoot
        ? `if (w[${key(versionField)}] !== undefined || H(w, ${key(versionField)})) w[${key(versionField)}] = version; else w = W(w, ${key(versionField)}, version); `
        : '';
      // the common case, every member of the template present and nothing else: an object literal, in
      // the template's order (as the interpreter's copy), copied several times faster than by a spread
      const held = keys.map((k, i) => `y${i} = d[${key(k)}]`);
      const literalCopy =
        keys.length === 0
          ? ''
          : `const ${held.join(', ')}; if (${keys.map((_, i) => `y${i} !== undefined`).join(' && ')}) { ` +
            `let all = 0; for (const k in d) all++; if (all === ${keys.length}) w = { ${keys.map((k, i) => `${key(k)}: y${i}`).join(', ')} }; } `;
      functions.push(
        `function p${n}(d) { let w; ${literalCopy}if (w === undefined) w = { ...d }; let x; ${copies.join(' ')} return w; }`,
        `function pe${n}(e) { return P(e) ? p${n}(e) : e; }`,
        `function c${n}(w${isRoot ? ', version' : ''}) { let x; ${puts.join(' ')} ${stamp}return w; }`,
        `function ce${n}(x) { return Q(x) ? c${n}(x) : x; }`,
      );
      return n;
    }
    functions.push(
      `function p${n}(d) { const w = ${literal}; let x; let n = 0; ${reads.join(' ')} ` +
        `let all = 0; for (const k in d) all++; if (all !== n) for (const k in d) if (!H(${known}, k)) { if (k === "__proto__") S(w, k, d[k]); else w[k] = d[k]; } ` +
        `${copies.join(' ')} return w; }`,
      `function pe${n}(e) { return P(e) ? p${n}(e) : e; }`,
      `function c${n}(w${isRoot ? ', version' : ''}) { ${fastFinish(t, members, isRoot ? versionField : undefined, cleanCode)}const o = {}; let x; ${cleans.join(' ')} ` +
        `let all = 0; for (const k in w) all++; if (all !== ${present}) ` +
        `for (const k in w) if (!H(${known}, k)) { x = w[k]; if (x !== undefined) { x = ${shallow ? 'x' : 'R(x)'}; if (k === "__proto__") S(o, k, x); else o[k] = x; } } ` +
        `${isRoot ? `o[${key(versionField)}] = version; ` : ''}return o; }`,
      `function ce${n}(x) { return Q(x) ? c${n}(x) : typeof x === "object" && x !== null ? R(x) : x; }`,
    );
    return n;
  };
  const n = gen(root, true);
  // `isPlain` (what `cleanValue` copies), generated beside its callers so V8 inlines it there
  functions.push(
    'function Q(v) { if (typeof v !== "object" || v === null) return false; const p = G(v); return p === O || p === null; }',
  );
  try {
    const make = new Function(
      'C',
      'P',
      'R',
      'H',
      'G',
      'O',
      'W',
      'S',
      `${functions.join('\n')}\nreturn { prepare: p${n}, finish: c${n} };`,
    );
    return make(
      constants,
      isRecord,
      cleanValue,
      Object.hasOwn,
      Object.getPrototypeOf,
      Object.prototype,
      cleanWith,
      setOwn,
    ) as WorkingCopy;
  } catch {
    return undefined;
  }
}

/** Marks the members each object of the template has at the latest version (see `Template.latest`). */
function markLatest(template: Template, fields: Record<string, FieldSnapshot>): void {
  template.latest = new Set(Object.keys(fields));
  for (const [name, field] of Object.entries(fields)) {
    const type = field.type.kind === 'array' ? field.type.element.type : field.type;
    if (type.kind !== 'object') continue;
    const into = field.type.kind === 'array' ? template.elements : template.nested;
    const child = into.find(([key]) => key === name)?.[1];
    if (child) markLatest(child, type.fields);
  }
}

function templateOf(shapes: Iterable<ModelSnapshot>, versionField: string): Template {
  const root = empty();
  root.keys._id = undefined;
  let last: ModelSnapshot | undefined;
  for (const shape of shapes) {
    for (const key of shape.primaryKey) root.keys[key] = undefined;
    merge(root, shape.fields);
    last = shape;
  }
  root.keys[versionField] = undefined;
  if (last) {
    markLatest(root, last.fields);
    for (const key of last.primaryKey) root.latest?.add(key);
  }
  return root;
}

/**
 * `template` limited to the objects `tree` names (`undefined` where the tree names one the template lacks:
 * an edit inside something the template does not copy); `deep` marks the members transforms write.
 */
function within(template: Template, tree: PathTree): Template | undefined {
  const out: Template = {
    keys: template.keys,
    nested: [],
    elements: [],
    holder: !tree.edited,
    ...(template.latest ? { latest: template.latest } : {}),
  };
  for (const [key, child] of tree.keys) {
    const nested = template.nested.find(([k]) => k === key)?.[1];
    const element = template.elements.find(([k]) => k === key)?.[1];
    if (child.written) {
      // a transform's result: cleaned to any depth (nothing edits inside it, see `touchedPaths`)
      out.deep ??= new Set();
      out.deep.add(key);
      continue;
    }
    if (child.elements) {
      // edits inside the elements of an array of objects: the array and each element are copied
      if (!element || child.keys.size > 0) return undefined;
      const inner = within(element, child.elements);
      if (!inner) return undefined;
      out.elements.push([key, inner]);
    } else if (nested) {
      const inner = within(nested, child);
      if (!inner) return undefined;
      out.nested.push([key, inner]);
    } else if (child.keys.size > 0 || !element) {
      // an edit inside a value the templates do not describe
      return undefined;
    }
    // else: an array whose elements an edit of `key.[]` replaces (with a new array)
  }
  return out;
}

/**
 * Builds the ends of an upgrade chain: `prepare` makes a copy of a document whose objects already
 * declare (as `undefined`, meaning absent) every member the history ever gives them, so steps overwrite
 * members but never add any (which keeps V8 on its fast paths); `finish` drops the `undefined` members
 * again and stamps the version.
 */
export function workingCopy(shapes: Iterable<ModelSnapshot>, versionField: string): WorkingCopy {
  const root = templateOf(shapes, versionField);
  return (
    compileWorkingCopy(root, versionField) ?? {
      prepare: (doc) => copyInto(root, doc),
      finish: (work, version) => cleanWith(work, versionField, version),
    }
  );
}

/**
 * The ends of one upgrade chain that copy only what the chain edits (see `touchedPaths`): `prepare` copies
 * the root and the objects and arrays on the chain's paths, declaring every member the history gives them
 * (as `workingCopy` does); `finish` cleans those and keeps the rest, the input's own untouched members, as
 * they are. `undefined` where the templates do not reach a path the chain edits, or code generation is
 * refused: then the chain copies the whole document (`workingCopy`).
 *
 * @example
 * const touched = touchedPaths(history.steps.map((s) => ({ ops: s.plan.up, transforms: s.transforms })));
 * const ends = touched && touchedWorkingCopy(history.shapes.values(), '_v', touched);
 */
export function touchedWorkingCopy(
  shapes: Iterable<ModelSnapshot>,
  versionField: string,
  touched: TouchedPaths,
): WorkingCopy | undefined {
  const root = templateOf(shapes, versionField);
  const copy = within(root, touched.copy);
  const clean = within(root, touched.clean);
  if (!copy || !clean || touched.copy.elements || touched.clean.elements) return undefined;
  const prepare = compileWorkingCopy(copy, versionField)?.prepare;
  const finish = compileWorkingCopy(clean, versionField, true)?.finish;
  return prepare && finish ? { prepare, finish } : undefined;
}
