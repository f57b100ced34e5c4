import {
  type Change,
  type ChangeSet,
  type FieldSnapshot,
  type ForeignKeySnapshot,
  type IndexSnapshot,
  type JsonValue,
  type ModelSnapshot,
  makeSnapshot,
  type Snapshot,
  type TypeSnapshot,
} from '@evolve/core';

/** Field snapshots by hand (the sql package does not depend on zod). */
export const field = (
  type: TypeSnapshot,
  extra: Partial<Omit<FieldSnapshot, 'type'>> = {},
): FieldSnapshot => ({
  type,
  nullable: false,
  optional: false,
  ...extra,
});
export const t = {
  string: (maxLength?: number): TypeSnapshot =>
    maxLength ? { kind: 'string', maxLength } : { kind: 'string' },
  uuid: (): TypeSnapshot => ({ kind: 'string', format: 'uuid' }),
  int: (): TypeSnapshot => ({ kind: 'number', integer: true }),
  float: (): TypeSnapshot => ({ kind: 'number', integer: false }),
  bigint: (): TypeSnapshot => ({ kind: 'bigint' }),
  bool: (): TypeSnapshot => ({ kind: 'boolean' }),
  date: (): TypeSnapshot => ({ kind: 'date' }),
  enum: (...values: string[]): TypeSnapshot => ({ kind: 'enum', values }),
  json: (): TypeSnapshot => ({ kind: 'json' }),
  object: (fields: Record<string, FieldSnapshot>): TypeSnapshot => ({ kind: 'object', fields }),
  array: (element: FieldSnapshot): TypeSnapshot => ({ kind: 'array', element }),
};
export const constant = (value: JsonValue) => ({ value });

export function model(
  name: string,
  fields: Record<string, FieldSnapshot>,
  options: {
    table?: string;
    primaryKey?: string[];
    indexes?: IndexSnapshot[];
    foreignKeys?: ForeignKeySnapshot[];
    target?: 'sql' | 'document';
  } = {},
): ModelSnapshot {
  return {
    name,
    target: options.target ?? 'sql',
    table: options.table ?? name,
    primaryKey: options.primaryKey ?? ['id'],
    fields,
    indexes: options.indexes ?? [],
    foreignKeys: options.foreignKeys ?? [],
  };
}

export const snapshot = (...models: ModelSnapshot[]): Snapshot =>
  makeSnapshot(Object.fromEntries(models.map((m) => [m.name, m])));

const base = { risk: 'safe' as const, compatibility: { backward: true, forward: true } };

/** A change with default risk/compatibility. */
type Loose<C> = C extends Change
  ? Omit<C, 'risk' | 'compatibility'> & Partial<Pick<C, 'risk' | 'compatibility'>>
  : never;
export function change(c: Loose<Change>): Change {
  return { ...base, ...c } as Change;
}

export const changeSet = (from: Snapshot, to: Snapshot, changes: Change[]): ChangeSet => ({
  from: from.hash,
  to: to.hash,
  changes,
});

/** The createModel/addIndex/addForeignKey changes that build a snapshot from nothing. */
export function createAll(target: Snapshot): Change[] {
  const models = Object.values(target.models);
  return [
    ...models.map((m) =>
      change({
        kind: 'createModel',
        model: m.name,
        path: [],
        definition: { ...m, indexes: [], foreignKeys: [] },
      }),
    ),
    ...models.flatMap((m) =>
      m.indexes.map((index) => change({ kind: 'addIndex', model: m.name, path: [], index })),
    ),
    ...models.flatMap((m) =>
      m.foreignKeys.map((foreignKey) =>
        change({ kind: 'addForeignKey', model: m.name, path: [], foreignKey }),
      ),
    ),
  ] as Change[];
}
