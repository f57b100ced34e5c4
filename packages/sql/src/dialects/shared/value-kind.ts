import type { TypeSnapshot } from '@evolve/core';

/** How a model type is stored, whatever the dialect. */
export type ValueKind = 'string' | 'uuid' | 'integer' | 'float' | 'bigint' | 'boolean' | 'date' | 'json';

/** The storage kind of a model type: enums are strings, literals their base type, nested data JSON. */
export function valueKind(type: TypeSnapshot): ValueKind {
  switch (type.kind) {
    case 'string':
      return type.format === 'uuid' ? 'uuid' : 'string';
    case 'number':
      return type.integer ? 'integer' : 'float';
    case 'bigint':
    case 'boolean':
    case 'date':
      return type.kind;
    case 'enum':
      return 'string';
    case 'literal':
      if (typeof type.value === 'string') return 'string';
      if (typeof type.value === 'boolean') return 'boolean';
      return Number.isInteger(type.value) ? 'integer' : 'float';
    case 'array':
    case 'object':
    case 'json':
      return 'json';
  }
}

/** Maximum length of a string type, when it has one. */
export const maxLengthOf = (type: TypeSnapshot): number | undefined =>
  type.kind === 'string' ? type.maxLength : undefined;
