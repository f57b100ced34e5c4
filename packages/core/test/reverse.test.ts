import { describe, expect, it } from 'vitest';
import { applyChanges, diff, reverse } from '../src/index.ts';
import { enumOf, f, int, m, snap, str } from './builders.ts';

describe('reverse', () => {
  const a = snap([
    m('Client', { name: f(str()), role: f(enumOf('a', 'b')), age: f(int, { optional: true }) }),
  ]);
  const b = snap([m('Customer', { fullName: f(str()), role: f(enumOf('a', 'c')), score: f(int) })], {
    models: { Customer: 'Client' },
    fields: { 'Customer.fullName': 'name' },
  });
  const up = diff(a, b, { drops: ['Client.age'] });

  it('inverts every change in reverse order, swapping the hashes', () => {
    const down = reverse(up);
    expect([down.from, down.to]).toEqual([b.hash, a.hash]);
    expect(
      down.changes.map((c) => `${c.kind} ${[c.model, ...c.path].join('.')} ${c.risk}`),
    ).toMatchInlineSnapshot(`
      [
        "addEnumValues Customer.role safe",
        "removeEnumValues Customer.role lossy",
        "dropField Customer.score destructive",
        "addField Customer.age safe",
        "renameField Customer.name safe",
        "renameTable Customer safe",
        "renameModel Client safe",
      ]
    `);
    expect(applyChanges(b, down).hash).toBe(a.hash);
  });

  it('recomputes risk and compatibility for the down direction', () => {
    const added = up.changes.find((c) => c.kind === 'addField');
    const undone = reverse(up).changes.find((c) => c.kind === 'dropField' && c.path[0] === 'score');
    expect(added).toMatchObject({
      risk: 'needs-backfill',
      compatibility: { backward: false, forward: true },
    });
    expect(undone).toMatchObject({ risk: 'destructive', compatibility: { backward: true, forward: false } });
  });

  it('is its own inverse', () => {
    expect(reverse(reverse(up))).toEqual(up);
  });
});
