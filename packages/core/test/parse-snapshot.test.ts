import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModel, defineSchema, parseSnapshot, serializeSnapshot, toSnapshot } from '../src/index.ts';

const text = serializeSnapshot(
  toSnapshot(defineSchema([defineModel('User', { shape: { id: z.number().int(), name: z.string() } })])),
);

describe('parseSnapshot', () => {
  it('reads back a serialized snapshot with the same hash', () => {
    expect(parseSnapshot(text).hash).toBe(JSON.parse(text).hash);
  });

  it.each([
    ['truncated', text.slice(0, text.length / 2)],
    ['edited by hand', text.replace('"string"', '"boolean"')],
    ['a foreign file', JSON.stringify({ name: 'my-app', version: '1.0.0' })],
    ['of another format version', text.replace('"format": 1', '"format": 2')],
    ['with an unknown member', text.replace('"nullable": false', '"nullable": false, "unique": true')],
    ['with a model under another key', text.replace('"name": "User"', '"name": "Person"')],
  ])('rejects a file that is %s with INVALID_SNAPSHOT naming the source', (_name, input) => {
    expect(() => parseSnapshot(input, 'migrations/snapshot.json')).toThrow(
      expect.objectContaining({
        code: 'INVALID_SNAPSHOT',
        path: expect.stringContaining('migrations/snapshot.json'),
      }),
    );
  });
});
