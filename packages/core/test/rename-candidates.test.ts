import { describe, expect, it } from 'vitest';
import {
  deriveTransforms,
  diff,
  type EvolveError,
  isRenameCandidate,
  type TypeSnapshot,
} from '../src/index.ts';
import { arr, bool, date, enumOf, f, float, int, json, m, obj, snap, str } from './builders.ts';

const user = (fields: Parameters<typeof m>[1]) => m('User', fields);
const bigint: TypeSnapshot = { kind: 'bigint' };

function refusal(run: () => unknown): EvolveError {
  try {
    run();
  } catch (error) {
    return error as EvolveError;
  }
  throw new Error('expected AMBIGUOUS_RENAME');
}

describe('rename candidates', () => {
  it.each([
    ['int -> string', int, str(), true],
    ['int -> string(20)', int, str({ maxLength: 20 }), true],
    ['string -> int (narrowing: the values parse)', str(), int, true],
    ['bigint -> string', bigint, str(), true],
    ['int -> bigint', int, bigint, true],
    ['float -> int', float, int, true],
    ['enum -> string', enumOf('a', 'b'), str(), true],
    ['enum -> enum with other values', enumOf('a'), enumOf('b'), true],
    ['string(uuid) -> string(email)', str({ format: 'uuid' }), str({ format: 'email' }), true],
    ['boolean -> json', bool, json, true],
    ['int -> array of int', int, arr(int), true],
    ['object -> object with other fields', obj({ a: f(int) }), obj({ b: f(str()) }), true],
    ['boolean -> string', bool, str(), false],
    ['string -> boolean', str(), bool, false],
    ['date -> int', date, int, false],
    ['boolean -> int', bool, int, false],
    ['object -> string', obj({ a: f(int) }), str(), false],
  ])('%s: %s', (_, from, to, expected) => {
    expect(isRenameCandidate(from, to)).toBe(expected);
  });

  it('does not offer a boolean as the old name of a string: a vanished boolean beside a new string is a drop and an add', () => {
    const a = snap([user({ id: f(int), active: f(bool) })]);
    const b = snap([user({ id: f(int), label: f(str(), { nullable: true }) })]);
    expect(diff(a, b).changes.map((c) => `${c.kind} ${c.path.join('.')}`)).toEqual([
      'dropField active',
      'addField label',
    ]);
  });

  it('lists every plausible pair and only those in AMBIGUOUS_RENAME, and leaves the other vanished names to drop', () => {
    const a = snap([user({ id: f(int), age: f(int), active: f(bool) })]);
    const b = snap([user({ id: f(int), ageText: f(str()), label: f(str({ maxLength: 30 })) })]);
    const error = refusal(() => diff(a, b));
    expect(error.code).toBe('AMBIGUOUS_RENAME');
    expect(error.message).toContain('candidate renames: User.age -> User.ageText, User.age -> User.label\n');
    expect(error.message).not.toContain('User.active ->');
    expect(error.details?.ambiguities).toEqual([
      {
        scope: 'User',
        vanished: ['User.age'],
        appeared: ['User.ageText', 'User.label'],
        pairs: [
          ['User.age', 'User.ageText'],
          ['User.age', 'User.label'],
        ],
        candidates: [
          { from: 'User.age', to: 'User.ageText', rename: ['User.age', 'ageText'] },
          { from: 'User.age', to: 'User.label', rename: ['User.age', 'label'] },
        ],
      },
    ]);
    // once age is answered, no plausible pair is left: active is dropped, label added
    const answered = diff(a, b, { renames: { 'User.age': 'ageText' } });
    expect(answered.changes.map((c) => `${c.kind} ${c.path.join('.')}`)).toEqual([
      'renameField ageText',
      'dropField active',
      'addField label',
      'changeType ageText',
    ]);
  });

  it('derives String(x) for a renamed integer that becomes a string, bounded or not, instead of a TODO', () => {
    const a = snap([user({ id: f(int), age: f(int), price: f(float), big: f(bigint) })]);
    const b = snap([
      user({
        id: f(int),
        ageText: f(str({ maxLength: 17 })),
        price: f(str({ maxLength: 25 })),
        big: f(str({ maxLength: 20 })),
      }),
    ]);
    const plans = deriveTransforms(diff(a, b, { renames: { 'User.age': 'ageText' } }));
    expect(plans.map((p) => [p.field, p.code])).toEqual([
      ['ageText', '(old) => String(old.age)'],
      ['big', '(old) => String(old.big)'],
      ['price', '(old) => String(old.price)'],
    ]);
    // a string too short for every integer's text stays a conversion a person writes
    const short = snap([
      user({ id: f(int), age: f(str({ maxLength: 10 })), price: f(float), big: f(bigint) }),
    ]);
    expect(deriveTransforms(diff(a, short)).map((p) => [p.field, p.code])).toEqual([['age', null]]);
  });
});
