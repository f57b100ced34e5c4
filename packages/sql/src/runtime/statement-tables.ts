import type { CompiledQuery } from 'kysely';

/** An identifier: quoted ("x" or `x`, doubled quotes inside) or bare. */
const PART = String.raw`(?:"(?:[^"]|"")+"|\`(?:[^\`]|\`\`)+\`|[A-Za-z_][\w$]*)`;
/** A table name, optionally schema-qualified. */
const NAME = String.raw`${PART}(?:\.${PART})?`;

const TABLE_AFTER = new RegExp(
  String.raw`\b(?:alter\s+table(?:\s+if\s+exists)?(?:\s+only)?|create\s+(?:temporary\s+)?table(?:\s+if\s+not\s+exists)?|drop\s+table(?:\s+if\s+exists)?|references|(?<!\bon\s+)update(?!\s+(?:of|on|set)\b)|insert\s+into|delete\s+from|index\s+(?:concurrently\s+)?(?:if\s+not\s+exists\s+)?${PART}\s+on(?:\s+only)?)\s+(${NAME})`,
  'gi',
);

/**
 * The tables a step's statements work on, read from their compiled SQL (ALTER/CREATE/DROP TABLE,
 * CREATE INDEX ... ON, REFERENCES, UPDATE, INSERT INTO, DELETE FROM), unquoted, in order of appearance. Only for
 * messages (which table a lock wait was about), so a statement it cannot read just adds nothing.
 *
 * @example
 * import { CompiledQuery } from 'kysely';
 * statementTables([CompiledQuery.raw('alter table "users" add column "email" text')]) // ['users']
 */
export function statementTables(statements: readonly CompiledQuery[]): string[] {
  const tables = new Set<string>();
  for (const statement of statements) {
    for (const match of statement.sql.matchAll(TABLE_AFTER)) tables.add(unquote(match[1]!));
  }
  return [...tables];
}

const CREATED = new RegExp(
  String.raw`\bcreate\s+(?:temporary\s+)?table(?:\s+if\s+not\s+exists)?\s+(${NAME})`,
  'gi',
);

/**
 * The tables a step's statements create (CREATE TABLE), unquoted.
 *
 * @example
 * import { CompiledQuery } from 'kysely';
 * createdTables([CompiledQuery.raw('create table "tags" (id int)')]) // ['tags']
 */
export function createdTables(statements: readonly CompiledQuery[]): string[] {
  return statements.flatMap((s) => [...s.sql.matchAll(CREATED)].map((m) => unquote(m[1]!)));
}

const PARTS = new RegExp(PART, 'g');

function unquote(name: string): string {
  return [...name.matchAll(PARTS)]
    .map(([part]) => {
      const quote = part[0]!;
      return quote === '"' || quote === '`' ? part.slice(1, -1).replaceAll(quote + quote, quote) : part;
    })
    .join('.');
}
