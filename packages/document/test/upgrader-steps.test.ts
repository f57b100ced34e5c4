import type { Change, FieldSnapshot, Transforms } from '@evolve/core';
import { isEvolveError, todo } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { applyDocumentChanges } from '../src/upgrader/index.ts';
import { changes, emitStep, field, T } from './upgrader-fixtures.ts';

const c = changes();
type Doc = Record<string, unknown>;

/** Runs one step both ways with the generated code and the interpreter, checks they agree, returns both. */
function run(before: Record<string, FieldSnapshot>, list: Change[], doc: Doc, transforms: Transforms = {}) {
  const { step, source, plan } = emitStep(before, list);
  const t = transforms.Event ?? {};
  const up = step.up(doc, t);
  const upI = applyDocumentChanges(doc, {
    model: 'Event',
    before,
    changes: list,
    transforms,
    direction: 'up',
  });
  expect(upI).toStrictEqual(up);
  const down = step.down(up);
  const downI = applyDocumentChanges(up, { model: 'Event', before, changes: list, direction: 'down' });
  expect(downI).toStrictEqual(down);
  return { up, down, source, plan };
}

function thrown(fn: () => unknown) {
  try {
    fn();
  } catch (error) {
    if (isEvolveError(error)) return { code: error.code, path: error.path };
    throw error;
  }
  throw new Error('did not throw');
}

describe('document steps: generated code and interpreter', () => {
  it('renames a top-level field and back, leaving the input untouched', () => {
    const doc = Object.freeze({ _id: 1, title: 'a', n: 1 });
    const r = run(
      { title: field(T.string()), n: field(T.int()) },
      [c.rename(['title'], ['name'], field(T.string()))],
      doc,
    );
    expect(r.up).toStrictEqual({ _id: 1, name: 'a', n: 1 });
    expect(r.down).toStrictEqual(doc);
    expect(r.plan.lossless).toBe(true);
  });

  it('renames a nested field without touching sibling objects', () => {
    const addr = T.object({ town: field(T.string()), zip: field(T.string()) });
    const doc = { address: { town: 'X', zip: '1' }, other: { a: 1 } };
    const r = run(
      { address: field(addr), other: field(T.json()) },
      [c.rename(['address', 'town'], ['address', 'city'], field(T.string()))],
      doc,
    );
    expect(r.up).toStrictEqual({ address: { city: 'X', zip: '1' }, other: { a: 1 } });
    expect((r.up as Doc).other).toBe(doc.other);
    expect(doc.address).toStrictEqual({ town: 'X', zip: '1' });
    expect(r.down).toStrictEqual(doc);
  });

  it('adds a field with a constant default; down removes it', () => {
    const r = run(
      { a: field(T.int()) },
      [c.add(['status'], field(T.enum('open', 'closed'), { default: 'open' }))],
      { a: 1 },
    );
    expect(r.up).toStrictEqual({ a: 1, status: 'open' });
    expect(r.down).toStrictEqual({ a: 1 });
  });

  it('adds a required field through its transform, and throws TODO_TRANSFORM without one', () => {
    const before = { first: field(T.string()), last: field(T.string()) };
    const list = [c.add(['full'], field(T.string()))];
    const t = { Event: { full: (old: Doc) => `${old.first} ${old.last}` } };
    expect(run(before, list, { first: 'A', last: 'B' }, t).up).toStrictEqual({
      first: 'A',
      last: 'B',
      full: 'A B',
    });
    const { step } = emitStep(before, list);
    expect(thrown(() => step.up({ first: 'A', last: 'B' }, {}))).toStrictEqual({
      code: 'TODO_TRANSFORM',
      path: 'Event.full',
    });
    expect(
      thrown(() =>
        applyDocumentChanges({ first: 'A' }, { model: 'Event', before, changes: list, direction: 'up' }),
      ).code,
    ).toBe('TODO_TRANSFORM');
  });

  it('wraps an exception inside a transform as TRANSFORM_FAILED naming the field', () => {
    const { step } = emitStep({ a: field(T.int()) }, [c.add(['b'], field(T.int()))]);
    const t = {
      b: () => {
        throw new Error('boom');
      },
    };
    expect(thrown(() => step.up({ a: 1 }, t))).toStrictEqual({ code: 'TRANSFORM_FAILED', path: 'Event.b' });
  });

  it('adds optional and nullable fields without a default as absent and null', () => {
    const r = run(
      { a: field(T.int()) },
      [
        c.add(['note'], field(T.string(), { optional: true })),
        c.add(['ref'], field(T.string(), { nullable: true })),
      ],
      { a: 1 },
    );
    expect(r.up).toStrictEqual({ a: 1, ref: null });
    expect(r.down).toStrictEqual({ a: 1 });
  });

  it('drops a field; down restores its default, null, or the empty value and says so', () => {
    const before = {
      a: field(T.int()),
      withDefault: field(T.string(), { default: 'x' }),
      nullableOne: field(T.string(), { nullable: true }),
      required: field(T.int()),
      opt: field(T.int(), { optional: true }),
    };
    const list = [
      c.drop(['withDefault'], before.withDefault),
      c.drop(['nullableOne'], before.nullableOne),
      c.drop(['required'], before.required),
      c.drop(['opt'], before.opt),
    ];
    const r = run(before, list, { a: 1, withDefault: 'y', nullableOne: 'z', required: 7, opt: 3 });
    expect(r.up).toStrictEqual({ a: 1 });
    expect(r.down).toStrictEqual({ a: 1, withDefault: 'x', nullableOne: null, required: 0 });
    expect(r.plan.lossless).toBe(false);
    expect(r.source.code).toContain('the dropped value itself cannot be restored');
  });

  it('converts number <-> string losslessly and refuses text that is not exactly a number', () => {
    const r = run({ price: field(T.float()) }, [c.type(['price'], T.float(), T.string())], { price: 12.5 });
    expect(r.up).toStrictEqual({ price: '12.5' });
    expect(r.down).toStrictEqual({ price: 12.5 });
    const back = emitStep({ price: field(T.string()) }, [c.type(['price'], T.string(), T.float())]);
    expect(back.step.up({ price: '3' })).toStrictEqual({ price: 3 });
    expect(thrown(() => back.step.up({ price: '3.0' }))).toStrictEqual({
      code: 'TRANSFORM_FAILED',
      path: 'Event.price',
    });
  });

  it('derives what it can past a generator-written todo() placeholder, and throws on one it needs', () => {
    const items = { items: field(T.array(field(T.object({ qty: field(T.int()) })))) };
    const list = [c.type(['items', '[]', 'qty'], T.int(), T.string()), c.add(['slug'], field(T.string()))];
    const t = { 'items.[].qty': todo('Event.items.[].qty'), slug: todo('Event.slug') };
    const { step } = emitStep(items, [list[0] as Change]);
    expect(step.up({ items: [{ qty: 1 }] }, t)).toStrictEqual({ items: [{ qty: '1' }] });
    const both = emitStep(items, list);
    expect(thrown(() => both.step.up({ items: [] }, t))).toStrictEqual({
      code: 'TODO_TRANSFORM',
      path: 'Event.slug',
    });
  });

  it('widens int to float as is, and checks integers on the way back', () => {
    const r = run({ n: field(T.int()) }, [c.type(['n'], T.int(), T.float())], { n: 3 });
    expect(r.up).toStrictEqual({ n: 3 });
    const { step } = emitStep({ n: field(T.int()) }, [c.type(['n'], T.int(), T.float())]);
    expect(thrown(() => step.down({ n: 1.5 })).code).toBe('TRANSFORM_FAILED');
  });

  it('wraps a value in an array and unwraps it', () => {
    const r = run({ tag: field(T.string()) }, [c.type(['tag'], T.string(), T.array(field(T.string())))], {
      tag: 'a',
    });
    expect(r.up).toStrictEqual({ tag: ['a'] });
    expect(r.down).toStrictEqual({ tag: 'a' });
    expect(r.plan.lossless).toBe(true);
  });

  it('turns a scalar into an object (other members from defaults) and back', () => {
    const money = T.object({ amount: field(T.float()), currency: field(T.string(), { default: 'EUR' }) });
    const r = run({ price: field(T.float()) }, [c.type(['price'], T.float(), money)], { price: 9 });
    expect(r.up).toStrictEqual({ price: { currency: 'EUR', amount: 9 } });
    expect(r.down).toStrictEqual({ price: 9 });
  });

  it('leaves an underivable type change as a TODO that a transform fills', () => {
    const list = [c.type(['flag'], T.bool(), T.int())];
    const { step, source } = emitStep({ flag: field(T.bool()) }, list);
    expect(source.code).toContain('has no safe conversion');
    expect(thrown(() => step.up({ flag: true })).code).toBe('TODO_TRANSFORM');
    expect(step.up({ flag: true }, { flag: (old) => (old.flag ? 1 : 0) })).toStrictEqual({ flag: 1 });
  });

  it('maps removed enum values with the transform and keeps the others', () => {
    const list = [c.removeEnum(['status'], ['open', 'archived', 'closed'], ['archived'])];
    const before = { status: field(T.enum('open', 'archived', 'closed')) };
    const t = { Event: { status: () => 'closed' } };
    expect(run(before, list, { status: 'archived' }, t).up).toStrictEqual({ status: 'closed' });
    expect(run(before, list, { status: 'open' }, t).up).toStrictEqual({ status: 'open' });
    const { step } = emitStep(before, list);
    expect(thrown(() => step.up({ status: 'archived' })).code).toBe('TODO_TRANSFORM');
  });

  it('refuses to downgrade an enum value that the older version does not know', () => {
    const list = [c.addEnum(['status'], ['open'], ['paused'])];
    const { step } = emitStep({ status: field(T.enum('open')) }, list);
    expect(step.down({ status: 'open' })).toStrictEqual({ status: 'open' });
    expect(thrown(() => step.down({ status: 'paused' })).code).toBe('TODO_TRANSFORM');
  });

  it('hoists a nested field and plunges it back', () => {
    const before = { address: field(T.object({ city: field(T.string()), zip: field(T.string()) })) };
    const r = run(before, [c.rename(['address', 'city'], ['city'], field(T.string()))], {
      address: { city: 'Paris', zip: '75' },
    });
    expect(r.up).toStrictEqual({ address: { zip: '75' }, city: 'Paris' });
    expect(r.down).toStrictEqual({ address: { zip: '75', city: 'Paris' } });
  });

  it('plunges a field into a new object added in the same step', () => {
    const before = { city: field(T.string()) };
    const list = [
      c.add(['address'], field(T.object({ zip: field(T.string(), { nullable: true, default: null }) }))),
      c.rename(['city'], ['address', 'city'], field(T.string())),
    ];
    const r = run(before, list, { city: 'Paris' });
    expect(r.up).toStrictEqual({ address: { zip: null, city: 'Paris' } });
    expect(r.down).toStrictEqual({ city: 'Paris' });
  });

  it('changes fields inside arrays of objects element by element', () => {
    const item = (fields: Record<string, FieldSnapshot>) => field(T.array(field(T.object(fields))));
    const before = { items: item({ sku: field(T.string()), qty: field(T.int()) }) };
    const list = [
      c.rename(['items', '[]', 'sku'], ['items', '[]', 'code'], field(T.string())),
      c.type(['items', '[]', 'qty'], T.int(), T.string()),
      c.add(['items', '[]', 'unit'], field(T.string(), { default: 'pc' })),
    ];
    const r = run(before, list, {
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ],
    });
    expect(r.up).toStrictEqual({
      items: [
        { code: 'a', qty: '1', unit: 'pc' },
        { code: 'b', qty: '2', unit: 'pc' },
      ],
    });
    expect(r.down).toStrictEqual({
      items: [
        { sku: 'a', qty: 1 },
        { sku: 'b', qty: 2 },
      ],
    });
  });

  it('passes each array element to an element-level transform', () => {
    const before = { items: field(T.array(field(T.object({ qty: field(T.int()) })))) };
    const t = { Event: { 'items.[].double': (el: Doc) => (el.qty as number) * 2 } };
    const r = run(
      before,
      [c.add(['items', '[]', 'double'], field(T.int()))],
      { items: [{ qty: 2 }, { qty: 5 }] },
      t,
    );
    expect(r.up).toStrictEqual({
      items: [
        { qty: 2, double: 4 },
        { qty: 5, double: 10 },
      ],
    });
  });

  it('fills required-again fields and nulls, and restores them on the way down', () => {
    const before = {
      a: field(T.string(), { optional: true, default: 'd' }),
      b: field(T.int(), { nullable: true }),
      c: field(T.int()),
      e: field(T.int()),
    };
    const list = [
      c.optional(['a'], true),
      c.nullable(['b'], true),
      c.optional(['c'], false),
      c.nullable(['e'], false),
    ];
    const t = { Event: { b: () => -1 } };
    const r = run(before, list, { b: null, c: 1, e: 2 }, t);
    expect(r.up).toStrictEqual({ a: 'd', b: -1, c: 1, e: 2 });
    // c became optional and e nullable: down fills what the older version requires
    const { step } = emitStep(before, list);
    expect(step.down({ a: 'd', b: 1, e: null })).toStrictEqual({ a: 'd', b: 1, c: 0, e: 0 });
  });

  it('refuses a move across arrays with a TODO', () => {
    const before = { items: field(T.array(field(T.object({ x: field(T.int()) })))) };
    const list = [c.rename(['items', '[]', 'x'], ['x'], field(T.int()))];
    const { step, source } = emitStep(before, list);
    expect(source.code).toContain('crosses arrays');
    expect(thrown(() => step.up({ items: [{ x: 1 }] })).code).toBe('TODO_TRANSFORM');
  });
});
