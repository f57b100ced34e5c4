import { type CompiledQuery, sql } from 'kysely';
import type { ChangeLogSpec } from './change-log-sql.ts';
import { dataType } from './column-definition.ts';
import type { DialectCapabilities } from './dialect-capabilities.ts';
import { idList } from './sql-fragments.ts';

/** The log's sequence column: ascending, so the catch-up drains in write order and deletes exactly what it read. */
export const LOG_SEQUENCE = 'evolve_seq';

/**
 * CREATE TABLE IF NOT EXISTS for a change log: the sequence column (its type and primary-key clause given
 * by the dialect) and the table's key columns, NOT NULL, without further indexes (the log is drained by
 * its primary key).
 */
export function createLogTable(
  module: Pick<DialectCapabilities, 'db' | 'columnType'>,
  spec: ChangeLogSpec,
  sequence: string,
): CompiledQuery {
  const columns = spec.key.map((k) => sql`${sql.id(k.name)} ${dataType(module, k.spec)} not null`);
  return sql`create table if not exists ${sql.table(spec.log)} (${sql.id(LOG_SEQUENCE)} ${sql.raw(sequence)}, ${sql.join(columns)})`.compile(
    module.db,
  );
}

/** `insert into <log> (<key>) values (NEW.<key>...)`: the statement every trigger of a change log runs. */
export function insertLogged(spec: ChangeLogSpec) {
  const names = spec.key.map((k) => k.name);
  return sql`insert into ${sql.table(spec.log)} (${idList(names)}) values (${sql.join(names.map((n) => sql`NEW.${sql.id(n)}`))})`;
}

/** `NEW.c is null and OLD.c is not null or ...`: an update that undoes a NULL fill. */
export function undoesNullFill(spec: ChangeLogSpec) {
  return sql.join(
    spec.nullFills.map((c) => sql`(NEW.${sql.id(c)} is null and OLD.${sql.id(c)} is not null)`),
    sql` or `,
  );
}

/** `OLD.c is distinct from NEW.c or ...` (in the dialect's words): an update that changes an in-place column. */
export function changesInPlace(
  spec: ChangeLogSpec,
  distinct: (column: { name: string; text: boolean }) => ReturnType<typeof sql>,
) {
  return sql.join(
    spec.inPlace.map((c) => sql`(${distinct(c)})`),
    sql` or `,
  );
}
