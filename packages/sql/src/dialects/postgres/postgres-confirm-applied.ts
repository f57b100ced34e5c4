import { type Kysely, sql } from 'kysely';

/** An identifier: double-quoted (doubled quotes inside) or bare. */
const ID = '("(?:[^"]|"")+"|[A-Za-z_][\\w$]*)';
/** The index builds evolve runs outside a transaction (`compile-postgres-step.ts`, createIndex). */
const CREATE_INDEX_CONCURRENTLY = new RegExp(
  `^\\s*create\\s+(unique\\s+)?index\\s+concurrently\\s+${ID}\\s+on\\s+(${ID}(?:\\.${ID})?)\\s*\\(([^)]*)\\)\\s*$`,
  'is',
);
/** duplicate_table: "relation ... already exists", which an index name taken also raises. */
const DUPLICATE_RELATION = '42P07';

/** Whether `error` is an index build finding its name taken (the only PostgreSQL DDL evolve runs unrecorded). */
export function isPostgresAlreadyApplied(error: unknown, statement: string): boolean {
  return (
    (error as { code?: unknown } | null)?.code === DUPLICATE_RELATION &&
    CREATE_INDEX_CONCURRENTLY.test(statement)
  );
}

/**
 * PostgreSQL: whether the index that made a `create index concurrently` fail is the one the statement
 * builds, finished by an earlier attempt of ours that the progress row recorded as under way: a VALID
 * index of that name on the same table, same columns in order, same uniqueness. Any other object of that
 * name is someone else's and fails the step, so a user's index is never mistaken for ours.
 *
 * @example
 * await confirmPostgresApplied(conn, 'create unique index concurrently "users_email_key" on "users" ("email")', { code: '42P07' })
 */
export async function confirmPostgresApplied(
  conn: Kysely<any>,
  statement: string,
  error: unknown,
): Promise<boolean> {
  if (!isPostgresAlreadyApplied(error, statement)) return false;
  return (await ourIndex(conn, statement))?.valid === true;
}

/**
 * PostgreSQL: before a `create index concurrently` that an earlier attempt of ours recorded as under way
 * runs again, drops (concurrently) the INVALID index that attempt left if it was interrupted (a lock
 * timeout, a duplicate key, a killed process): same name, table, columns and uniqueness as the statement
 * builds. A valid index, or one that differs, is left alone (the build then reports it).
 *
 * @example
 * await clearPostgresInterrupted(conn, 'create index concurrently "users_email_idx" on "users" ("email")')
 */
export async function clearPostgresInterrupted(conn: Kysely<any>, statement: string): Promise<void> {
  const index = await ourIndex(conn, statement);
  if (!index || index.valid) return;
  await sql`drop index concurrently if exists ${sql.id(...index.qualifiedName)}`.execute(conn);
}

/** The index named by a concurrent index build, if one of that name exists with the definition it builds. */
async function ourIndex(
  conn: Kysely<any>,
  statement: string,
): Promise<{ valid: boolean; qualifiedName: string[] } | undefined> {
  const m = statement.match(CREATE_INDEX_CONCURRENTLY);
  if (!m) return undefined;
  const name = unquote(m[2]!);
  const { rows } = await sql<{ valid: boolean; unique: boolean; columns: string[]; schema: string }>`
    select i.indisvalid as valid, i.indisunique as unique, n.nspname as schema,
      array(
        select a.attname::text from unnest(i.indkey) with ordinality as k(attnum, n)
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
        order by k.n
      ) as columns
    from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_namespace n on n.oid = ic.relnamespace
    where i.indrelid = to_regclass(${m[3]!}) and ic.relname = ${name}`.execute(conn);
  const index = rows[0];
  const columns = m[6]!.split(',').map((c) => unquote(c.trim()));
  const same =
    index &&
    index.unique === !!m[1] &&
    index.columns.length === columns.length &&
    index.columns.every((c, i) => c === columns[i]);
  return same ? { valid: index.valid, qualifiedName: [index.schema, name] } : undefined;
}

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replaceAll('""', '"') : name;
}
