import type {
  FieldSnapshot,
  ForeignKeySnapshot,
  IndexSnapshot,
  ModelSnapshot,
  RenameHints,
  Snapshot,
  TypeSnapshot,
} from '../src/index.ts';
import { makeSnapshot } from '../src/index.ts';

/** Small builders for hand-written snapshots in tests. */
export const str = (extra: Partial<Extract<TypeSnapshot, { kind: 'string' }>> = {}): TypeSnapshot => ({
  kind: 'string',
  ...extra,
});
export const int: TypeSnapshot = { kind: 'number', integer: true };
export const float: TypeSnapshot = { kind: 'number', integer: false };
export const bool: TypeSnapshot = { kind: 'boolean' };
export const date: TypeSnapshot = { kind: 'date' };
export const json: TypeSnapshot = { kind: 'json' };
export const enumOf = (...values: string[]): TypeSnapshot => ({ kind: 'enum', values });
export const obj = (fields: Record<string, FieldSnapshot>): TypeSnapshot => ({ kind: 'object', fields });
export const arr = (element: FieldSnapshot | TypeSnapshot): TypeSnapshot => ({
  kind: 'array',
  element: 'type' in element ? element : f(element),
});

export function f(type: TypeSnapshot, extra: Partial<FieldSnapshot> = {}): FieldSnapshot {
  return { type, nullable: false, optional: false, ...extra };
}

export interface ModelExtra {
  target?: 'sql' | 'document';
  table?: string;
  primaryKey?: string[];
  indexes?: IndexSnapshot[];
  foreignKeys?: ForeignKeySnapshot[];
}

export function m(
  name: string,
  fields: Record<string, FieldSnapshot>,
  extra: ModelExtra = {},
): ModelSnapshot {
  const target = extra.target ?? 'sql';
  return {
    name,
    target,
    table: extra.table ?? name,
    primaryKey: extra.primaryKey ?? [target === 'sql' ? 'id' : '_id'],
    fields: target === 'sql' && !extra.primaryKey ? { id: f(int), ...fields } : fields,
    indexes: extra.indexes ?? [],
    foreignKeys: extra.foreignKeys ?? [],
  };
}

export function snap(models: ModelSnapshot[], hints?: Partial<RenameHints>): Snapshot {
  return makeSnapshot(
    Object.fromEntries(models.map((model) => [model.name, model])),
    hints ? { models: hints.models ?? {}, fields: hints.fields ?? {} } : undefined,
  );
}
