/** A JSON value as it appears in snapshots and change sets. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The snapshot format's own version; bumped when the shape below changes. */
export const SNAPSHOT_FORMAT = 1;

/** A field's value type, independent of nullability and optionality. */
export type TypeSnapshot =
  | {
      kind: 'string';
      maxLength?: number;
      format?: 'uuid' | 'email' | 'url' | 'datetime';
      /**
       * Set by `toSnapshot` on a column of an sql model without `.max()` (nor `sqlType`): no length limit on
       * any engine (longtext where a text column without a limit is a type of its own, which cannot be
       * indexed). Absent in snapshots written before evolve had it: such a column is varchar(255) there, and
       * the diff to the new snapshot changes its type (longtext there, nothing to do elsewhere).
       */
      unbounded?: true;
    }
  | { kind: 'number'; integer: boolean }
  | { kind: 'bigint' }
  | { kind: 'boolean' }
  | { kind: 'date' }
  | { kind: 'enum'; values: string[] }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'array'; element: FieldSnapshot }
  | { kind: 'object'; fields: Record<string, FieldSnapshot> }
  | { kind: 'json' };

export type TypeKind = TypeSnapshot['kind'];

/**
 * A default value: a constant (stored as JSON), or a dynamic one (a zod default function such as
 * `() => new Date()`), which the database cannot express and evolve fills in when rows are backfilled.
 */
export type DefaultSnapshot = { value: JsonValue } | { dynamic: true };

/** One field (or an array element, whose `optional` is always false). */
export interface FieldSnapshot {
  type: TypeSnapshot;
  nullable: boolean;
  optional: boolean;
  default?: DefaultSnapshot;
  /** SQL column name when it differs from the field name (`.meta({ column })`). */
  column?: string;
  /** SQL type override (`.meta({ sqlType })`), used verbatim by the SQL planner. */
  sqlType?: string;
  /**
   * The database assigns the value when an insert leaves it out (`.meta({ generated: 'identity' })`): only on
   * the single-column integer or bigint primary key of an sql model (an identity, auto-increment or
   * rowid-alias column, as each dialect writes it). Absent in
   * snapshots written before evolve had it, which keep their hashes.
   */
  generated?: FieldGenerated;
}

/** How the database generates a key: `identity` (an ascending integer). */
export type FieldGenerated = 'identity';

export interface IndexSnapshot {
  name: string;
  fields: string[];
  unique: boolean;
}

export type OnDeleteAction = 'cascade' | 'restrict' | 'set null' | 'no action';

export interface ForeignKeySnapshot {
  name: string;
  fields: string[];
  references: { model: string; fields: string[] };
  onDelete: OnDeleteAction;
}

export type ModelTarget = 'sql' | 'document';

export interface ModelSnapshot {
  name: string;
  target: ModelTarget;
  /** Table or collection name. */
  table: string;
  primaryKey: string[];
  /** Fields by name, keys sorted. */
  fields: Record<string, FieldSnapshot>;
  /**
   * The top-level field names in column order: declaration order from `toSnapshot`, new fields appended by
   * `applyChanges`. Not part of the hash (a reordered declaration is no schema change: tables keep their
   * columns); omitted when it is the derived order, the primary key then the other fields by name, which is
   * how evolve created tables before it kept the order (so older snapshots and migrations stay valid).
   * Read it with `fieldOrderOf`.
   */
  fieldOrder?: string[];
  /** Sorted by name. */
  indexes: IndexSnapshot[];
  /** Sorted by name. */
  foreignKeys: ForeignKeySnapshot[];
}

/**
 * Rename hints carried from the model definitions to `diff`. They are not part of the schema:
 * they are excluded from the hash and from the serialized snapshot.
 * `models` maps new model name -> old name; `fields` maps `Model.new.path` -> old path (dotted, from the model root).
 */
export interface RenameHints {
  models: Record<string, string>;
  fields: Record<string, string>;
}

/** The canonical description of every model at one version. */
export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  /** Models by name, keys sorted. */
  models: Record<string, ModelSnapshot>;
  /** sha256 of the canonical JSON of `{ format, models }`. */
  hash: string;
  hints?: RenameHints;
}
