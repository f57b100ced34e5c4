import { enumCheckValues } from '../../drift/enum-check-values.ts';

// `check (<column> in ('a', 'b'))`, the column quoted ("x", `x`, [x]) or bare
const ENUM_CHECK =
  /check\s*\(\s*(?:"((?:[^"]|"")+)"|`((?:[^`]|``)+)`|\[([^\]]+)\]|([A-Za-z_][A-Za-z0-9_]*))\s+in\s*\(((?:\s*'(?:[^']|'')*'\s*,?)+)\)\s*\)/gi;

/**
 * The enum CHECKs of a SQLite table, read from its CREATE statement (SQLite keeps constraints nowhere else):
 * column -> values, and how many CHECKs the statement has in all (the others are the user's).
 *
 * @example
 * sqliteEnumChecks(`create table t (s text check ("s" in ('a', 'b')))`); // { enums: Map { 's' => ['a', 'b'] }, checks: 1 }
 */
export function sqliteEnumChecks(definition: string): { enums: Map<string, string[]>; checks: number } {
  const enums = new Map<string, string[]>();
  let matched = 0;
  for (const m of definition.matchAll(ENUM_CHECK)) {
    const column =
      m[1] !== undefined
        ? m[1].replace(/""/g, '"')
        : m[2] !== undefined
          ? m[2].replace(/``/g, '`')
          : ((m[3] ?? m[4]) as string);
    const values = enumCheckValues(`in (${m[5]})`);
    if (!values) continue;
    enums.set(column, values);
    matched++;
  }
  const checks = [...definition.matchAll(/\bcheck\s*\(/gi)].length;
  return { enums, checks: Math.max(checks, matched) };
}
