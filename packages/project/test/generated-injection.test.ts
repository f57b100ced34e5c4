import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineModel, defineSchema, diff, toSnapshot } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { importModule } from '../src/import-module.ts';
import { renderMigration } from '../src/render-migration.ts';
import { renderSections } from '../src/render-sections.ts';

const CANARY = '__evolveInjectionCanary';
const INJECTED = [
  `b\nglobalThis.${CANARY} = 1//`,
  `c\r\u2028globalThis.${CANARY} = 2 /* */ \`\${1}\` '"`,
  `d'; globalThis.${CANARY} = 3; '`,
  // a control character (a NUL is refused at definition: no engine stores it in text)
  `e*/ globalThis.${CANARY} = 4 /*\u0001`,
];
const dir = join(import.meta.dirname, '.generated-injection');

async function render(target: 'sql' | 'document', before: string[], after: string[]) {
  const snap = (values: string[]) =>
    toSnapshot(
      defineSchema([
        defineModel('Item', {
          target,
          shape: {
            [target === 'sql' ? 'id' : '_id']: z.string(),
            kind: z.enum(values as [string, ...string[]]),
          },
        }),
      ]),
    );
  const prev = snap(before);
  const next = snap(after);
  const changeSet = diff(prev, next);
  const sections = await renderSections(changeSet, prev, next, { version: 2 });
  return renderMigration({
    id: '0002_x',
    from: prev.hash,
    to: next.hash,
    changes: changeSet.changes,
    ...sections,
  });
}

describe('generated migration files escape every user string', () => {
  for (const target of ['sql', 'document'] as const) {
    it(`${target}: an enum value with a newline stays inside its comment and literal (regression: it ran as code)`, async () => {
      for (const [before, after] of [
        [['a', ...INJECTED], ['a']],
        [['a'], ['a', ...INJECTED]],
      ] as const) {
        const source = await render(target, [...before], [...after]);
        const header = source.slice(0, source.indexOf('import '));
        for (const line of header.split(/\r\n|[\n\r\u2028\u2029]/))
          if (line !== '') expect(line).toMatch(/^\/\//);
        mkdirSync(dir, { recursive: true });
        const file = join(dir, `m${Math.random().toString(36).slice(2)}.ts`);
        writeFileSync(file, source);
        try {
          const mod = await importModule(file, { code: 'INVALID_MIGRATION', what: 'migration' });
          expect(mod.default).toBeTruthy();
        } finally {
          rmSync(file);
        }
        expect((globalThis as Record<string, unknown>)[CANARY]).toBeUndefined();
      }
    });
  }
});
