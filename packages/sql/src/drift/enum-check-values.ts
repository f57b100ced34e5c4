/**
 * The values of a CHECK that holds one column to a list of strings, read from the catalog's text of it,
 * in each form a catalog writes it: `CHECK ((status = ANY (ARRAY['a'::text, 'b'::text])))`,
 * `CHECK ((status = 'a'::text))`, `cast(`status` as char charset binary) in ('a','b')`, `"status" in ('a', 'b')`. Undefined
 * for any other CHECK (a comparison, `is not null`, a function): those are the user's, not an enum's.
 *
 * @example
 * enumCheckValues("CHECK ((status = ANY (ARRAY['new'::text, 'it''s'::text])))") // ['new', "it's"]
 */
export function enumCheckValues(clause: string): string[] | undefined {
  const literal = /'((?:[^'\\]|''|\\.)*)'/g;
  // the shape is read with the literals emptied: a value such as 'rock and roll' changes nothing
  const shape = clause.replace(literal, "''");
  const membership = /\bin\s*\(\s*'|=\s*any\s*\(\s*\(?\s*array\s*\[\s*'|(?<![<>!])=\s*'/i;
  const other = /\bnot\s+in\b|<>|!=|\blike\b|\bor\b|\band\b/i;
  if (!membership.test(shape) || other.test(shape)) return undefined;
  const values: string[] = [];
  for (const match of clause.matchAll(literal)) {
    values.push((match[1] as string).replace(/''/g, "'").replace(/\\(.)/g, '$1'));
  }
  return values.length > 0 ? values : undefined;
}
