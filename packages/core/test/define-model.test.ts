import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModel, defineSchema, toSnapshot } from '../src/index.ts';
import { errorOf } from './fixtures/error-of.ts';

const id = z.number().int();

describe('defineModel rejects invalid definitions with INVALID_MODEL and the path at fault', () => {
  it.each([
    ['a model name with a space', () => defineModel('bad name', { shape: { id } }), 'bad name'],
    [
      'a field name with a quote and semicolon',
      () => defineModel('User', { shape: { id, 'x";drop': z.string() } }),
      'User.x";drop',
    ],
    [
      'a table name with a dot',
      () => defineModel('User', { shape: { id }, table: 'public.users' }),
      'User.table',
    ],
    [
      'a primary key naming a missing field',
      () => defineModel('User', { shape: { id }, primaryKey: 'uuid' }),
      'User.primaryKey',
    ],
    [
      'an empty composite primary key',
      () => defineModel('User', { shape: { id }, primaryKey: [] }),
      'User.primaryKey',
    ],
    [
      'an index on a missing field',
      () => defineModel('User', { shape: { id }, indexes: [{ fields: ['email'] }] }),
      'User.indexes[0]',
    ],
    [
      'an index with no fields',
      () => defineModel('User', { shape: { id }, indexes: [{ fields: [] }] }),
      'User.indexes[0]',
    ],
    [
      'a foreign key on a document model',
      () =>
        defineModel('Doc', {
          target: 'document',
          shape: { _id: z.string(), u: z.string() },
          foreignKeys: [{ fields: ['u'], references: { model: 'User', fields: ['id'] } }],
        }),
      'Doc.foreignKeys[0]',
    ],
    ['a model without fields', () => defineModel('Empty', { shape: {}, primaryKey: [] }), 'Empty'],
  ])('%s', (_name, fn, path) => {
    const error = errorOf(fn);
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.path).toBe(path);
  });

  it.each([
    ['z.map', z.map(z.string(), z.string())],
    ['z.union', z.union([z.string(), z.number()])],
    ['z.set', z.set(z.string())],
    ['z.tuple', z.tuple([z.string()])],
  ])('a zod type with no mapping (%s), at snapshot time', (_name, schema) => {
    const model = defineModel('User', { shape: { id, bad: schema } });
    const error = errorOf(() => toSnapshot(defineSchema([model])));
    expect(error.code).toBe('INVALID_MODEL');
    expect(error.path).toBe('User.bad');
    expect(error.message).toContain('has no mapping');
  });

  it('an invalid nested field name is rejected with its full path', () => {
    const model = defineModel('User', { shape: { id, address: z.object({ 'bad name': z.string() }) } });
    expect(errorOf(() => toSnapshot(defineSchema([model])))).toMatchObject({
      code: 'INVALID_MODEL',
      path: 'User.address.bad name',
    });
  });
});

describe('defineSchema rejects what spans models', () => {
  it('two models with the same name', () => {
    const a = defineModel('User', { shape: { id } });
    const b = defineModel('User', { shape: { id }, table: 'users2' });
    expect(errorOf(() => defineSchema([a, b]))).toMatchObject({ code: 'INVALID_MODEL', path: 'User' });
  });

  it('two models on the same table', () => {
    const a = defineModel('User', { shape: { id }, table: 'people' });
    const b = defineModel('Person', { shape: { id }, table: 'people' });
    expect(errorOf(() => defineSchema([a, b]))).toMatchObject({
      code: 'INVALID_MODEL',
      path: 'Person.table',
    });
  });

  it('a foreign key to an unknown model or a missing field', () => {
    const user = defineModel('User', { shape: { id } });
    const post = (model: string, field: string) =>
      defineModel('Post', {
        shape: { id, userId: id },
        foreignKeys: [{ fields: ['userId'], references: { model, fields: [field] } }],
      });
    expect(errorOf(() => defineSchema([user, post('Nobody', 'id')]))).toMatchObject({
      code: 'INVALID_MODEL',
      path: 'Post.foreignKeys[0]',
    });
    expect(errorOf(() => defineSchema([user, post('User', 'uuid')])).message).toContain('User.uuid');
  });

  it('entries that are not models', () => {
    expect(errorOf(() => defineSchema([{} as never]))).toMatchObject({
      code: 'INVALID_SCHEMA',
      path: 'models[0]',
    });
  });
});
