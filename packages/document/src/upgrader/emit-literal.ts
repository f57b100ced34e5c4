import {
  type FieldSnapshot,
  type JsonValue,
  type TypeSnapshot,
  tsKey,
  tsLiteral,
  tsString,
} from '@evolve/core';
import { isInheritedName } from './doc-ops/own.ts';

export { tsLiteral };

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object key as written in a literal or type: bare when it is an identifier. */
export function propertyKey(key: string): string {
  return tsKey(key);
}

/**
 * Property access: `obj.key`, or `obj['key']` for a name that is no identifier or one every object
 * inherits (TypeScript types `out.constructor` as Object's `Function` even on a `Record<string, unknown>`,
 * `out['constructor']` by the record's index signature).
 */
export function access(obj: string, key: string): string {
  return IDENT.test(key) && !isInheritedName(key) ? `${obj}.${key}` : `${obj}[${tsString(key)}]`;
}

/**
 * A read of a member: `obj.key`, or for a name every plain object inherits (`constructor`, `toString`...)
 * the own-member read `d.own(obj, 'key')` (a plain read of it, absent, finds the inherited function).
 *
 * @example
 * readAccess('d', 'out', 'title'); // "out.title"
 * readAccess('d', 'out', 'constructor'); // "d.own(out, 'constructor')"
 */
export function readAccess(ops: string, obj: string, key: string): string {
  return isInheritedName(key) ? `${ops}.own(${obj}, ${tsString(key)})` : access(obj, key);
}

/** A path as an array literal: `['address', 'city']`. */
export function pathLiteral(path: readonly string[]): string {
  return `[${path.map((p) => tsLiteral(p)).join(', ')}]`;
}

/** The TypeScript type of a value type. */
export function typeOf(type: TypeSnapshot, indent = ''): string {
  switch (type.kind) {
    case 'string':
    case 'number':
    case 'bigint':
    case 'boolean':
      return type.kind;
    case 'date':
      return 'Date';
    case 'enum':
      return type.values.length === 0 ? 'never' : type.values.map((v) => tsLiteral(v)).join(' | ');
    case 'literal':
      return tsLiteral(type.value);
    case 'json':
      return 'unknown';
    case 'array':
      return `Array<${fieldType(type.element, indent)}>`;
    case 'object':
      return objectType(type.fields, indent);
  }
}

/** The TypeScript type of a field's value (with `| null` when nullable). */
export function fieldType(field: FieldSnapshot, indent = ''): string {
  const base = typeOf(field.type, indent);
  return field.nullable ? `${base} | null` : base;
}

/** An object type literal over fields, one member per line; `extra` members come first. */
export function objectType(fields: Record<string, FieldSnapshot>, indent = '', extra: string[] = []): string {
  const inner = `${indent}  `;
  const members = [
    ...extra.map((m) => `${inner}${m};`),
    ...Object.entries(fields).map(
      ([name, f]) => `${inner}${propertyKey(name)}${f.optional ? '?' : ''}: ${fieldType(f, inner)};`,
    ),
  ];
  return members.length === 0 ? '{}' : `{\n${members.join('\n')}\n${indent}}`;
}

/** Code that builds a type's empty value (what `zeroValue` returns). */
export function zeroCode(type: TypeSnapshot): string {
  switch (type.kind) {
    case 'string':
      return "''";
    case 'number':
      return '0';
    case 'bigint':
      return '0n';
    case 'boolean':
      return 'false';
    case 'date':
      return 'new Date(0)';
    case 'enum':
      return type.values[0] === undefined ? 'undefined' : tsLiteral(type.values[0]);
    case 'literal':
      return tsLiteral(type.value);
    case 'array':
      return '[]';
    case 'json':
      return 'null';
    case 'object': {
      const members = Object.entries(type.fields)
        .filter(([, f]) => !f.optional)
        .map(([name, f]) => {
          const v =
            f.default && 'value' in f.default
              ? constantCode(f.default.value, f.type)
              : f.nullable
                ? 'null'
                : zeroCode(f.type);
          return `${propertyKey(name)}: ${v}`;
        });
      return members.length === 0 ? '{}' : `{ ${members.join(', ')} }`;
    }
  }
}

/** Code for a snapshot constant (dates and bigints are stored as text). */
export function constantCode(value: JsonValue, type: TypeSnapshot): string {
  if (type.kind === 'date' && typeof value === 'string') return `new Date(${tsLiteral(value)})`;
  if (type.kind === 'bigint' && (typeof value === 'string' || typeof value === 'number')) return `${value}n`;
  return tsLiteral(value);
}
