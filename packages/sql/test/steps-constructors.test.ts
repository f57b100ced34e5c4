import { expect, it } from 'vitest';
import {
  addColumn,
  backfill,
  createIndex,
  dropColumn,
  ifNull,
  isDestructiveStep,
  rawSql,
  setNotNull,
  sqlExpression,
  transform,
  value,
} from '../src/index.ts';

it('builds plain frozen step data that reads like the call that made it', () => {
  const step = addColumn('User', 'email', { type: { kind: 'string' }, nullable: true });
  expect(step).toEqual({
    kind: 'addColumn',
    table: 'User',
    column: 'email',
    spec: { type: { kind: 'string' }, nullable: true },
  });
  expect(Object.isFrozen(step)).toBe(true);
  expect(Object.isFrozen(step.spec)).toBe(true);
  expect(setNotNull('User', 'email')).toEqual({ kind: 'setNotNull', table: 'User', column: 'email' });
  expect(createIndex('User', 'User_email_key', { columns: ['email'] })).toMatchObject({ unique: false });
});

it('describes backfill sources: transforms, constants, SQL expressions, and null-only fills', () => {
  expect(
    backfill('User', { email: transform('email'), n: ifNull(value(0)), lower: sqlExpression('lower(name)') }),
  ).toEqual({
    kind: 'backfill',
    model: 'User',
    table: 'User',
    set: {
      email: { transform: 'email' },
      n: { value: 0, onlyNull: true },
      lower: { expression: 'lower(name)' },
    },
  });
  expect(backfill('Order', {}, { table: 'orders' }).table).toBe('orders');
});

it('marks the steps that lose data as destructive', () => {
  expect(isDestructiveStep(dropColumn('User', 'legacy'))).toBe(true);
  expect(isDestructiveStep(setNotNull('User', 'email'))).toBe(false);
  expect(isDestructiveStep(rawSql({ sqlite: 'select 1' }))).toBe(false);
});
