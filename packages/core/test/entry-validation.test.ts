import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  applyChanges,
  defineModel,
  defineSchema,
  diff,
  type EvolveError,
  emptySnapshot,
  migrationVersion,
  toSnapshot,
} from '../src/index.ts';

const snapshot = toSnapshot(
  defineSchema([defineModel('User', { shape: { id: z.string(), name: z.string().max(40) } })]),
);
const failure = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    const e = error as EvolveError;
    return { code: e.code, path: e.path, message: e.message };
  }
  throw new Error('did not throw');
};

describe('public entry points refuse what is not a snapshot or change set', () => {
  it.each([
    ['null', null, /prev is not a snapshot \(got null\)/],
    ['a string', 'abc', /got string/],
    ['models that are a string', { format: 1, hash: 'a'.repeat(64), models: 'abc' }, /models/],
    ['an empty object', {}, /format/],
  ])('diff(%s, next) is INVALID_SNAPSHOT naming prev', (_, prev, message) => {
    const seen = failure(() => diff(prev as never, snapshot));
    expect(seen.code).toBe('INVALID_SNAPSHOT');
    expect(seen.path).toMatch(/^prev/);
    expect(seen.message).toMatch(message);
  });

  it('a copy of a snapshot edited by hand fails its hash; an untouched copy passes', () => {
    const copy = () => JSON.parse(JSON.stringify(snapshot));
    expect(diff(emptySnapshot(), copy()).changes.length).toBeGreaterThan(0);
    const edited = copy();
    edited.models.User.fields.name.nullable = true;
    const seen = failure(() => diff(emptySnapshot(), edited));
    expect(seen).toMatchObject({ code: 'INVALID_SNAPSHOT', path: 'next' });
    expect(seen.message).toMatch(/hash/);
  });

  it('applyChanges refuses a snapshot that is not one, and a change set without changes', () => {
    expect(failure(() => applyChanges(null as never, diff(emptySnapshot(), snapshot)))).toMatchObject({
      code: 'INVALID_SNAPSHOT',
      path: 'snapshot',
    });
    expect(
      failure(() => applyChanges(emptySnapshot(), { from: emptySnapshot().hash } as never)),
    ).toMatchObject({
      code: 'INVALID_CHANGESET',
      path: 'changeSet',
    });
    expect(applyChanges(emptySnapshot(), diff(emptySnapshot(), snapshot)).hash).toBe(snapshot.hash);
  });

  it('migration numbers above 2^31 - 1 are INVALID_MIGRATION naming the id', () => {
    expect(migrationVersion('2147483647_last')).toBe(2_147_483_647);
    expect(failure(() => migrationVersion('3000000000_add_note'))).toMatchObject({
      code: 'INVALID_MIGRATION',
      path: '3000000000_add_note',
    });
  });
});
