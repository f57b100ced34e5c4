import { tsCommentText } from '@evolve/core';
import { ELEMENT } from './doc-ops/edit-path.ts';
import { access, constantCode, pathLiteral, readAccess, tsLiteral, zeroCode } from './emit-literal.ts';
import { ownedEdit, ownedMove, ownedPut } from './emit-owned-edit.ts';
import type { ConversionStep } from './plan-conversion.ts';
import { isDetached } from './step-keys.ts';
import type { DocOp, ValuePlan } from './step-plan.ts';

/** The alias generated modules import the document ops under. */
export const OPS = 'd';

const isTop = (path: readonly string[]) => path.length === 1;
const inArray = (path: readonly string[]) => path.includes(ELEMENT);

function valueCode(plan: ValuePlan, at: string): string {
  switch (plan.kind) {
    case 'constant':
      return constantCode(plan.value, plan.type);
    case 'null':
      return 'null';
    case 'absent':
      return 'undefined';
    case 'zero':
      return zeroCode(plan.type);
    case 'todo':
      return `${OPS}.todo(${tsLiteral(at)}, ${tsLiteral(plan.hint)})`;
  }
}

function conversionCode(steps: readonly ConversionStep[], value: string, at: string): string {
  let code = value;
  for (const s of steps) {
    const args = [code, tsLiteral(at), ...s.args.map((a) => tsLiteral(a))];
    code = `${OPS}.conv.${s.fn}(${args.join(', ')})`;
  }
  return code;
}

/**
 * The migration's transform for `key`, read own-only: a step called without its transforms gets `{}`,
 * whose `constructor` or `toString` is no transform.
 */
const transform = (key: string) => readAccess(OPS, 't', key);

/** `d.given(t.key) ? d.call(t.key, at, arg) : fallback`, or the fallback alone when there is no transform key. */
function orTransform(key: string | undefined, at: string, arg: string, fallback: string): string {
  if (key === undefined) return fallback;
  const t = transform(key);
  return `${OPS}.given(${t}) ? ${OPS}.call(${t}, ${tsLiteral(at)}, ${arg}) : ${fallback}`;
}

function produce(key: string | undefined, value: ValuePlan, at: string, arg: string): string {
  // a TODO value is the transform itself: `call` throws TODO_TRANSFORM while it is missing
  if (key !== undefined && value.kind === 'todo')
    return `${OPS}.call(${transform(key)}, ${tsLiteral(at)}, ${arg})`;
  return orTransform(key, at, arg, valueCode(value, at));
}

function condition(value: string, when: 'missing' | 'null' | 'missingOrNull'): string {
  return when === 'missing'
    ? `${value} === undefined`
    : when === 'null'
      ? `${value} === null`
      : `${value} == null`;
}

function valuesTest(value: string, values: readonly string[]): string {
  return values.map((v) => `${value} === ${tsLiteral(v)}`).join(' || ');
}

/** A top-level member of the step's copy, read own-only (see `readAccess`). */
const read = (key: string) => readAccess(OPS, 'out', key);

function topLevel(op: DocOp, model: string): string[] {
  const at = (p: readonly string[]) => `${model}.${p.join('.')}`;
  switch (op.op) {
    case 'add': {
      const field = access('out', op.path[0] as string);
      if (op.value.kind === 'absent') {
        if (op.key === undefined) return [`${field} = undefined;`];
        const t = transform(op.key);
        return [`if (${OPS}.given(${t})) ${field} = ${OPS}.call(${t}, ${tsLiteral(at(op.path))}, old);`];
      }
      return [`${field} = ${produce(op.key, op.value, at(op.path), 'old')};`];
    }
    case 'remove':
      return [`${access('out', op.path[0] as string)} = undefined;`];
    case 'move': {
      const from = op.from[0] as string;
      const to = access('out', op.to[0] as string);
      return [`${to} = ${read(from)};`, `${access('out', from)} = undefined;`];
    }
    case 'convert': {
      const field = access('out', op.path[0] as string);
      const value = read(op.path[0] as string);
      const here = at(op.path);
      if (!op.steps) {
        const fallback = `${OPS}.todo(${tsLiteral(here)}, ${tsLiteral(op.note)})`;
        return [`if (${value} != null) ${field} = ${orTransform(op.key, here, 'old', fallback)};`];
      }
      if (op.steps.length === 0) {
        if (op.key === undefined) return ['// stored values fit the new type as they are'];
        const t = transform(op.key);
        return [
          `if (${value} != null && ${OPS}.given(${t})) ${field} = ${OPS}.call(${t}, ${tsLiteral(here)}, old);`,
        ];
      }
      const converted = conversionCode(op.steps, value, here);
      return [`if (${value} != null) ${field} = ${orTransform(op.key, here, 'old', converted)};`];
    }
    case 'fill': {
      const field = access('out', op.path[0] as string);
      const test = condition(read(op.path[0] as string), op.when);
      if (op.value.kind === 'absent') {
        if (op.key === undefined) return [`if (${test}) ${field} = undefined;`];
        const t = transform(op.key);
        return [
          `if (${test}) {`,
          `  if (${OPS}.given(${t})) ${field} = ${OPS}.call(${t}, ${tsLiteral(at(op.path))}, old);`,
          `  else ${field} = undefined;`,
          '}',
        ];
      }
      return [`if (${test}) ${field} = ${produce(op.key, op.value, at(op.path), 'old')};`];
    }
    case 'mapValues': {
      const field = access('out', op.path[0] as string);
      const here = at(op.path);
      const todo = `${OPS}.todo(${tsLiteral(here)}, ${tsLiteral(op.note)})`;
      const test = valuesTest(read(op.path[0] as string), op.values);
      return [`if (${test}) ${field} = ${orTransform(op.key, here, 'old', todo)};`];
    }
    case 'unsupported': {
      const value = read(op.path[0] as string);
      return [`if (${value} != null) ${OPS}.todo(${tsLiteral(at(op.path))}, ${tsLiteral(op.note)});`];
    }
    case 'note':
      return [];
  }
}

/** Generated code without its string literals and line comments (what `mentions` looks through). */
const codeOnly = (code: string) =>
  code.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''").replace(/\/\/.*$/gm, '');

/** Whether generated code refers to an identifier (outside strings and comments). */
export function mentions(code: string, name: string): boolean {
  return new RegExp(`(?<![\\w$.])${name}(?![\\w$])`).test(codeOnly(code));
}

/** `(v, el) => body` with only the parameters the body uses (unused leading ones get a `_`). */
function leafArrow(params: readonly string[], body: string): string {
  const used = params.map((p) => mentions(body, p));
  const last = used.lastIndexOf(true);
  const list = params.slice(0, last + 1).map((p, i) => (used[i] ? p : `_${p}`));
  // an object literal as the body is wrapped: bare, its braces would read as a block (returning nothing)
  return `(${list.join(', ')}) => ${body.trimStart().startsWith('{') ? `(${body})` : body}`;
}

/** The helper call for a path the edits are not written out for (see `ownedEdit`), or the written-out edit. */
function either(call: string, owned: string[] | undefined): string[] {
  return owned ?? [call];
}

/** `updateIn`: the value `v` at `path` replaced by `make` where it is present and not null. */
function updated(path: readonly string[], make: string): string[] {
  return either(
    `${OPS}.updateIn(out, ${pathLiteral(path)}, ${leafArrow(['v', 'el'], make)}, inPlace);`,
    ownedEdit(OPS, path, (field) => [`const v = ${field};`, `if (v != null) ${field} = ${make};`]),
  );
}

function nested(op: DocOp, model: string): string[] {
  const at = (p: readonly string[]) => `${model}.${p.join('.')}`;
  switch (op.op) {
    case 'add': {
      const arg = inArray(op.path) ? 'el' : 'old';
      const make = produce(op.key, op.value, at(op.path), arg);
      return either(
        `${OPS}.setIn(out, ${pathLiteral(op.path)}, ${leafArrow(['v', 'el'], make)}, inPlace);`,
        ownedEdit(OPS, op.path, (field) => [`${field} = ${make};`]),
      );
    }
    case 'remove':
      return either(
        `${OPS}.removeIn(out, ${pathLiteral(op.path)}, inPlace);`,
        ownedEdit(OPS, op.path, (field) => [`${field} = undefined;`]),
      );
    case 'move':
      return either(
        `${OPS}.moveIn(out, ${pathLiteral(op.from)}, ${pathLiteral(op.to)}, inPlace);`,
        ownedMove(OPS, op.from, op.to),
      );
    case 'convert': {
      const arg = inArray(op.path) ? 'el' : 'old';
      const here = at(op.path);
      let fallback: string;
      if (!op.steps) fallback = `${OPS}.todo(${tsLiteral(here)}, ${tsLiteral(op.note)})`;
      else if (op.steps.length === 0) {
        if (op.key === undefined) return ['// stored values fit the new type as they are'];
        fallback = 'v';
      } else fallback = conversionCode(op.steps, 'v', here);
      return updated(op.path, orTransform(op.key, here, arg, fallback));
    }
    case 'fill': {
      const arg = inArray(op.path) ? 'el' : 'old';
      const make = produce(op.key, op.value, at(op.path), arg);
      return either(
        `${OPS}.fillIn(out, ${pathLiteral(op.path)}, ${tsLiteral(op.when)}, ${leafArrow(['el'], make)}, inPlace);`,
        ownedEdit(OPS, op.path, (field) => [`if (${condition(field, op.when)}) ${field} = ${make};`]),
      );
    }
    case 'mapValues': {
      const arg = inArray(op.path) ? 'el' : 'old';
      const here = at(op.path);
      const todo = `${OPS}.todo(${tsLiteral(here)}, ${tsLiteral(op.note)})`;
      const mapped = orTransform(op.key, here, arg, todo);
      return updated(op.path, `(${valuesTest('v', op.values)} ? ${mapped} : v)`);
    }
    case 'unsupported':
      return updated(op.path, `${OPS}.todo(${tsLiteral(at(op.path))}, ${tsLiteral(op.note)})`);
    case 'note':
      return [];
  }
}

/** The statements of one op, after a comment saying what it does. */
export function emitOp(op: DocOp, model: string, detached: readonly string[] = []): string[] {
  if (isDetached(op, detached)) {
    if (op.op !== 'move')
      return [
        `// ${tsCommentText(op.note)}`,
        `${access('out', (op as { path: string[] }).path[0] as string)} = undefined;`,
      ];
    const from = readAccess(OPS, 'old', op.from[0] as string);
    const put =
      op.to.length === 1
        ? [`${access('out', op.to[0] as string)} = ${from};`]
        : either(`${OPS}.putIn(out, ${pathLiteral(op.to)}, ${from}, inPlace);`, ownedPut(OPS, op.to, from));
    return [`// ${tsCommentText(op.note)}`, ...put, `${access('out', op.from[0] as string)} = undefined;`];
  }
  const top = op.op === 'move' ? isTop(op.from) && isTop(op.to) : isTop(op.path);
  const comment = `// ${tsCommentText(op.note)}`;
  return [comment, ...(top ? topLevel(op, model) : nested(op, model))];
}
