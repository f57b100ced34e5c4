import { describe, expect, it } from 'vitest';
import { enumCheckValues } from '../src/drift/enum-check-values.ts';

describe('enumCheckValues', () => {
  it("reads the values of each engine's text of an enum CHECK", () => {
    expect(enumCheckValues("CHECK ((status = ANY (ARRAY['new'::text, 'it''s'::text])))")).toEqual([
      'new',
      "it's",
    ]);
    expect(
      enumCheckValues(
        "CHECK (((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[])))",
      ),
    ).toEqual(['a', 'b']);
    expect(enumCheckValues("CHECK ((status = 'a'::text))")).toEqual(['a']);
    expect(enumCheckValues("cast(`status` as char charset binary) in ('a','it\\'s')")).toEqual(['a', "it's"]);
    expect(enumCheckValues("cast(`status` as char charset binary) = 'a'")).toEqual(['a']);
    expect(enumCheckValues(`in ('a', 'b')`)).toEqual(['a', 'b']);
    expect(enumCheckValues(`"genre" in ('rock and roll', 'not in', 'x <> y')`)).toEqual([
      'rock and roll',
      'not in',
      'x <> y',
    ]);
  });

  it('ignores CHECKs that are no enum: NOT NULL, comparisons, exclusions, JSON validity', () => {
    expect(enumCheckValues('CHECK ((score IS NOT NULL))')).toBeUndefined();
    expect(enumCheckValues('CHECK ((price > 0))')).toBeUndefined();
    expect(enumCheckValues("CHECK ((status <> 'x'::text))")).toBeUndefined();
    expect(enumCheckValues("`status` not in ('x')")).toBeUndefined();
    expect(enumCheckValues("CHECK ((status = 'a'::text) OR (status = 'b'::text))")).toBeUndefined();
    expect(enumCheckValues('json_valid(`prefs`)')).toBeUndefined();
  });
});
