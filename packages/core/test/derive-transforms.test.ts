import { describe, expect, it } from 'vitest';
import { deriveTransforms, diff, renderTransforms, todo } from '../src/index.ts';
import { arr, date, enumOf, f, float, int, m, obj, snap, str } from './builders.ts';

describe('deriveTransforms', () => {
  it('plans values for new required fields: TODO without a default, code for a dynamic date', () => {
    const a = snap([m('User', {})]);
    const b = snap([
      m('User', {
        firstName: f(str()),
        createdAt: f(date, { default: { dynamic: true } }),
        plan: f(str(), { default: { value: 'free' } }),
        bio: f(str(), { optional: true }),
      }),
    ]);
    expect(deriveTransforms(diff(a, b))).toEqual([
      {
        model: 'User',
        field: 'createdAt',
        code: '() => new Date()',
        reason: 'new required field with a dynamic default',
      },
      {
        model: 'User',
        field: 'firstName',
        code: null,
        reason: 'new required field without a default: compute its value from the old row',
      },
    ]);
  });

  it('derives conversions for type changes and reads renamed fields under their old names', () => {
    const a = snap([
      m('User', { age: f(int), score: f(int), tag: f(str()), level: f(float), role: f(str()) }),
    ]);
    const b = snap([
      m('User', {
        years: f(str()),
        score: f(float),
        tag: f(arr(str())),
        level: f(int),
        role: f(enumOf('a')),
      }),
    ]);
    const plans = deriveTransforms(diff(a, b, { renames: { 'User.age': 'years' } }));
    expect(plans.map((p) => [p.field, p.code])).toEqual([
      ['level', null],
      ['role', null],
      ['tag', '(old) => [old.tag]'],
      ['years', '(old) => String(old.age)'],
    ]);
  });

  it('plans fields that become required, using a new constant default when there is one', () => {
    const a = snap([m('User', { nick: f(str(), { nullable: true }), bio: f(str(), { optional: true }) })]);
    const b = snap([m('User', { nick: f(str(), { default: { value: 'anon' } }), bio: f(str()) })]);
    expect(deriveTransforms(diff(a, b)).map((p) => [p.field, p.code])).toEqual([
      ['bio', null],
      ['nick', '(old) => old.nick ?? "anon"'],
    ]);
  });

  it('plans removed enum values, and leaves fields inside arrays to a person', () => {
    const doc = (fields: Parameters<typeof m>[1]) =>
      m('Order', { _id: f(str()), ...fields }, { target: 'document' });
    const a = snap([
      doc({ status: f(enumOf('open', 'held', 'done')), items: f(arr(f(obj({ qty: f(int) })))) }),
    ]);
    const b = snap([doc({ status: f(enumOf('open', 'done')), items: f(arr(f(obj({ qty: f(str()) })))) })]);
    expect(deriveTransforms(diff(a, b))).toMatchInlineSnapshot(`
      [
        {
          "code": null,
          "field": "items.[].qty",
          "model": "Order",
          "reason": "number -> string (inside an array: map each element)",
        },
        {
          "code": null,
          "field": "status",
          "model": "Order",
          "reason": "enum values held are removed: map them to open | done",
        },
      ]
    `);
  });

  it('renders the transforms object with todo() where no code could be derived', () => {
    const a = snap([m('User', { age: f(int) }), m('Post', {})]);
    const b = snap([m('User', { age: f(str()), first_name: f(str()) }), m('Post', { title: f(str()) })]);
    const source = renderTransforms(deriveTransforms(diff(a, b)));
    expect(source).toMatchInlineSnapshot(`
      "{
        Post: {
          title: todo('Post.title', 'new required field without a default: compute its value from the old row'),
        },
        User: {
          age: (old) => String(old.age), // number -> string
          first_name: todo('User.first_name', 'new required field without a default: compute its value from the old row'),
        },
      }"
    `);
    // the rendered source evaluates to working transforms
    const transforms = new Function('todo', `return ${source.replace(/\/\/.*$/gm, '')}`)(todo);
    expect(transforms.User.age({ age: 42 })).toBe('42');
    expect(() => transforms.Post.title({})).toThrow(
      expect.objectContaining({ code: 'TODO_TRANSFORM', path: 'Post.title' }),
    );
  });
});
