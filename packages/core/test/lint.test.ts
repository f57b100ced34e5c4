import { describe, expect, it } from 'vitest';
import { diff, lint, type Snapshot } from '../src/index.ts';
import { enumOf, f, float, int, m, snap, str } from './builders.ts';

const rules = (a: Snapshot, b: Snapshot, options = {}) =>
  lint(diff(a, b, options)).map((x) => `${x.rule} ${x.severity} ${x.path}`);

describe('lint', () => {
  it('flags a dropped model and a dropped field as destructive errors with a safe form', () => {
    const a = snap([m('User', { age: f(int) }), m('Log', {})]);
    const b = snap([m('User', {})]);
    const findings = lint(diff(a, b, { drops: ['Log'] }));
    expect(findings.map((x) => `${x.rule} ${x.severity} ${x.path}`)).toEqual([
      'destructive-drop-field error User.age',
      'destructive-drop-model error Log',
    ]);
    expect(findings[0]?.suggestion).toContain('first make User.age optional');
    expect(findings[1]?.message).toContain('Log');
  });

  it('flags narrowing as a warning, unrelated types as an error and rewriting widenings as info', () => {
    const a = snap([m('User', { a: f(float), b: f(str()), c: f(int) })]);
    const b = snap([m('User', { a: f(int), b: f({ kind: 'boolean' }), c: f(str()) })]);
    expect(rules(a, b)).toEqual([
      'narrowing-type-change warning User.a',
      'incompatible-type-change error User.b',
      'type-change-rewrites-data info User.c',
    ]);
  });

  it('flags required fields without a default: added, or optional/nullable made required', () => {
    const a = snap([m('User', { a: f(str(), { optional: true }), b: f(str(), { nullable: true }) })]);
    const b = snap([
      m('User', { a: f(str()), b: f(str()), c: f(str()), d: f(str(), { default: { value: 'x' } }) }),
    ]);
    const findings = lint(diff(a, b));
    expect(findings.map((x) => `${x.rule} ${x.path}`)).toEqual([
      'required-without-default User.c',
      'required-without-default User.a',
      'required-without-default User.b',
    ]);
    expect(findings[0]?.message).toBe(
      'User.c is added as required without a default: existing rows and documents have no value',
    );
  });

  it('flags unique indexes and foreign keys added to existing tables, not to new ones', () => {
    const fk = {
      name: 'Post_userId_fkey',
      fields: ['userId'],
      references: { model: 'User', fields: ['id'] },
      onDelete: 'cascade' as const,
    };
    const unique = { name: 'User_email_key', fields: ['email'], unique: true };
    const a = snap([m('User', { email: f(str()) }), m('Post', { userId: f(int) })]);
    const b = snap([
      m('User', { email: f(str()) }, { indexes: [unique] }),
      m('Post', { userId: f(int) }, { foreignKeys: [fk] }),
      m(
        'Tag',
        { userId: f(int) },
        {
          indexes: [{ ...unique, name: 'Tag_u_key', fields: ['userId'] }],
          foreignKeys: [{ ...fk, name: 'Tag_fk' }],
        },
      ),
    ]);
    expect(rules(a, b)).toEqual([
      'unique-on-existing-data warning User',
      'foreign-key-on-existing-data warning Post',
    ]);
  });

  it('flags removed enum values, renames and primary key changes', () => {
    const a = snap([m('User', { role: f(enumOf('a', 'b')), name: f(str()), code: f(str()) })]);
    const b = snap([
      m(
        'User',
        { id: f(int), role: f(enumOf('a')), fullName: f(str()), code: f(str()) },
        { primaryKey: ['code'] },
      ),
    ]);
    const findings = lint(diff(a, b, { renames: { 'User.name': 'fullName' } }));
    expect(findings.map((x) => `${x.rule} ${x.severity} ${x.path}`)).toEqual([
      'rename-breaks-readers warning User.fullName',
      'enum-value-removed warning User.role',
      'primary-key-change warning User',
    ]);
    expect(findings[0]?.message).toBe(
      'User.name is renamed to User.fullName: readers and writers that use the old name break',
    );
  });

  it('does not flag unique indexes and foreign keys re-created only because of a rename', () => {
    const fk = (field: string) => ({
      name: `Post_${field}_fkey`,
      fields: [field],
      references: { model: 'User', fields: ['id'] },
      onDelete: 'cascade' as const,
    });
    const unique = (table: string, field: string) => ({
      name: `${table}_${field}_key`,
      fields: [field],
      unique: true,
    });
    const a = snap([
      m('User', { email: f(str()) }, { indexes: [unique('User', 'email')] }),
      m('Post', { userId: f(int) }, { foreignKeys: [fk('userId')] }),
    ]);
    const b = snap([
      m('User', { email: f(str()) }, { table: 'users', indexes: [unique('users', 'email')] }),
      m('Post', { authorId: f(int) }, { foreignKeys: [fk('authorId')] }),
    ]);
    expect(rules(a, b, { renames: { 'Post.userId': 'authorId' } })).toEqual([
      'rename-breaks-readers warning User',
      'rename-breaks-readers warning Post.authorId',
    ]);
  });

  it('finds nothing in a safe change set', () => {
    const a = snap([m('User', { name: f(str({ maxLength: 10 })) })]);
    const b = snap([m('User', { name: f(str()), bio: f(str(), { optional: true }) })]);
    expect(lint(diff(a, b))).toEqual([]);
  });
});
