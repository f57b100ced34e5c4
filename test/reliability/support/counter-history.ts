import {
  defineMigration,
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  type Row,
  type Transforms,
  toSnapshot,
} from '@evolve/core';
import { z } from 'zod';

/**
 * A document model history for the sweep and write-back suites (JSON documents in a SQL table):
 *
 * v1 0001_create_counters  Counter { name, count, code: number }
 * v2 0002_add_title        + title (required, derived from name)
 * v3 0003_code_as_text     code: number -> string, through a transform `C-<n>`
 *
 * The v3 transform is not idempotent on purpose: a document transformed twice shows `C-C-<n>`.
 */
const v1 = defineModel('Counter', {
  target: 'document',
  table: 'counters',
  shape: { name: z.string(), count: z.number().int(), code: z.number().int() },
});
const v2 = defineModel('Counter', {
  target: 'document',
  table: 'counters',
  shape: { ...v1.shape, title: z.string() },
});
export const CounterModel = defineModel('Counter', {
  target: 'document',
  table: 'counters',
  shape: { ...v2.shape, code: z.string() },
});

export const titleOf = (old: Row) => `${String(old.name)}!`;
export const codeOf = (old: Row) => `C-${String(old.code)}`;

const TRANSFORMS: (Transforms | undefined)[] = [
  undefined,
  { Counter: { title: titleOf } },
  { Counter: { code: codeOf } },
];
const IDS = ['0001_create_counters', '0002_add_title', '0003_code_as_text'];

export const COUNTER_MIGRATIONS: readonly Migration[] = (() => {
  let prev = emptySnapshot();
  return [v1, v2, CounterModel].map((model, i) => {
    const next = toSnapshot(defineSchema([model]));
    const changeSet = diff(prev, next);
    prev = next;
    const transforms = TRANSFORMS[i];
    return defineMigration({
      id: IDS[i] as string,
      from: changeSet.from,
      to: changeSet.to,
      changes: changeSet.changes,
      ...(transforms ? { transforms } : {}),
    });
  });
})();

export const counterId = (i: number) => `c${String(i).padStart(6, '0')}`;

/** Counter `i` as an old application stored it (v1, no version field). */
export function seedCounter(i: number): Row {
  return { _id: counterId(i), name: `counter-${i}`, count: 0, code: i * 3 };
}

/** The fields counter `i` must hold at the latest version, given how often it was incremented. */
export function expectedCounter(i: number, increments = 0): Row {
  const old = seedCounter(i);
  return { _id: old._id, name: old.name, count: increments, code: codeOf(old), title: titleOf(old), _v: 3 };
}
