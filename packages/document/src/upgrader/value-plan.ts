import { type JsonValue, setOwn, type TypeSnapshot } from '@evolve/core';
import { todo } from './doc-ops/call.ts';
import type { ValuePlan } from './step-plan.ts';

/** A snapshot constant as a document value (dates and bigints are stored as text in snapshots). */
export function materialize(value: JsonValue, type: TypeSnapshot): unknown {
  if (type.kind === 'date' && typeof value === 'string') return new Date(value);
  if (type.kind === 'bigint' && (typeof value === 'string' || typeof value === 'number'))
    return BigInt(value);
  return typeof value === 'object' && value !== null ? cloneJson(value) : value;
}

function cloneJson(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(cloneJson);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, JsonValue> = {};
  for (const key in value) setOwn(out, key, cloneJson(value[key] as JsonValue));
  return out;
}

/** The empty value of a type: what `down` writes for a required field whose value is lost. */
export function zeroValue(type: TypeSnapshot): unknown {
  switch (type.kind) {
    case 'string':
      return '';
    case 'number':
      return 0;
    case 'bigint':
      return 0n;
    case 'boolean':
      return false;
    case 'date':
      return new Date(0);
    case 'enum':
      return type.values[0];
    case 'literal':
      return type.value;
    case 'array':
      return [];
    case 'json':
      return null;
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [name, field] of Object.entries(type.fields)) {
        if (field.optional) continue;
        out[name] =
          field.default && 'value' in field.default
            ? materialize(field.default.value, field.type)
            : field.nullable
              ? null
              : zeroValue(field.type);
      }
      return out;
    }
  }
}

/** Produces the value a plan describes (`undefined` for absent; throws for a TODO). */
export function planValue(plan: ValuePlan, path: string): unknown {
  switch (plan.kind) {
    case 'constant':
      return materialize(plan.value, plan.type);
    case 'null':
      return null;
    case 'absent':
      return undefined;
    case 'zero':
      return zeroValue(plan.type);
    case 'todo':
      return todo(path, plan.hint);
  }
}
