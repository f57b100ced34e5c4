import type { JsonValue } from '@evolve/core';
import type { ColumnDefinitionBuilder, CompiledQuery, Expression, Kysely } from 'kysely';
import type { CompiledStep, SqlDialect } from '../../compiled-step.ts';
import type { LiveSchema } from '../../drift/live-schema.ts';
import type { ColumnSpec, SqlStep } from '../../steps/sql-step.ts';
import type { SchemaState } from './table-state.ts';

/** What a dialect can do; shared code asks these instead of checking a dialect's name. */
export interface DialectCapabilities {
  /** DDL runs inside transactions and rolls back (PostgreSQL, SQLite; not MySQL). */
  transactionalDdl: boolean;
  /** CREATE INDEX CONCURRENTLY outside a transaction. */
  concurrentIndexes: boolean;
  /** Constraints can be added NOT VALID and validated later. */
  notValidConstraints: boolean;
  /** ALTER can change a column's type, nullability and default; without it the table is rebuilt. */
  alterColumns: boolean;
  /**
   * An enum column's CHECK is declared in its column definition under evolve's name
   * (`constraint <table>_<column>_enum check (...)`: PostgreSQL, SQLite); without it the CHECK is written
   * unnamed in the column definition and the server names it after the column (MariaDB, where changing
   * such a CHECK with MODIFY COLUMN is ALGORITHM=INSTANT; see `enum-check.ts`).
   */
  namedColumnChecks: boolean;
  /**
   * `=` and `in` on text follow the column's collation, which ignores case and trailing spaces by default
   * (MySQL/MariaDB): an exact comparison needs BINARY.
   */
  collatedTextComparison: boolean;
  /**
   * A single-column INTEGER primary key is filled by the database whenever an insert leaves it out, generated
   * or not (SQLite's rowid alias): such a key that the model does not mark generated is no drift.
   */
  integerKeysGenerate: boolean;
}

/** The state a dialect compiler sees for one step: the schema as it is just before the step runs. */
export interface CompileContext {
  state: SchemaState;
  module: DialectModule;
  /** Lock timeout for DDL on dialects that support one (PostgreSQL `SET LOCAL lock_timeout`). */
  lockTimeoutMs: number;
}

/** One dialect: capabilities, type mapping, a step compiler and a live-schema reader. */
export interface DialectModule {
  readonly dialect: SqlDialect;
  readonly capabilities: DialectCapabilities;
  /** A Kysely instance with a DummyDriver: compiles builders, never connects. */
  readonly db: Kysely<any>;
  /** The SQL type of a column (`spec.sqlType` wins). */
  columnType(spec: Pick<ColumnSpec, 'type' | 'sqlType'>): string;
  /** Marks a column definition generated (`ColumnSpec.generated`): identity, AUTO_INCREMENT, or nothing. */
  generatedColumn(column: ColumnDefinitionBuilder): ColumnDefinitionBuilder;
  /** The DEFAULT expression for a constant value of a column. */
  defaultExpression(spec: ColumnSpec, value: JsonValue): Expression<unknown>;
  /** Compiles one step against the schema as it is before the step. */
  compileStep(step: SqlStep, context: CompileContext): CompiledStep[];
  /**
   * Optionally compiles several leading steps at once (SQLite merges consecutive rebuilds of one table);
   * undefined to compile the first step alone.
   */
  compileRun?(
    steps: readonly SqlStep[],
    context: CompileContext,
  ): { compiled: CompiledStep[]; consumed: number } | undefined;
  /**
   * Optionally reorders a migration's steps before they compile, to the same result (SQLite puts each
   * table's rebuild steps next to each other, so they compile to one rebuild).
   */
  orderSteps?(steps: readonly SqlStep[], context: CompileContext): SqlStep[];
  /** The set-based expression moving a JSON value (see `moveJson`), for the target column. */
  moveJsonExpression(move: JsonMove, target: ColumnSpec): Expression<unknown>;
  /** Reads tables, columns, keys and indexes of the live database (for drift). */
  introspect(db: Kysely<any>): Promise<LiveSchema>;
  /** A type name in the form the catalog reports it (`varchar(20)` -> `character varying(20)`). */
  canonicalType(type: string): string;
  /** The constant a catalog default expression stands for, as text (`'a''b'::text` -> `a'b`). */
  defaultText(expression: string): string;
  /** How a constant default is stored, as text comparable with `defaultText` (true -> '1' on MySQL). */
  expectedDefaultText(spec: ColumnSpec, value: JsonValue): string;
}

/** A resolved `moveJson`: columns and the JSON paths inside them (empty path: the column itself). */
export interface JsonMove {
  from: { column: string; path: string[] };
  to: { column: string; path: string[] };
}

export type { CompiledQuery };
