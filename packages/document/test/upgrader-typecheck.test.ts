import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ChangeSet, defineSchema, diff, emptySnapshot, toSnapshot } from '@evolve/core';
import { afterAll, describe, expect, it } from 'vitest';
import { emitDocumentSection } from '../src/upgrader/index.ts';
import { changes, documentModel, field, snapshotOf, T } from './upgrader-fixtures.ts';
import { SCHEMAS } from './upgrader-history.ts';

const dir = join(import.meta.dirname, `.tmp-typecheck-${process.pid}`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function moduleText(
  changeSet: Pick<ChangeSet, 'changes'>,
  source: ReturnType<typeof emitDocumentSection>,
  id: string,
) {
  return [
    "import { defineMigration, type Change } from '@evolve/core';",
    ...source.imports,
    '',
    source.types ?? '',
    '',
    'export default defineMigration({',
    `  id: '${id}',`,
    "  from: '',",
    "  to: '',",
    `  changes: JSON.parse(${JSON.stringify(JSON.stringify(changeSet.changes))}) as Change[],`,
    `  documents: ${source.code.replace(/\n/g, '\n  ')},`,
    '});',
    '',
  ].join('\n');
}

/** A step with every change kind the emitter handles, top-level and nested. */
function everyKind() {
  const c = changes();
  const before = {
    title: field(T.string()),
    price: field(T.float()),
    n: field(T.int()),
    status: field(T.enum('open', 'archived')),
    address: field(T.object({ city: field(T.string()), zip: field(T.string(), { optional: true }) })),
    items: field(T.array(field(T.object({ sku: field(T.string()), qty: field(T.int()) })))),
    legacy: field(T.int()),
    tag: field(T.string()),
    amount: field(T.float()),
    flag: field(T.bool()),
    opt: field(T.int(), { optional: true }),
    nul: field(T.int(), { nullable: true }),
    born: field(T.date()),
  };
  const list = [
    c.rename(['title'], ['name'], field(T.string())),
    c.type(['price'], T.float(), T.string()),
    c.type(['n'], T.int(), T.float()),
    c.removeEnum(['status'], ['open', 'archived'], ['archived']),
    c.rename(['address', 'city'], ['city'], field(T.string())),
    c.optional(['address', 'zip'], true),
    c.rename(['items', '[]', 'sku'], ['items', '[]', 'code'], field(T.string())),
    c.type(['items', '[]', 'qty'], T.int(), T.string()),
    c.add(['items', '[]', 'unit'], field(T.string(), { default: 'pc' })),
    c.drop(['legacy'], field(T.int())),
    c.type(['tag'], T.string(), T.array(field(T.string()))),
    c.type(
      ['amount'],
      T.float(),
      T.object({ value: field(T.float()), currency: field(T.string(), { default: 'EUR' }) }),
    ),
    c.type(['flag'], T.bool(), T.int()),
    c.optional(['opt'], true),
    c.nullable(['nul'], true),
    c.add(['slug'], field(T.string())),
    c.add(['when'], field(T.date(), { default: '2020-01-01T00:00:00.000Z' })),
    c.type(['born'], T.date(), T.string()),
  ];
  const snap = snapshotOf([documentModel('Event', before)]);
  return { list, source: emitDocumentSection({ changes: list }, { before: snap, after: snap, version: 5 }) };
}

/** A step whose members are named like ones every object inherits: read as `d.own(out, 'valueOf')`. */
function inheritedNames() {
  const c = changes();
  const before = {
    constructor: field(T.string(), { optional: true }),
    valueOf: field(T.int(), { optional: true }),
    toString: field(T.string(), { optional: true }),
    hasOwnProperty: field(T.enum('a', 'b'), { optional: true }),
    isPrototypeOf: field(T.string(), { optional: true }),
    o: field(T.object({ toLocaleString: field(T.string(), { optional: true }) })),
    items: field(T.array(field(T.object({ valueOf: field(T.int(), { optional: true }) })))),
  };
  const list = [
    c.rename(['constructor'], ['c'], field(T.string(), { optional: true })),
    c.type(['valueOf'], T.int(), T.string()),
    c.optional(['toString'], true),
    c.removeEnum(['hasOwnProperty'], ['a', 'b'], ['b']),
    c.rename(['isPrototypeOf'], ['h', 'isPrototypeOf'], field(T.string(), { optional: true })),
    c.rename(['o', 'toLocaleString'], ['o', 'c'], field(T.string(), { optional: true })),
    c.type(['items', '[]', 'valueOf'], T.int(), T.string()),
  ];
  const snap = snapshotOf([documentModel('Event', before)]);
  return { list, source: emitDocumentSection({ changes: list }, { before: snap, after: snap, version: 6 }) };
}

describe('generated document sections', () => {
  it('type-check with tsc as complete migration modules', () => {
    mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    let prev = emptySnapshot();
    SCHEMAS.forEach((step, i) => {
      const next = toSnapshot(defineSchema(step.models));
      const changeSet = diff(prev, next, step.renames ? { renames: step.renames } : {});
      const source = emitDocumentSection(changeSet, { before: prev, after: next, version: i + 1 });
      const name = `m${i + 1}.ts`;
      writeFileSync(join(dir, name), moduleText(changeSet, source, `000${i + 1}_step`));
      files.push(name);
      prev = next;
    });
    const all = everyKind();
    expect(all.source.plans[0]?.up.length).toBe(all.list.length);
    writeFileSync(
      join(dir, 'every-kind.ts'),
      moduleText({ changes: all.list }, all.source, '0005_every_kind'),
    );
    files.push('every-kind.ts');
    const inherited = inheritedNames();
    expect(inherited.source.code).toContain("d.own(out, 'valueOf')");
    writeFileSync(
      join(dir, 'inherited-names.ts'),
      moduleText({ changes: inherited.list }, inherited.source, '0006_inherited_names'),
    );
    files.push('inherited-names.ts');
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: '../../../../tsconfig.base.json',
        // generated step functions declare only the parameters they use (imports may go unused)
        compilerOptions: {
          noEmit: true,
          allowImportingTsExtensions: true,
          noUnusedLocals: false,
          noUnusedParameters: true,
        },
        files,
      }),
    );
    let output = '';
    try {
      output = execFileSync('npx', ['tsc', '-p', join(dir, 'tsconfig.json')], {
        cwd: dir,
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    // only the generated files are ours to judge (the package sources are checked by the repository's tsc run)
    const ours = output
      .split('\n')
      .filter((line) =>
        /^(m\d+|every-kind|inherited-names)\.ts/.test(line.replace(/^.*\.tmp-typecheck-\d+\//, '')),
      );
    expect(ours).toStrictEqual([]);
  }, 120_000);
});
