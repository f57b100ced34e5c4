import { EvolveError, type Row } from '@evolve/core';
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { BulkCasStatement } from './sql-bulk-cas.ts';

/**
 * How one SQL dialect stores JSON documents and reads values at a path. Shared code (filters, the
 * store) only calls these hooks; it never checks the dialect's name.
 */
export interface SqlJsonDialect {
  /** Column type of the document column. */
  readonly docType: 'jsonb' | 'text';
  /**
   * Column type of the id column: text compared byte for byte, so that keyset order by id is byte order
   * whatever the database's default collation.
   */
  readonly idType: RawBuilder<unknown> | 'text';
  /** The LIMIT that means none, for an OFFSET without a limit. */
  readonly noLimit: RawBuilder<unknown>;
  /** Encodes a document for writing into the document column. */
  encode(doc: Row): RawBuilder<unknown>;
  /** Decodes a document column value as read by the driver. */
  decode(raw: unknown): Row;
  /** The value at a path, for ordering. */
  sortValue(doc: RawBuilder<unknown>, path: string): RawBuilder<unknown>;
  /** True when the path holds any value, JSON null included. */
  present(doc: RawBuilder<unknown>, path: string): RawBuilder<SqlBool>;
  /** True when the path holds JSON null (not when it is missing). */
  isJsonNull(doc: RawBuilder<unknown>, path: string): RawBuilder<SqlBool>;
  /** Typed equality with a non-null value (never SQL NULL). */
  equals(doc: RawBuilder<unknown>, path: string, value: unknown): RawBuilder<SqlBool>;
  /** Typed comparison with a number or string (never SQL NULL). */
  compare(
    doc: RawBuilder<unknown>,
    path: string,
    op: '>' | '>=' | '<' | '<=',
    value: number | string,
  ): RawBuilder<SqlBool>;
  /** Whether UPDATE can lock the row it is about to change (`select ... for update`). */
  readonly lockForUpdate: boolean;
  /**
   * Whether write transactions must take the write lock when they begin (`begin immediate`):
   * a deferred transaction that reads and then writes can deadlock with another process and fail at once
   * with "database is locked" instead of waiting.
   */
  readonly lockOnBegin: boolean;
  /** One statement for a batch of compare-and-set writes (see `sql-bulk-cas.ts`). */
  readonly bulkCompareAndSet: BulkCasStatement;
}

export function segmentsOf(path: string): string[] {
  const segments = path.split('.');
  if (segments.some((s) => s.length === 0)) {
    throw new EvolveError('UNSUPPORTED_CHANGE', `invalid field path "${path}"`, { path });
  }
  return segments;
}

export const OPERATORS = { '>': sql.raw('>'), '>=': sql.raw('>='), '<': sql.raw('<'), '<=': sql.raw('<=') };

export function jsonTypeOf(value: unknown): 'number' | 'string' | 'boolean' | 'object' | 'array' {
  if (typeof value === 'number') return 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (value !== null && typeof value === 'object') return 'object';
  throw new EvolveError('UNSUPPORTED_CHANGE', `cannot compare with a ${typeof value} in SQL JSON`);
}
