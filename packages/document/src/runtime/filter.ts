import { EvolveError } from '@evolve/core';

/** A comparison on one field: a plain value means equality (`{ age: 3 }`), or an object of operators. */
export interface FieldOperators {
  $eq?: unknown;
  $ne?: unknown;
  $gt?: unknown;
  $gte?: unknown;
  $lt?: unknown;
  $lte?: unknown;
  $in?: readonly unknown[];
  $nin?: readonly unknown[];
  $exists?: boolean;
}

/**
 * The filter language every DocumentStore understands: the MongoDB query subset of equality on
 * (dotted) paths, `$eq $ne $gt $gte $lt $lte $in $nin $exists` and the logical `$and $or $nor`.
 */
export type Filter = {
  $and?: readonly Filter[];
  $or?: readonly Filter[];
  $nor?: readonly Filter[];
} & { [path: string]: unknown };

const FIELD_OPERATORS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);
const LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);

/** One parsed filter term. */
export type FilterNode =
  | { kind: 'and' | 'or' | 'nor'; children: readonly FilterNode[] }
  | { kind: 'field'; path: string; op: FieldOperator; value: unknown };

export type FieldOperator = 'eq' | 'ne' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'nin' | 'exists';

/** Whether a value is a plain object (not an array, Date, ObjectId or other class instance). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isOperatorObject(value: unknown): value is FieldOperators {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

/**
 * Parses a filter into a tree of `and`/`or`/`nor` and single-operator field terms, rejecting operators
 * outside the supported subset (EvolveError UNSUPPORTED_CHANGE with the offending path).
 *
 * @example
 * parseFilter({ age: { $gt: 3 }, name: 'a' }) // { kind: 'and', children: [gt age 3, eq name 'a'] }
 */
export function parseFilter(filter: Filter): FilterNode {
  const children: FilterNode[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (LOGICAL_OPERATORS.has(key)) {
      if (!Array.isArray(value)) {
        throw new EvolveError('UNSUPPORTED_CHANGE', `${key} takes an array of filters`, { path: key });
      }
      const kind = key.slice(1) as 'and' | 'or' | 'nor';
      children.push({ kind, children: value.map((f: Filter) => parseFilter(f)) });
      continue;
    }
    if (key.startsWith('$')) {
      throw new EvolveError('UNSUPPORTED_CHANGE', `filter operator ${key} is not supported`, { path: key });
    }
    if (isOperatorObject(value)) {
      for (const [op, operand] of Object.entries(value)) {
        if (!FIELD_OPERATORS.has(op)) {
          throw new EvolveError('UNSUPPORTED_CHANGE', `filter operator ${op} is not supported`, {
            path: `${key}.${op}`,
          });
        }
        if ((op === '$in' || op === '$nin') && !Array.isArray(operand)) {
          throw new EvolveError('UNSUPPORTED_CHANGE', `${op} takes an array`, { path: `${key}.${op}` });
        }
        children.push({ kind: 'field', path: key, op: op.slice(1) as FieldOperator, value: operand });
      }
    } else {
      children.push({ kind: 'field', path: key, op: 'eq', value });
    }
  }
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}
