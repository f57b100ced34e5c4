// Found by upgrader-fuzz-differential.test.ts: a step looks a migration's transform up by its field's
// key (`t.toString`, `t.constructor`). With the transforms in a plain object, a field named like an
// Object.prototype member without a transform of its own found the inherited member: the generated step
// called `Object(old)` (the whole document became the field's value) or `Object.prototype.toString`
// ('[object Undefined]'), where no transform was given.
import { deepFreeze, defineModel, type Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { applyDocumentChanges, createUpgrader } from '../src/upgrader/index.ts';
import { buildHistory, type SCHEMAS } from './upgrader-history.ts';

const M = (shape: z.ZodRawShape) => defineModel('M', { target: 'document', shape });

// v2: `toString` enum -> string (a checked conversion unless a transform is given), `constructor` added
// (a transform, else its default), and one transform for another field so the step sees `t`
const HISTORY: typeof SCHEMAS = [
  { models: [M({ toString: z.enum(['p', 'q']), k: z.string() })] },
  {
    models: [M({ toString: z.string(), k: z.string(), constructor: z.string().default('c'), n: z.number() })],
    transforms: { M: { n: () => 1 } },
  },
];

describe('fields named like Object.prototype members without a transform of their own', () => {
  const built = buildHistory(HISTORY);
  const doc = (): Row => deepFreeze({ _id: 1, _v: 1, toString: 'p', k: 'x' });
  for (const [which, migrations] of [
    ['generated', built.generated],
    ['interpreted', built.interpreted],
  ] as const) {
    it(`${which}: converted and defaulted as planned, no inherited member called as a transform`, () => {
      const upgrader = createUpgrader({ model: 'M', migrations });
      expect(upgrader.upgrade(doc())).toStrictEqual({
        _id: 1,
        toString: 'p',
        k: 'x',
        constructor: 'c',
        n: 1,
        _v: 2,
      });
    });
  }

  it('applyDocumentChanges looks transforms up the same way', () => {
    const migration = built.interpreted[1]!;
    const out = applyDocumentChanges(
      { toString: 'p', k: 'x' },
      {
        model: 'M',
        before: createUpgrader({ model: 'M', migrations: built.interpreted }).shapeAt(1).fields,
        changes: migration.changes,
        transforms: migration.transforms,
        direction: 'up',
      },
    );
    expect(out).toStrictEqual({ toString: 'p', k: 'x', constructor: 'c', n: 1 });
  });
});
