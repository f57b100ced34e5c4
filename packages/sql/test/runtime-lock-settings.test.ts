import { isEvolveError } from '@evolve/core';
import { CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { lockWaitSettings } from '../src/runtime/lock-wait-settings.ts';
import { statementTables } from '../src/runtime/statement-tables.ts';

describe('lock wait settings', () => {
  it('defaults to 1 s per statement, 5 retries, 250 ms before the first retry', () => {
    expect(lockWaitSettings({})).toEqual({ timeoutMs: 1000, retries: 5, retryDelayMs: 250 });
    expect(lockWaitSettings({ statementLockTimeoutMs: 500, lockRetries: 0, lockRetryDelayMs: 0 })).toEqual({
      timeoutMs: 500,
      retries: 0,
      retryDelayMs: 0,
    });
  });

  it('refuses a setting that is not a usable number with INVALID_CONFIG naming it', () => {
    for (const options of [
      { statementLockTimeoutMs: 0 },
      { statementLockTimeoutMs: Number.NaN },
      { lockRetries: -1 },
      { lockRetryDelayMs: Number.POSITIVE_INFINITY },
      { lockRetries: '3' as unknown as number },
    ]) {
      let error: unknown;
      try {
        lockWaitSettings(options);
      } catch (e) {
        error = e;
      }
      expect(isEvolveError(error, 'INVALID_CONFIG')).toBe(true);
      expect((error as Error).message).toContain(Object.keys(options)[0]);
    }
  });
});

describe('the tables a lock wait is about', () => {
  const tables = (...statements: string[]) => statementTables(statements.map((s) => CompiledQuery.raw(s)));

  it('reads them from the DDL and DML every dialect compiles, quoted or not', () => {
    expect(tables('alter table "users" add column "email" text')).toEqual(['users']);
    expect(tables('alter table `t``x` add index `i` (`a`), algorithm=inplace, lock=none')).toEqual(['t`x']);
    expect(tables('create unique index concurrently if not exists "i" on "public"."orders" ("a")')).toEqual([
      'public.orders',
    ]);
    expect(tables('create table if not exists lk_a (id int)', 'insert into j_c (n) values (1)')).toEqual([
      'lk_a',
      'j_c',
    ]);
    expect(tables('update "x" set "a" = 1', 'delete from "y" where "id" = 2')).toEqual(['x', 'y']);
  });

  it('does not take the column list of a trigger (`update of "balance" on "accounts"`) for a table', () => {
    expect(
      tables(
        'create trigger "t" after insert or update of "balance" on "accounts" for each row execute function f()',
      ),
    ).toEqual([]);
  });
});
