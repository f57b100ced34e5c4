import type { FieldGenerated, JsonValue, OnDeleteAction, TypeSnapshot } from '@evolve/core';
import type { SqlDialect } from '../compiled-step.ts';

/**
 * A column as a migration step declares it: the model-level type (mapped to each dialect's SQL type when the
 * step is compiled), nullability, an optional constant default, and an optional verbatim SQL type override.
 */
export interface ColumnSpec {
  type: TypeSnapshot;
  nullable: boolean;
  /** A constant default (a column DEFAULT). Dynamic defaults are filled by backfills, never by the database. */
  default?: JsonValue;
  /** Used verbatim instead of the mapped type (`.meta({ sqlType })`). */
  sqlType?: string;
  /**
   * The database fills the column when an insert leaves it out (a generated key: an identity,
   * auto-increment or rowid-alias column, as the dialect's `generatedColumn` writes it).
   */
  generated?: FieldGenerated;
}

/** Where a backfilled column's value comes from, as written in a migration file. */
export type BackfillValue =
  | { transform: string; onlyNull?: boolean }
  | { value: JsonValue; onlyNull?: boolean }
  | { expression: string; onlyNull?: boolean }
  /**
   * Moves a value inside JSON columns without a TS transform: `from` and `to` are `column.json.path`
   * (a plain `column` for a column of its own). Within one column the key is moved; out of a column
   * (hoist) the value is extracted; into one (plunge) it is set. Compiled to each dialect's JSON functions.
   */
  | { moveJson: { from: string; to: string }; onlyNull?: boolean };

export interface ForeignKeySpec {
  columns: string[];
  references: { table: string; columns: string[] };
  onDelete: OnDeleteAction;
}

/**
 * One high-level, dialect-agnostic step of a migration's SQL section. Steps name tables and columns as they
 * are when the step runs (after the steps before it); `backfill` names the model so the runner finds its
 * transforms. Every step is plain frozen data, built by the constructor functions of the same name.
 */
export type SqlStep =
  | {
      kind: 'createTable';
      table: string;
      model: string;
      columns: Record<string, ColumnSpec>;
      primaryKey: string[];
    }
  | { kind: 'dropTable'; table: string }
  | { kind: 'renameTable'; table: string; to: string }
  | { kind: 'addColumn'; table: string; column: string; spec: ColumnSpec }
  | { kind: 'dropColumn'; table: string; column: string }
  | { kind: 'renameColumn'; table: string; column: string; to: string }
  | {
      kind: 'alterColumnType';
      table: string;
      column: string;
      type: TypeSnapshot;
      sqlType?: string;
      /** Whether the change rewrites the table (a full scan and copy under lock on most engines). */
      rewrite: boolean;
      /** The conversion can lose data (narrowing). */
      lossy?: boolean;
    }
  | { kind: 'setNotNull'; table: string; column: string }
  | { kind: 'dropNotNull'; table: string; column: string }
  | { kind: 'setDefault'; table: string; column: string; value: JsonValue }
  | { kind: 'dropDefault'; table: string; column: string }
  | { kind: 'createIndex'; table: string; name: string; columns: string[]; unique: boolean }
  | { kind: 'dropIndex'; table: string; name: string }
  | ({ kind: 'addForeignKey'; table: string; name: string } & ForeignKeySpec)
  | { kind: 'validateForeignKey'; table: string; name: string }
  | {
      /**
       * Checks the existing rows against an enum column's CHECK, after a change of its values (where the
       * new CHECK was added NOT VALID, or changed instantly, nothing read the rows then).
       */
      kind: 'validateEnumCheck';
      table: string;
      column: string;
      /** Values the change removed: the step is then destructive (acknowledged at the field's path). */
      removed?: string[];
    }
  | { kind: 'dropForeignKey'; table: string; name: string }
  | { kind: 'changePrimaryKey'; table: string; columns: string[] }
  /**
   * Makes the key column generated (`addIdentity`), numbering new rows after the largest key already there,
   * or stops it being so (`dropIdentity`); existing values stay.
   */
  | { kind: 'addIdentity'; table: string; column: string }
  | { kind: 'dropIdentity'; table: string; column: string }
  | { kind: 'backfill'; model: string; table: string; set: Record<string, BackfillValue> }
  | ({
      kind: 'rawSql';
      /** Default true. */
      transactional?: boolean;
      description?: string;
    } & RawSqlByDialect);

/** Hand-written SQL keyed by dialect name; a dialect without an entry cannot run the step. */
export type RawSqlByDialect = { [D in SqlDialect]?: string };

export type SqlStepKind = SqlStep['kind'];

/** Step kinds that drop data (refused by the runner unless the migration acknowledges them). */
export const DESTRUCTIVE_STEPS: ReadonlySet<SqlStepKind> = new Set(['dropTable', 'dropColumn']);

/**
 * Whether a step loses data when it runs.
 *
 * @example
 * planSqlSteps(changeSet, { before: prev }).filter(isDestructiveStep); // the drops a migration must acknowledge
 */
export function isDestructiveStep(step: SqlStep): boolean {
  return (
    DESTRUCTIVE_STEPS.has(step.kind) ||
    (step.kind === 'alterColumnType' && step.lossy === true) ||
    (step.kind === 'validateEnumCheck' && (step.removed?.length ?? 0) > 0)
  );
}
