/** SQLite's five column affinities. */
export type SqliteAffinity = 'integer' | 'text' | 'blob' | 'real' | 'numeric';

/**
 * The affinity SQLite gives a declared column type, by its documented rules
 * (https://sqlite.org/datatype3.html#determination_of_column_affinity), in their order: INT, then
 * CHAR / CLOB / TEXT, then BLOB or no type, then REAL / FLOA / DOUB, else NUMERIC. Two declared types
 * with one affinity store and read every value alike.
 *
 * @example
 * sqliteAffinity('varchar(150)'); // 'text'
 */
export function sqliteAffinity(declared: string): SqliteAffinity {
  const type = declared.toUpperCase();
  if (type.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(type)) return 'text';
  if (type.includes('BLOB') || type.trim() === '') return 'blob';
  if (/REAL|FLOA|DOUB/.test(type)) return 'real';
  return 'numeric';
}
