import { describe, expect, it } from 'vitest';
import { diff, type EvolveError } from '../src/index.ts';
import { f, int, m, obj, snap, str } from './builders.ts';

const v1 = snap([
  m('User', { id: f(int), name: f(str()), address: f(obj({ city: f(str()), zip: f(str()) })) }),
  m('Client', { id: f(int) }),
]);
const v2 = snap([
  m('User', { id: f(int), fullName: f(str()), location: f(obj({ town: f(str()), zip: f(str()) })) }),
  m('Customer', { id: f(int) }),
]);

function refusal(run: () => unknown): EvolveError {
  try {
    run();
  } catch (error) {
    return error as EvolveError;
  }
  throw new Error('expected an error');
}

describe('diff options name what exists', () => {
  const answered = {
    'User.name': 'fullName',
    'User.address': 'location',
    'User.address.city': 'town',
    Client: 'Customer',
  };

  it('accepts renames of old names to new ones, model keys by old or new name, nested siblings', () => {
    const kinds = diff(v1, v2, { renames: answered }).changes.map((c) => `${c.kind} ${c.model}`);
    expect(kinds).toContain('renameModel Customer');
    expect(kinds.filter((k) => k === 'renameField User')).toHaveLength(3);
    const byNewModel = { ...answered, 'Customer.id': 'id' };
    expect(() => diff(v1, v2, { renames: byNewModel })).not.toThrow();
  });

  it.each([
    [{ 'User.nmae': 'fullName' }, 'renames.User.nmae', 'names no field of User'],
    [{ 'User.name': 'fulName' }, 'renames.User.name', 'a field the new User lacks'],
    [{ 'Usr.name': 'fullName' }, 'renames.Usr.name', 'names no model'],
    [{ Clint: 'Customer' }, 'renames.Clint', 'names no model of the previous schema'],
    [{ Client: 'Costumer' }, 'renames.Client', "'Costumer', a model the new schema lacks"],
    [{ 'User.address.cty': 'town' }, 'renames.User.address.cty', 'names no field of User'],
    [{ 'User.address.city': 'location.twn' }, 'renames.User.address.city', "'location.twn'"],
  ])('refuses renames %o (INVALID_CONFIG at %s)', (renames, path, words) => {
    const error = refusal(() => diff(v1, v2, { renames: { ...answered, ...renames } }));
    expect(error.code).toBe('INVALID_CONFIG');
    expect(error.path).toBe(path);
    expect(error.message).toContain(words);
  });

  it('refuses drops that name nothing, accepts real ones', () => {
    const renames = { ...answered };
    expect(() => diff(v1, v2, { renames, drops: ['User.name'] })).not.toThrow();
    for (const dropped of ['User.nope', 'Nobody', 'User.address.nope']) {
      const error = refusal(() => diff(v1, v2, { renames, drops: [dropped] }));
      expect(error.code).toBe('INVALID_CONFIG');
      expect(error.path).toBe(`drops.${dropped}`);
    }
  });
});
