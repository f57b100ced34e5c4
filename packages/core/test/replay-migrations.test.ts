import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  defineModel,
  defineSchema,
  diff,
  emptySnapshot,
  type Migration,
  migrationVersion,
  replayMigrations,
  toSnapshot,
} from '../src/index.ts';

const v1 = toSnapshot(defineSchema([defineModel('User', { shape: { id: z.int(), name: z.string() } })]));
const v2 = toSnapshot(
  defineSchema([
    defineModel('User', { shape: { id: z.int(), name: z.string(), email: z.string().optional() } }),
  ]),
);

function migration(id: string, from = emptySnapshot(), to = v1): Migration {
  const changes = diff(from, to);
  return { id, ...changes };
}

describe('replayMigrations', () => {
  it('rebuilds the schema before and after every migration', () => {
    const history = replayMigrations([migration('0001_init'), migration('0002_email', v1, v2)]);
    expect(history.steps.map((s) => [s.version, s.before.hash, s.after.hash])).toEqual([
      [1, emptySnapshot().hash, v1.hash],
      [2, v1.hash, v2.hash],
    ]);
    expect(history.latest.hash).toBe(v2.hash);
  });

  it('refuses reordered migrations, naming the one that does not fit', () => {
    expect(() => replayMigrations([migration('0002_email', v1, v2), migration('0003_init')])).toThrowError(
      expect.objectContaining({ code: 'INVALID_MIGRATION', path: '0002_email' }),
    );
  });

  it('refuses ids that do not increase or are malformed', () => {
    expect(() => replayMigrations([migration('0002_init'), migration('0002_email', v1, v2)])).toThrowError(
      expect.objectContaining({ code: 'INVALID_MIGRATION', path: '0002_email' }),
    );
    expect(() => migrationVersion('init')).toThrowError(
      expect.objectContaining({ code: 'INVALID_MIGRATION' }),
    );
  });

  it('refuses a migration whose changes were edited so they no longer lead to its recorded schema', () => {
    const edited = { ...migration('0001_init'), changes: [] };
    expect(() => replayMigrations([edited])).toThrowError(
      expect.objectContaining({ code: 'INVALID_MIGRATION', path: '0001_init' }),
    );
  });
});
