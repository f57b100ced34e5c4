import { type Kysely, sql } from 'kysely';
import { mysqlCanonicalType } from './mysql-types.ts';

/** An identifier: backquoted (doubled backquotes inside) or bare. */
const ID = '(`(?:[^`]|``)+`|[A-Za-z_][\\w$]*)';
/** A table: `name` or `schema`.`name`. */
const TABLE = `${ID}(?:\\.${ID})?`;
const re = (source: string) => new RegExp(`^\\s*${source}`, 'is');

const ADD_COLUMN = re(`alter\\s+table\\s+${TABLE}\\s+add\\s+(?:column\\s+)?${ID}\\s+(.*)$`);
const CREATE_TABLE = re(`create\\s+table\\s+(?:if\\s+not\\s+exists\\s+)?${TABLE}\\s*\\((.*)\\)`);
const CREATE_INDEX = re(`create\\s+(unique\\s+)?index\\s+${ID}\\s+on\\s+${TABLE}\\s*\\(([^)]*)\\)`);
const ADD_INDEX = re(
  `alter\\s+table\\s+${TABLE}\\s+add\\s+(unique\\s+)?(?:index|key)\\s+${ID}\\s*\\(([^)]*)\\)`,
);
const ADD_FOREIGN_KEY = re(
  `alter\\s+table\\s+${TABLE}\\s+add\\s+constraint\\s+${ID}\\s+foreign\\s+key\\s*\\(([^)]*)\\)\\s*references\\s+${TABLE}\\s*\\(([^)]*)\\)`,
);
const RENAME_COLUMN = re(`alter\\s+table\\s+${TABLE}\\s+rename\\s+column\\s+${ID}\\s+to\\s+${ID}`);
/** A column type at the start of a column definition: `varchar(20)`, `double precision`, `int unsigned`. */
const TYPE = /^([a-z]+(?:\s+(?:precision|varying))?(?:\s*\([^)]*\))?(?:\s+unsigned)?)/i;

/** Table exists (1050), duplicate column (1060), duplicate key name (1061), duplicate foreign key (1826). */
const CREATED = { table: 1050, column: 1060, index: 1061, foreignKey: 1826 } as const;
/** Unknown table on drop (1051), can't drop a missing column or key (1091), unknown column (1054). */
const GONE = new Set([1051, 1091]);

interface Table {
  schema: string | undefined;
  name: string;
}

/**
 * MySQL / MariaDB: whether the object that made `statement` fail as "already there" is the one the
 * statement creates. Names are compared with their case (the server compares column and index names
 * without it, so `Name` beside `name` must not pass), a column's type, an index's columns and
 * uniqueness, a foreign key's columns and target, a table's column names. A drop that found nothing to
 * drop reached its end state and passes. A statement it cannot read does not pass.
 *
 * @example
 * await confirmMysqlApplied(conn, 'alter table `users` add column `email` varchar(255)', { errno: 1060 })
 */
export async function confirmMysqlApplied(
  conn: Kysely<any>,
  statement: string,
  error: unknown,
): Promise<boolean> {
  const errno = (error as { errno?: unknown } | null)?.errno;
  if (typeof errno !== 'number') return false;
  if (GONE.has(errno)) return true;
  for (const check of CHECKS) {
    const m = check.errno === errno ? statement.match(check.pattern) : null;
    if (m) return check.matches(conn, m);
  }
  return false;
}

type Groups = RegExpMatchArray;

/** For each "already there" error, the statements it can come from and how to compare the object. */
const CHECKS: {
  errno: number;
  pattern: RegExp;
  matches(conn: Kysely<any>, m: Groups): Promise<boolean>;
}[] = [
  {
    errno: CREATED.column,
    pattern: ADD_COLUMN,
    async matches(conn, m) {
      const type = m[4]!.match(TYPE)?.[1];
      const name = unquote(m[3]!);
      const column = (await columnsOf(conn, table(m[1], m[2]))).find((c) => c.name === name);
      return !!type && !!column && mysqlCanonicalType(type) === mysqlCanonicalType(column.type);
    },
  },
  {
    errno: CREATED.table,
    pattern: CREATE_TABLE,
    async matches(conn, m) {
      const wanted = columnNames(m[3]!);
      const existing = (await columnsOf(conn, table(m[1], m[2]))).map((c) => c.name);
      return wanted.length > 0 && sameList([...wanted].sort(), [...existing].sort());
    },
  },
  {
    errno: CREATED.index,
    pattern: CREATE_INDEX,
    matches: (conn, m) =>
      indexMatches(conn, table(m[3], m[4]), unquote(m[2]!), { unique: !!m[1], columns: idList(m[5]!) }),
  },
  {
    errno: CREATED.index,
    pattern: ADD_INDEX,
    matches: (conn, m) =>
      indexMatches(conn, table(m[1], m[2]), unquote(m[4]!), { unique: !!m[3], columns: idList(m[5]!) }),
  },
  {
    errno: CREATED.foreignKey,
    pattern: ADD_FOREIGN_KEY,
    matches: (conn, m) =>
      foreignKeyMatches(conn, table(m[1], m[2]), unquote(m[3]!), {
        columns: idList(m[4]!),
        references: table(m[5], m[6]).name,
        referencedColumns: idList(m[7]!),
      }),
  },
  {
    // a column rename that already happened reports its old name as unknown
    errno: 1054,
    pattern: RENAME_COLUMN,
    async matches(conn, m) {
      const names = (await columnsOf(conn, table(m[1], m[2]))).map((c) => c.name);
      return names.includes(unquote(m[4]!)) && !names.includes(unquote(m[3]!));
    },
  },
];

function unquote(name: string): string {
  return name.startsWith('`') ? name.slice(1, -1).replaceAll('``', '`') : name;
}

function table(first: string | undefined, second: string | undefined): Table {
  return second === undefined
    ? { schema: undefined, name: unquote(first!) }
    : { schema: unquote(first!), name: unquote(second) };
}

/** `a`, `b`(10) desc -> ['a', 'b'] (prefix lengths and sort orders dropped). */
function idList(text: string): string[] {
  return text.split(',').flatMap((item) => {
    const m = item.match(new RegExp(`^\\s*${ID}`));
    return m ? [unquote(m[1]!)] : [];
  });
}

/** The column names of a CREATE TABLE body: each top-level item that starts with an identifier. */
function columnNames(body: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let quoted: string | undefined;
  let current = '';
  for (const char of body) {
    if (quoted) {
      if (char === quoted) quoted = undefined;
    } else if (char === '`' || char === "'" || char === '"') quoted = char;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      items.push(current);
      current = '';
      continue;
    }
    current += char;
  }
  items.push(current);
  return items.flatMap((item) => {
    const m = item.match(new RegExp(`^\\s*${ID}`));
    return m ? [unquote(m[1]!)] : [];
  });
}

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i]);

const schemaOf = (t: Table) => (t.schema === undefined ? sql`database()` : sql`${t.schema}`);

async function columnsOf(conn: Kysely<any>, t: Table): Promise<{ name: string; type: string }[]> {
  const { rows } = await sql<{ name: string; type: string }>`
    select column_name as name, column_type as type from information_schema.columns
    where table_schema = ${schemaOf(t)} and table_name = ${t.name}
    order by ordinal_position`.execute(conn);
  return rows.map((r) => ({ name: String(r.name), type: String(r.type) }));
}

async function indexMatches(
  conn: Kysely<any>,
  t: Table,
  name: string,
  wanted: { unique: boolean; columns: string[] },
): Promise<boolean> {
  const { rows } = await sql<{ name: string; column: string; non_unique: number | string }>`
    select index_name as name, column_name as \`column\`, non_unique from information_schema.statistics
    where table_schema = ${schemaOf(t)} and table_name = ${t.name} and index_name = ${name}
    order by seq_in_index`.execute(conn);
  const own = rows.filter((r) => String(r.name) === name);
  return (
    own.length > 0 &&
    sameList(
      own.map((r) => String(r.column)),
      wanted.columns,
    ) &&
    (Number(own[0]!.non_unique) === 0) === wanted.unique
  );
}

async function foreignKeyMatches(
  conn: Kysely<any>,
  t: Table,
  name: string,
  wanted: { columns: string[]; references: string; referencedColumns: string[] },
): Promise<boolean> {
  const { rows } = await sql<{ name: string; column: string; target: string; target_column: string }>`
    select constraint_name as name, column_name as \`column\`, referenced_table_name as target,
      referenced_column_name as target_column
    from information_schema.key_column_usage
    where table_schema = ${schemaOf(t)} and table_name = ${t.name} and constraint_name = ${name}
      and referenced_table_name is not null
    order by ordinal_position`.execute(conn);
  const own = rows.filter((r) => String(r.name) === name);
  return (
    own.length > 0 &&
    own.every((r) => String(r.target) === wanted.references) &&
    sameList(
      own.map((r) => String(r.column)),
      wanted.columns,
    ) &&
    sameList(
      own.map((r) => String(r.target_column)),
      wanted.referencedColumns,
    )
  );
}
