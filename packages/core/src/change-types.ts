import type {
  DefaultSnapshot,
  FieldSnapshot,
  ForeignKeySnapshot,
  IndexSnapshot,
  ModelSnapshot,
  TypeSnapshot,
} from './snapshot-types.ts';

/** How dangerous a change is for existing data. */
export type Risk = 'safe' | 'needs-backfill' | 'lossy' | 'destructive';

/**
 * Compatibility in the Confluent Schema Registry sense:
 * `backward` — readers of the new version can read data written at the old version;
 * `forward` — readers of the old version can read data written at the new version.
 */
export interface Compatibility {
  backward: boolean;
  forward: boolean;
}

/**
 * A field path inside a model: field names from the model root; `'[]'` steps into an array's element.
 * `['address', 'city']`, `['items', '[]', 'sku']`. Empty for model-level changes.
 */
export type FieldPath = string[];

interface ChangeBase {
  /**
   * The model's name at the point the change applies: the new name for most changes; the old name for
   * `dropIndex` / `dropForeignKey` (they run before `renameModel`) and for `dropModel`.
   */
  model: string;
  path: FieldPath;
  risk: Risk;
  compatibility: Compatibility;
}

export interface CreateModelChange extends ChangeBase {
  kind: 'createModel';
  /** The model without indexes and foreign keys (those follow as addIndex / addForeignKey). */
  definition: ModelSnapshot;
}
export interface DropModelChange extends ChangeBase {
  kind: 'dropModel';
  /** The dropped model (without indexes and foreign keys, dropped by preceding changes). */
  previous: ModelSnapshot;
}
export interface RenameModelChange extends ChangeBase {
  kind: 'renameModel';
  from: string;
}
/** The table/collection name changed (with or without a model rename). */
export interface RenameTableChange extends ChangeBase {
  kind: 'renameTable';
  from: string;
  to: string;
}
export interface ChangePrimaryKeyChange extends ChangeBase {
  kind: 'changePrimaryKey';
  from: string[];
  to: string[];
}
export interface AddFieldChange extends ChangeBase {
  kind: 'addField';
  field: FieldSnapshot;
}
export interface DropFieldChange extends ChangeBase {
  kind: 'dropField';
  previous: FieldSnapshot;
}
export interface RenameFieldChange extends ChangeBase {
  kind: 'renameField';
  /** The old path; `path` is the new one. They may differ in depth (hoist / plunge). */
  from: FieldPath;
  /** The field as it is at the new path, before any later change in the same set touches it. */
  field: FieldSnapshot;
}
export interface ChangeTypeChange extends ChangeBase {
  kind: 'changeType';
  from: TypeSnapshot;
  to: TypeSnapshot;
}
export interface ChangeNullableChange extends ChangeBase {
  kind: 'changeNullable';
  from: boolean;
  to: boolean;
}
export interface ChangeOptionalChange extends ChangeBase {
  kind: 'changeOptional';
  from: boolean;
  to: boolean;
}
export interface ChangeDefaultChange extends ChangeBase {
  kind: 'changeDefault';
  from?: DefaultSnapshot;
  to?: DefaultSnapshot;
}
/** Column name or SQL type override changed (storage metadata, no change to the value type). */
export interface ChangeColumnChange extends ChangeBase {
  kind: 'changeColumn';
  from: { column?: string; sqlType?: string };
  to: { column?: string; sqlType?: string };
}
export interface AddEnumValuesChange extends ChangeBase {
  kind: 'addEnumValues';
  values: string[];
  /** The complete value lists before and after. */
  before: string[];
  after: string[];
}
export interface RemoveEnumValuesChange extends ChangeBase {
  kind: 'removeEnumValues';
  values: string[];
  before: string[];
  after: string[];
}
export interface AddIndexChange extends ChangeBase {
  kind: 'addIndex';
  index: IndexSnapshot;
}
export interface DropIndexChange extends ChangeBase {
  kind: 'dropIndex';
  index: IndexSnapshot;
}
export interface AddForeignKeyChange extends ChangeBase {
  kind: 'addForeignKey';
  foreignKey: ForeignKeySnapshot;
}
export interface DropForeignKeyChange extends ChangeBase {
  kind: 'dropForeignKey';
  foreignKey: ForeignKeySnapshot;
}

/** One typed change, discriminated by `kind`. */
export type Change =
  | CreateModelChange
  | DropModelChange
  | RenameModelChange
  | RenameTableChange
  | ChangePrimaryKeyChange
  | AddFieldChange
  | DropFieldChange
  | RenameFieldChange
  | ChangeTypeChange
  | ChangeNullableChange
  | ChangeOptionalChange
  | ChangeDefaultChange
  | ChangeColumnChange
  | AddEnumValuesChange
  | RemoveEnumValuesChange
  | AddIndexChange
  | DropIndexChange
  | AddForeignKeyChange
  | DropForeignKeyChange;

export type ChangeKind = Change['kind'];

/** The changes from one snapshot (`from` hash) to the next (`to` hash), in the order they apply. */
export interface ChangeSet {
  from: string;
  to: string;
  changes: Change[];
}
