import type {
  Change,
  DefaultSnapshot,
  FieldSnapshot,
  JsonValue,
  ModelSnapshot,
  Snapshot,
  TypeSnapshot,
} from '@evolve/core';
import { makeSnapshot } from '@evolve/core';
import { transformSync } from 'esbuild';
import { docOps, emitDocumentSection, type StepTransforms } from '../src/upgrader/index.ts';

/** Field builders for hand-written snapshots and change sets. */
export const field = (
  type: TypeSnapshot,
  extra: { nullable?: boolean; optional?: boolean; default?: JsonValue; dynamic?: boolean } = {},
): FieldSnapshot => {
  const f: FieldSnapshot = { type, nullable: extra.nullable ?? false, optional: extra.optional ?? false };
  if (extra.default !== undefined) f.default = { value: extra.default } as DefaultSnapshot;
  if (extra.dynamic) f.default = { dynamic: true };
  return f;
};
export const T = {
  string: (maxLength?: number): TypeSnapshot =>
    maxLength === undefined ? { kind: 'string' } : { kind: 'string', maxLength },
  int: (): TypeSnapshot => ({ kind: 'number', integer: true }),
  float: (): TypeSnapshot => ({ kind: 'number', integer: false }),
  bool: (): TypeSnapshot => ({ kind: 'boolean' }),
  date: (): TypeSnapshot => ({ kind: 'date' }),
  bigint: (): TypeSnapshot => ({ kind: 'bigint' }),
  json: (): TypeSnapshot => ({ kind: 'json' }),
  enum: (...values: string[]): TypeSnapshot => ({ kind: 'enum', values }),
  array: (element: FieldSnapshot): TypeSnapshot => ({ kind: 'array', element }),
  object: (fields: Record<string, FieldSnapshot>): TypeSnapshot => ({ kind: 'object', fields }),
};

const base = { risk: 'safe' as const, compatibility: { backward: true, forward: true } };

/** Change builders for model `model` (default `Event`). */
export function changes(model = 'Event') {
  return {
    add: (path: string[], f: FieldSnapshot): Change => ({ ...base, kind: 'addField', model, path, field: f }),
    drop: (path: string[], previous: FieldSnapshot): Change => ({
      ...base,
      kind: 'dropField',
      model,
      path,
      previous,
    }),
    rename: (from: string[], path: string[], f: FieldSnapshot): Change => ({
      ...base,
      kind: 'renameField',
      model,
      path,
      from,
      field: f,
    }),
    type: (path: string[], from: TypeSnapshot, to: TypeSnapshot): Change => ({
      ...base,
      kind: 'changeType',
      model,
      path,
      from,
      to,
    }),
    nullable: (path: string[], from: boolean): Change => ({
      ...base,
      kind: 'changeNullable',
      model,
      path,
      from,
      to: !from,
    }),
    optional: (path: string[], from: boolean): Change => ({
      ...base,
      kind: 'changeOptional',
      model,
      path,
      from,
      to: !from,
    }),
    addEnum: (path: string[], before: string[], values: string[]): Change => ({
      ...base,
      kind: 'addEnumValues',
      model,
      path,
      values,
      before,
      after: [...before, ...values],
    }),
    removeEnum: (path: string[], before: string[], values: string[]): Change => ({
      ...base,
      kind: 'removeEnumValues',
      model,
      path,
      values,
      before,
      after: before.filter((v) => !values.includes(v)),
    }),
    renameModel: (from: string): Change => ({ ...base, kind: 'renameModel', model, path: [], from }),
    create: (fields: Record<string, FieldSnapshot>): Change => ({
      ...base,
      kind: 'createModel',
      model,
      path: [],
      definition: documentModel(model, fields),
    }),
  };
}

export function documentModel(name: string, fields: Record<string, FieldSnapshot>): ModelSnapshot {
  return { name, target: 'document', table: name, primaryKey: ['_id'], fields, indexes: [], foreignKeys: [] };
}

export function snapshotOf(models: ModelSnapshot[]): Snapshot {
  return makeSnapshot(Object.fromEntries(models.map((m) => [m.name, m])));
}

export interface LoadedStep {
  up: (doc: Record<string, unknown>, t?: StepTransforms) => Record<string, unknown>;
  down: (doc: Record<string, unknown>, t?: StepTransforms) => Record<string, unknown>;
}

/** Evaluates an emitted `documents` object literal (TypeScript) with esbuild, injecting the ops. */
export function loadSection(code: string): Record<string, LoadedStep> {
  const js = transformSync(`(${code})`, { loader: 'ts' }).code.trim().replace(/;$/, '');
  return new Function('d', `return ${js};`)(docOps) as Record<string, LoadedStep>;
}

/** Emits and loads the section of a one-model step. */
export function emitStep(
  before: Record<string, FieldSnapshot>,
  list: Change[],
  model = 'Event',
  previous = model,
) {
  const beforeSnap = snapshotOf([documentModel(previous, before)]);
  const afterSnap = snapshotOf([documentModel(model, before)]); // `after` only decides the target here
  const source = emitDocumentSection({ changes: list }, { before: beforeSnap, after: afterSnap, version: 2 });
  const loaded = loadSection(source.code)[model];
  if (!loaded) throw new Error(`no section for ${model}:\n${source.code}`);
  // generated steps leave removed members as `undefined` (absent); compare documents without them
  const step: LoadedStep = {
    up: (doc, t) => docOps.clean(loaded.up(doc, t)),
    down: (doc, t) => docOps.clean(loaded.down(doc, t)),
  };
  return { source, step, plan: source.plans[0]! };
}
