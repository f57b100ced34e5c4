import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPulledSchema, type PulledModel, renderModels, toSnapshot } from '@evolve/core';
import { afterAll, expect, it } from 'vitest';
import { constantDefault } from '../src/pull/constant-default.ts';

const TMP = fileURLToPath(new URL('./.tmp-pull-render', import.meta.url));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));

// values a database may hold that would end a string literal or a comment line if written raw
// biome-ignore lint/suspicious/noTemplateCurlyInString: a `${...}` that must stay text is the point
const HOSTILE = "it's \\ \n*/ ${x} \u2028 `tick`";

const models: PulledModel[] = [
  {
    name: 'Things',
    table: 'things',
    primaryKey: ['code'],
    fields: [
      ['code', { base: 'string', max: 20, nullable: false }],
      ['kind', { base: 'enum', values: ['plain', HOSTILE], nullable: false, default: HOSTILE }],
      ['note', { base: 'string', nullable: true, default: HOSTILE }],
      ['data', { base: 'json', nullable: false, default: { [HOSTILE]: [HOSTILE, 1, null] } }],
      ['at', { base: 'date', sqlType: 'timestamp', nullable: true, default: '2024-01-02T03:04:05.006Z' }],
      ['big', { base: 'bigint', nullable: false, default: '-9007199254740993' }],
    ],
    indexes: [{ fields: ['kind', 'note'], unique: true, name: 'things_kind_note_uq' }],
    foreignKeys: [],
  },
];

it('writes a models file that evaluates to the pulled snapshot, whatever the names, values and notes hold', async () => {
  const notes = [
    { table: 'things', item: 'x', kind: 'skipped' as const, reason: `${HOSTILE}\nthrow new Error('ran')` },
  ];
  const source = renderModels(models, notes);
  mkdirSync(TMP, { recursive: true });
  const file = join(TMP, 'models.ts');
  writeFileSync(file, source);
  const loaded = toSnapshot((await import(file)).default);
  const built = toSnapshot(buildPulledSchema(models));
  expect(loaded.hash).toBe(built.hash);
  expect(loaded.models.Things?.fields.kind?.type).toEqual({ kind: 'enum', values: ['plain', HOSTILE] });
  expect(loaded.models.Things?.fields.big?.default).toEqual({ value: '-9007199254740993' });
  // the note stays on comment lines
  for (const line of source.split('\n').filter((l) => l.includes('throw new Error'))) {
    expect(line.startsWith('// ')).toBe(true);
  }
});

it('reads constants out of catalog default expressions and refuses expressions', () => {
  expect(constantDefault("'it''s'::text", 'string')).toBe("it's");
  expect(constantDefault('\'{"a": 1}\'::jsonb', 'json')).toEqual({ a: 1 });
  expect(constantDefault('(-5)', 'int')).toBe(-5);
  expect(constantDefault('1.5', 'int')).toBeUndefined();
  expect(constantDefault("'2024-02-03 04:05:06.007+00'::timestamp with time zone", 'date')).toBe(
    '2024-02-03T04:05:06.007Z',
  );
  expect(constantDefault('true', 'boolean')).toBe(true);
  expect(constantDefault('0', 'boolean')).toBe(false);
  expect(constantDefault('12345678901234567890', 'bigint')).toBe('12345678901234567890');
  expect(constantDefault('now()', 'date')).toBeUndefined();
  expect(constantDefault("nextval('t_id_seq'::regclass)", 'int')).toBeUndefined();
  expect(constantDefault('CURRENT_TIMESTAMP', 'string')).toBeUndefined();
  expect(constantDefault('NULL', 'string')).toBeUndefined();
  expect(constantDefault("_utf8mb4\\'x\\'", 'string')).toBe('x');
});
