import { describe, expect, it } from 'vitest';
import { type CompatibilityMode, checkCompatibility } from '../src/index.ts';
import { f, float, int, m, snap, str } from './builders.ts';

// v1 -> v2: an optional field is added (compatible both ways)
// v2 -> v3: a required field without default is added (forward only) and `score` widens int -> float (backward only)
const v1 = snap([m('User', { name: f(str()), score: f(int) })]);
const v2 = snap([m('User', { name: f(str()), score: f(int), bio: f(str(), { optional: true }) })]);
const v3 = snap([
  m('User', { name: f(str()), score: f(float), bio: f(str(), { optional: true }), age: f(int) }),
]);

const check = (mode: CompatibilityMode, versions = [v1, v2, v3]) => {
  const result = checkCompatibility(versions, mode);
  return {
    compatible: result.compatible,
    failures: result.failures.map((x) => `${x.direction}: ${x.reason}`),
  };
};

describe('checkCompatibility', () => {
  it('passes when the latest change is compatible in the checked direction', () => {
    expect(check('FULL', [v1, v2])).toEqual({ compatible: true, failures: [] });
  });

  it('BACKWARD reports changes new readers cannot read old data through, with reasons', () => {
    expect(check('BACKWARD')).toEqual({
      compatible: false,
      failures: [
        'backward: User.age is added: readers of the new version cannot read data written at the old version',
      ],
    });
  });

  it('FORWARD reports changes old readers cannot read new data through', () => {
    expect(check('FORWARD').failures).toEqual([
      'forward: User.score: type int -> number: readers of the old version cannot read data written at the new version',
    ]);
  });

  it('FULL reports both directions', () => {
    expect(check('FULL').failures).toHaveLength(2);
  });

  it('NONE always passes', () => {
    expect(check('NONE')).toEqual({ compatible: true, failures: [] });
  });

  it('transitive modes check the latest against every earlier version', () => {
    const plain = checkCompatibility([v1, v2, v3], 'BACKWARD');
    const transitive = checkCompatibility([v1, v2, v3], 'BACKWARD_TRANSITIVE');
    expect(plain.failures.map((x) => x.from)).toEqual([v2.hash]);
    expect(transitive.failures.map((x) => x.from)).toEqual([v1.hash, v2.hash]);
    expect(checkCompatibility([v1, v2, v3], 'FULL_TRANSITIVE').failures).toHaveLength(4);
    expect(checkCompatibility([v1, v2, v3], 'FORWARD_TRANSITIVE').failures).toHaveLength(2);
  });

  it('a transitive failure can hide from the non-transitive check', () => {
    // v1 -> v2 drops a required field; v2 -> v3 changes nothing that breaks
    const a = snap([m('User', { name: f(str()), nick: f(str()) })]);
    const b = snap([m('User', { name: f(str()) })]);
    const c = snap([m('User', { name: f(str()), bio: f(str(), { optional: true }) })]);
    expect(checkCompatibility([a, b, c], 'FORWARD').compatible).toBe(true);
    const transitive = checkCompatibility([a, b, c], 'FORWARD_TRANSITIVE');
    expect(transitive.compatible).toBe(false);
    expect(transitive.failures[0]?.reason).toContain('User.nick is dropped');
  });

  it('reports renames as breaking, and reads ambiguous names as drop + add', () => {
    const a = snap([m('User', { name: f(str()) })]);
    const b = snap([m('User', { fullName: f(str()) })], { fields: { 'User.fullName': 'name' } });
    expect(check('FULL', [a, b]).failures).toEqual([
      'backward: User.name is renamed to User.fullName: readers of the new version cannot read data written at the old version',
      'forward: User.name is renamed to User.fullName: readers of the old version cannot read data written at the new version',
    ]);
    const c = snap([m('User', { handle: f(str()) })]);
    expect(check('FORWARD', [a, c]).failures).toEqual([
      'forward: User.name is dropped: readers of the old version cannot read data written at the new version',
    ]);
  });
});
