import { describe, expect, it } from 'vitest';
import type { UnclassifiedChange } from '../src/classify-change.ts';
import { classifyChange, type ModelTarget } from '../src/index.ts';
import { arr, bool, enumOf, f, float, int, json, m, obj, str } from './builders.ts';

const at = { model: 'User', path: ['x'] };
const top = { model: 'User', path: [] };
const index = { name: 'User_x_idx', fields: ['x'], unique: false };
const fk = {
  name: 'User_x_fkey',
  fields: ['x'],
  references: { model: 'Org', fields: ['id'] },
  onDelete: 'cascade' as const,
};

type Row = [string, UnclassifiedChange, ModelTarget, string];

/** Each row: name, change, model target, expected `risk backward forward`. */
const table: Row[] = [
  ['createModel', { kind: 'createModel', ...top, definition: m('User', {}) }, 'sql', 'safe true true'],
  ['dropModel', { kind: 'dropModel', ...top, previous: m('User', {}) }, 'sql', 'destructive true false'],
  ['renameModel', { kind: 'renameModel', ...top, from: 'Client' }, 'sql', 'safe false false'],
  ['renameTable', { kind: 'renameTable', ...top, from: 'a', to: 'b' }, 'sql', 'safe false false'],
  [
    'renameField sql',
    { kind: 'renameField', ...at, from: ['y'], field: f(str()) },
    'sql',
    'safe false false',
  ],
  [
    'renameField document',
    { kind: 'renameField', ...at, from: ['y'], field: f(str()) },
    'document',
    'needs-backfill false false',
  ],
  [
    'addField optional',
    { kind: 'addField', ...at, field: f(str(), { optional: true }) },
    'sql',
    'safe true true',
  ],
  [
    'addField nullable',
    { kind: 'addField', ...at, field: f(str(), { nullable: true }) },
    'sql',
    'safe true true',
  ],
  [
    'addField default',
    { kind: 'addField', ...at, field: f(int, { default: { value: 0 } }) },
    'sql',
    'safe true true',
  ],
  ['addField required', { kind: 'addField', ...at, field: f(int) }, 'sql', 'needs-backfill false true'],
  ['dropField required', { kind: 'dropField', ...at, previous: f(int) }, 'sql', 'destructive true false'],
  [
    'dropField optional',
    { kind: 'dropField', ...at, previous: f(int, { optional: true }) },
    'sql',
    'destructive true true',
  ],
  ['changeType int->float', { kind: 'changeType', ...at, from: int, to: float }, 'sql', 'safe true false'],
  ['changeType float->int', { kind: 'changeType', ...at, from: float, to: int }, 'sql', 'lossy false true'],
  [
    'changeType maxLength up',
    { kind: 'changeType', ...at, from: str({ maxLength: 5 }), to: str({ maxLength: 9 }) },
    'sql',
    'safe true false',
  ],
  [
    'changeType maxLength removed',
    { kind: 'changeType', ...at, from: str({ maxLength: 5 }), to: str() },
    'sql',
    'safe true false',
  ],
  [
    'changeType maxLength added',
    { kind: 'changeType', ...at, from: str(), to: str({ maxLength: 5 }) },
    'sql',
    'lossy false true',
  ],
  [
    'changeType format removed',
    { kind: 'changeType', ...at, from: str({ format: 'uuid' }), to: str() },
    'sql',
    'safe true false',
  ],
  [
    'changeType format changed',
    { kind: 'changeType', ...at, from: str({ format: 'uuid' }), to: str({ format: 'email' }) },
    'sql',
    'lossy false false',
  ],
  [
    'changeType literal->base',
    { kind: 'changeType', ...at, from: { kind: 'literal', value: 3 }, to: int },
    'sql',
    'safe true false',
  ],
  [
    'changeType base->literal',
    { kind: 'changeType', ...at, from: bool, to: { kind: 'literal', value: true } },
    'sql',
    'lossy false true',
  ],
  [
    'changeType enum->string',
    { kind: 'changeType', ...at, from: enumOf('a'), to: str() },
    'sql',
    'safe true false',
  ],
  [
    'changeType string->enum',
    { kind: 'changeType', ...at, from: str(), to: enumOf('a') },
    'sql',
    'lossy false true',
  ],
  [
    'changeType object->json',
    { kind: 'changeType', ...at, from: obj({ a: f(int) }), to: json },
    'sql',
    'safe true false',
  ],
  [
    'changeType int->json',
    { kind: 'changeType', ...at, from: int, to: json },
    'sql',
    'needs-backfill true false',
  ],
  [
    'changeType number->string',
    { kind: 'changeType', ...at, from: float, to: str() },
    'sql',
    'needs-backfill true false',
  ],
  [
    'changeType int->bigint',
    { kind: 'changeType', ...at, from: int, to: { kind: 'bigint' } },
    'sql',
    'safe true false',
  ],
  [
    'changeType scalar->array',
    { kind: 'changeType', ...at, from: int, to: arr(int) },
    'sql',
    'needs-backfill true false',
  ],
  ['changeType unrelated', { kind: 'changeType', ...at, from: bool, to: int }, 'sql', 'lossy false false'],
  [
    'changeNullable to true',
    { kind: 'changeNullable', ...at, from: false, to: true },
    'sql',
    'safe true false',
  ],
  [
    'changeNullable to false',
    { kind: 'changeNullable', ...at, from: true, to: false },
    'sql',
    'needs-backfill false true',
  ],
  [
    'changeOptional to true',
    { kind: 'changeOptional', ...at, from: false, to: true },
    'document',
    'safe true false',
  ],
  [
    'changeOptional to false',
    { kind: 'changeOptional', ...at, from: true, to: false },
    'document',
    'needs-backfill false true',
  ],
  ['changeDefault', { kind: 'changeDefault', ...at, to: { value: 1 } }, 'sql', 'safe true true'],
  [
    'changeColumn',
    { kind: 'changeColumn', ...at, from: {}, to: { column: 'x_col' } },
    'sql',
    'safe true true',
  ],
  [
    'addEnumValues',
    { kind: 'addEnumValues', ...at, values: ['b'], before: ['a'], after: ['a', 'b'] },
    'sql',
    'safe true false',
  ],
  [
    'removeEnumValues',
    { kind: 'removeEnumValues', ...at, values: ['b'], before: ['a', 'b'], after: ['a'] },
    'sql',
    'lossy false true',
  ],
  ['addIndex', { kind: 'addIndex', ...top, index }, 'sql', 'safe true true'],
  [
    'addIndex unique',
    { kind: 'addIndex', ...top, index: { ...index, unique: true } },
    'sql',
    'needs-backfill true true',
  ],
  ['dropIndex', { kind: 'dropIndex', ...top, index }, 'sql', 'safe true true'],
  ['addForeignKey', { kind: 'addForeignKey', ...top, foreignKey: fk }, 'sql', 'safe true true'],
  ['dropForeignKey', { kind: 'dropForeignKey', ...top, foreignKey: fk }, 'sql', 'safe true true'],
  [
    'changePrimaryKey',
    { kind: 'changePrimaryKey', ...top, from: ['id'], to: ['x'] },
    'sql',
    'needs-backfill true true',
  ],
];

describe('classifyChange', () => {
  it.each(table)('%s', (_name, change, target, expected) => {
    const { risk, compatibility } = classifyChange(change, target);
    expect(`${risk} ${compatibility.backward} ${compatibility.forward}`).toBe(expected);
  });

  it('covers every change kind', () => {
    const kinds = new Set(table.map(([, c]) => c.kind));
    expect(kinds.size).toBe(19);
  });
});
