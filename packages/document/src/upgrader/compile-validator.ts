import type { FieldSnapshot, TypeSnapshot } from '@evolve/core';
import { compilePredicate, FORMATS } from './compile-predicate.ts';
import { isInheritedName } from './doc-ops/own.ts';

/** The first problem a validator finds: where (field path) and what. */
export interface ValidationIssue {
  path: string[];
  message: string;
}

/** A precompiled document check: `undefined` when the document fits the shape. */
export type DocumentCheck = (doc: unknown) => ValidationIssue | undefined;

/** Checks a value; an issue's path is relative to the value (parents prepend their key on the way up). */
type Check = (value: unknown) => ValidationIssue | undefined;

const issue = (message: string): ValidationIssue => ({ path: [], message });

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

function typeCheck(type: TypeSnapshot): Check {
  switch (type.kind) {
    case 'string': {
      const { maxLength } = type;
      const format = type.format === undefined ? undefined : FORMATS[type.format];
      const name = type.format ?? 'string';
      return (v) => {
        if (typeof v !== 'string') return issue(`expected a string, got ${kindOf(v)}`);
        if (maxLength !== undefined && v.length > maxLength) return issue(`longer than ${maxLength}`);
        if (format && !format(v)) return issue(`not a valid ${name}`);
        return undefined;
      };
    }
    case 'number':
      return type.integer
        ? (v) => (Number.isSafeInteger(v) ? undefined : issue(`expected an integer, got ${kindOf(v)}`))
        : (v) =>
            typeof v === 'number' && Number.isFinite(v)
              ? undefined
              : issue(`expected a number, got ${kindOf(v)}`);
    case 'bigint':
      return (v) => (typeof v === 'bigint' ? undefined : issue(`expected a bigint, got ${kindOf(v)}`));
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? undefined : issue(`expected a boolean, got ${kindOf(v)}`));
    case 'date':
      return (v) =>
        v instanceof Date && !Number.isNaN(v.getTime())
          ? undefined
          : issue(`expected a date, got ${kindOf(v)}`);
    case 'enum': {
      const values = new Set<unknown>(type.values);
      const list = type.values.join(', ');
      return (v) => (values.has(v) ? undefined : issue(`expected one of ${list}, got ${show(v)}`));
    }
    case 'literal': {
      const value = type.value;
      return (v) => (v === value ? undefined : issue(`expected ${JSON.stringify(value)}, got ${show(v)}`));
    }
    case 'json':
      return () => undefined;
    case 'array': {
      const element = fieldCheck(type.element);
      return (v) => {
        if (!Array.isArray(v)) return issue(`expected an array, got ${kindOf(v)}`);
        for (let i = 0; i < v.length; i++) {
          const found = element(v[i]);
          if (found) return { path: [String(i), ...found.path], message: found.message };
        }
        return undefined;
      };
    }
    case 'object':
      return objectCheck(type.fields);
  }
}

function fieldCheck(field: FieldSnapshot): Check {
  const inner = typeCheck(field.type);
  const mayBeAbsent = field.optional || field.default !== undefined;
  const { nullable } = field;
  return (v) => {
    if (v === undefined) return mayBeAbsent ? undefined : issue('required');
    if (v === null) return nullable ? undefined : issue('must not be null');
    return inner(v);
  };
}

function objectCheck(fields: Record<string, FieldSnapshot>): Check {
  // a member named like one every object inherits is read own-only: absent, it is absent (not `Object`)
  const members = Object.entries(fields).map(
    ([name, f]) => [name, fieldCheck(f), isInheritedName(name)] as const,
  );
  return (v) => {
    if (!isRecord(v)) return issue(`expected an object, got ${kindOf(v)}`);
    for (const [name, check, inherited] of members) {
      const found = check(inherited && !Object.hasOwn(v, name) ? undefined : v[name]);
      if (found) return { path: [name, ...found.path], message: found.message };
    }
    return undefined;
  };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Date) return 'a date';
  return typeof v;
}

function show(v: unknown): string {
  try {
    return typeof v === 'bigint' ? `${v}n` : (JSON.stringify(v) ?? String(v));
  } catch {
    // a bigint inside, a cycle; and `String` throws too for an object whose `toString` is not a function
    try {
      return String(v);
    } catch {
      return kindOf(v);
    }
  }
}

/**
 * Compiles a model's fields into a fast document check (closures built once; no allocation on success).
 * It accepts what the snapshot's zod schema accepts for these types; extra members are allowed.
 *
 * @example
 * const check = compileValidator(snapshot.models.Event!.fields);
 * check({ name: 1 }); // { path: ['name'], message: 'expected a string, got number' }
 */
export function compileValidator(fields: Record<string, FieldSnapshot>): DocumentCheck {
  const explain = objectCheck(fields);
  const test = compilePredicate(fields);
  // the generated test answers the common case; the closures find and describe the first problem
  return test ? (doc) => (test(doc) ? undefined : explain(doc)) : explain;
}
