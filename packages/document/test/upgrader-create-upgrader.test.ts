import { deepFreeze, type EvolveError, isEvolveError, type Migration, type Row } from '@evolve/core';
import { describe, expect, it } from 'vitest';
import { createUpgrader, documentValidator, zodFromSnapshot } from '../src/upgrader/index.ts';
import { loadSection } from './upgrader-fixtures.ts';
import { buildHistory, Happening } from './upgrader-history.ts';

const history = buildHistory();
const v1 = (extra: Row = {}): Row => ({
  _id: 'e1',
  title: 'Hello World',
  price: 3,
  tag: 'x',
  city: 'Paris',
  status: 'archived',
  legacy: 'l',
  items: [{ sku: 'a', qty: 1 }],
  ...extra,
});
const latest = {
  _id: 'e1',
  name: 'Hello World',
  views: 0,
  price: '3',
  tag: ['x'],
  address: { city: 'Paris', zip: null },
  status: 'closed',
  items: [{ code: 'a', qty: 1, unit: 'pc' }],
  slug: 'hello-world',
  _v: 8,
};

function caught(fn: () => unknown): EvolveError {
  try {
    fn();
  } catch (error) {
    if (isEvolveError(error)) return error;
    throw error;
  }
  throw new Error('did not throw');
}

describe('createUpgrader', () => {
  const upgrader = createUpgrader({ model: Happening, migrations: history.generated });

  it('follows the model back through its rename to the version that created it', () => {
    expect(upgrader.model).toBe('Happening');
    expect(upgrader.createdVersion).toBe(1);
    expect(upgrader.latestVersion).toBe(8);
    expect(upgrader.history.steps.map((s) => `${s.migrationId}:${s.generated}`)).toMatchInlineSnapshot(`
      [
        "0002_rename:true",
        "0003_wrap_plunge:true",
        "0004_enum_drop_items:true",
        "0005_to_string:true",
        "0006_relax:true",
      ]
    `);
  });

  it('treats a document without a version field as created at the first version and upgrades it', () => {
    expect(upgrader.versionOf(v1())).toBe(1);
    expect(upgrader.upgrade(v1())).toStrictEqual(latest);
  });

  it('upgrades from an intermediate version and stamps the latest', () => {
    const at3 = upgrader.downgrade(upgrader.upgrade(v1()), 3);
    expect(at3._v).toBe(3);
    expect(at3).toMatchObject({ name: 'Hello World', address: { city: 'Paris', zip: null }, tag: ['x'] });
    expect(upgrader.upgrade(at3)).toStrictEqual(latest);
  });

  it('gives the same result with the generated sections and with the interpreter', () => {
    const interpreted = createUpgrader({ model: 'Happening', migrations: history.interpreted });
    expect(interpreted.history.steps.every((s) => !s.generated)).toBe(true);
    expect(interpreted.upgrade(v1({ status: 'open' }))).toStrictEqual(
      upgrader.upgrade(v1({ status: 'open' })),
    );
  });

  it('returns an already-latest document as it is, and needs no upgrade for it', () => {
    const doc = upgrader.upgrade(v1());
    expect(upgrader.needsUpgrade(doc)).toBe(false);
    expect(upgrader.needsUpgrade(v1())).toBe(true);
    expect(upgrader.upgrade(doc)).toBe(doc);
  });

  it('keeps members the schema does not describe, at the top and inside objects', () => {
    const doc = v1({ extra: { keep: true }, items: [{ sku: 'a', qty: 1, note: 'n' }] });
    const up = upgrader.upgrade(doc);
    expect(up.extra).toStrictEqual({ keep: true });
    expect(up.items).toStrictEqual([{ code: 'a', qty: 1, unit: 'pc', note: 'n' }]);
    expect(upgrader.downgrade(up, 1)).toMatchObject({
      extra: { keep: true },
      items: [{ sku: 'a', note: 'n' }],
    });
  });

  it('keeps members named like the ones plain objects inherit (toString, constructor)', () => {
    const doc = v1({ toString: 'kept', constructor: 1, items: [{ sku: 'a', qty: 1, valueOf: 2 }] });
    const up = upgrader.upgrade(doc);
    expect(Object.hasOwn(up, 'toString') && up.toString).toBe('kept');
    expect(Object.hasOwn(up, 'constructor') && up.constructor).toBe(1);
    expect(up.items).toStrictEqual([{ code: 'a', qty: 1, unit: 'pc', valueOf: 2 }]);
  });

  it('gives the same upgrade the first time and after many documents of each version', () => {
    // the first upgrade from a version builds its fused chain; the result must not depend on it
    const docs = [v1(), upgrader.downgrade(latest, 4), upgrader.downgrade(latest, 7)];
    const first = docs.map((d) => upgrader.upgrade(d));
    for (let i = 0; i < 50; i++) for (const d of docs) upgrader.upgrade(d);
    expect(docs.map((d) => upgrader.upgrade(d))).toStrictEqual(first);
    for (const up of first) expect(up).toStrictEqual(latest);
  });

  it('runs a hand-edited down on the document as its step began, not on a working copy earlier lines changed', () => {
    // Found checking the generated code against Cambria's lenses: `const old = doc` in an edited `down`
    // worked when called directly but saw the in-place working copy under downgrade (where the generated
    // lines had already moved address.city out and removed address).
    const source = history.sources[2] as string;
    const down = source.indexOf('down(');
    const edited =
      source.slice(0, down) +
      source
        .slice(down)
        .replace(
          'const inPlace = owned;',
          'const inPlace = owned;\n      const old: Record<string, unknown> = doc;',
        )
        .replace(
          'return out as EventV2;',
          "out.city = String((old.address as { city?: string } | undefined)?.city ?? '?').toUpperCase();\n      return out as EventV2;",
        );
    const section = loadSection(edited);
    const atV3 = { name: 'N', views: 0, price: 1, tag: ['x'], address: { city: 'Paris', zip: null } };
    expect(section.Event!.down(atV3, {}).city).toBe('PARIS');
    const migrations = history.generated.map((m, i) => (i === 2 ? { ...m, documents: section } : m));
    const edits = createUpgrader({ model: 'Happening', migrations });
    const atLatest = upgrader.upgrade(v1());
    expect(edits.downgrade(atLatest, 2).city).toBe('PARIS');
    expect(edits.downgrade(edits.downgrade(atLatest, 3), 2).city).toBe('PARIS');
    // every other step is unchanged
    expect({ ...edits.downgrade(atLatest, 2), city: 'Paris' }).toStrictEqual(upgrader.downgrade(atLatest, 2));
  });

  it('gives a transform the document as its step began, with generated sections and with the interpreter', () => {
    // 0003 moves city into address before it converts tag; the tag transform still reads the old city
    const transforms = { Event: { tag: (old: Row) => [old.tag, old.city] } };
    for (const list of [history.generated, history.interpreted]) {
      const migrations = list.map((m, i) => (i === 2 ? { ...m, transforms } : m));
      const up = createUpgrader({ model: 'Happening', migrations }).upgrade(v1());
      expect(up.tag).toStrictEqual(['x', 'Paris']);
      expect(up.address).toStrictEqual({ city: 'Paris', zip: null });
    }
  });

  it("copies only the parts its steps edit: the rest of the result is the input's own, never written", () => {
    const at5 = deepFreeze(upgrader.downgrade(latest, 5));
    const up = upgrader.upgrade(at5);
    expect(up).toStrictEqual(upgrader.upgrade(structuredClone(at5)));
    expect(up.address).toBe(at5.address);
    expect(up.items).toBe(at5.items);
    // from version 3 the chain renames inside the items: those are copies
    const at3 = deepFreeze(upgrader.downgrade(latest, 3));
    expect(upgrader.upgrade(at3)).toStrictEqual(latest);
    expect(upgrader.upgrade(at3).items).not.toBe(at3.items);
  });

  it('gives a hand-edited step that writes outside its plan a copy of the whole document', () => {
    // 0004 renames inside items and drops legacy; the edit also writes into address, which it never plans
    const source = history.sources[3] as string;
    const up = source.indexOf('up(');
    const end = source.indexOf('return out', up);
    const edited = `${source.slice(0, end)}(out.address as Row).zip = '75000';\n      ${source.slice(end)}`;
    const section = loadSection(
      edited.replace(/\(out\.address as Row\)/, '(out.address as { zip: string })'),
    );
    const migrations = history.generated.map((m, i) => (i === 3 ? { ...m, documents: section } : m));
    const edits = createUpgrader({ model: 'Happening', migrations });
    for (const version of [1, 3]) {
      const doc = deepFreeze(upgrader.downgrade(latest, version));
      const before = structuredClone(doc);
      expect(edits.upgrade(doc)).toStrictEqual({ ...latest, address: { city: 'Paris', zip: '75000' } });
      expect(doc).toStrictEqual(before);
    }
  });

  it('never mutates the document it is given', () => {
    const doc = v1();
    const copy = structuredClone(doc);
    upgrader.upgrade(doc);
    expect(doc).toStrictEqual(copy);
  });

  it('refuses a document from a future version, naming it', () => {
    const error = caught(() => upgrader.upgrade({ ...latest, _v: 9 }));
    expect(error.code).toBe('FUTURE_VERSION');
    expect(error.message).toContain('e1');
    expect(error.message).toContain('version 9');
  });

  it('reports validation failures with the document id, its version and the failing path', () => {
    const error = caught(() => upgrader.upgrade(v1({ items: [{ sku: 'a', qty: 'one' }] })));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.path).toBe('Happening.items.0.qty');
    expect(error.message).toMatch(/Happening document e1 \(version 1\).*items\.0\.qty/);
    expect(error.details).toMatchObject({ id: 'e1', version: 1, field: 'items.0.qty' });
  });

  it('reports a failing conversion as TRANSFORM_FAILED with the id, version and field', () => {
    const bad = caught(() => upgrader.downgrade({ ...latest, price: '3.50' }, 4));
    expect(bad.code).toBe('TRANSFORM_FAILED');
    expect(bad.path).toBe('Event.price');
    expect(bad.message).toContain('e1 (version 8)');
    expect(bad.message).toContain('0005_to_string');
  });

  it('reports a step failing during an upgrade with the id, version and migration', () => {
    const bad = caught(() => upgrader.upgrade(v1({ price: 'three' })));
    expect(bad.code).toBe('TRANSFORM_FAILED');
    expect(bad.path).toBe('Event.price');
    expect(bad.message).toContain('e1 (version 1), up 0005_to_string');
    expect(bad.details).toMatchObject({ id: 'e1', version: 1, migration: '0005_to_string' });
  });

  it('throws TODO_TRANSFORM when a required transform is missing', () => {
    const withoutSlug = history.generated.map(
      (m): Migration => (m.id === '0005_to_string' ? { ...m, transforms: {} } : m),
    );
    const u = createUpgrader({ model: Happening, migrations: withoutSlug });
    const error = caught(() => u.upgrade(v1()));
    expect(error.code).toBe('TODO_TRANSFORM');
    expect(error.path).toBe('Event.slug');
    expect(error.message).toContain('e1 (version 1)');
  });

  it('downgrades to each version and validates there', () => {
    const doc = upgrader.upgrade(v1({ status: 'open' }));
    const { legacy: _dropped, ...rest } = v1({ status: 'open' });
    expect(upgrader.downgrade(doc, 1)).toStrictEqual({ ...rest, _v: 1 });
    for (const version of [2, 3, 4, 5, 6, 7, 8]) expect(upgrader.downgrade(doc, version)._v).toBe(version);
    expect(caught(() => upgrader.downgrade(upgrader.downgrade(doc, 3), 5)).code).toBe('VALIDATION_FAILED');
  });

  it('lists older stored paths of renamed and moved fields for queries', () => {
    expect(upgrader.aliases('name')).toStrictEqual(['title']);
    expect(upgrader.aliases('address.city')).toStrictEqual(['city']);
    expect(upgrader.aliases('items.code')).toStrictEqual(['items.sku']);
    expect(upgrader.aliases('slug')).toStrictEqual([]);
  });

  it('refuses an edited history and an unknown model', () => {
    const edited = history.generated.map((m, i): Migration => (i === 2 ? { ...m, to: 'f'.repeat(64) } : m));
    expect(caught(() => createUpgrader({ model: 'Happening', migrations: edited })).code).toBe(
      'INVALID_MIGRATION',
    );
    expect(caught(() => createUpgrader({ model: 'Nope', migrations: history.generated })).code).toBe(
      'NOT_FOUND',
    );
  });

  it('uses a custom version field', () => {
    const u = createUpgrader({
      model: 'Happening',
      migrations: history.generated,
      versionField: 'schemaVersion',
    });
    expect(u.upgrade(v1()).schemaVersion).toBe(8);
  });

  it('validates with zod built from the snapshot when asked', () => {
    const u = createUpgrader({ model: 'Happening', migrations: history.interpreted, validate: 'zod' });
    expect(u.upgrade(v1())).toStrictEqual(latest);
    expect(caught(() => u.upgrade(v1({ title: 'x'.repeat(41) }))).path).toBe('Happening.name');
  });
});

describe('zodFromSnapshot', () => {
  it('accepts what the model accepts and rejects what it rejects', () => {
    const shape = history.snapshots[7]?.models.Happening;
    if (!shape) throw new Error('missing');
    const schema = zodFromSnapshot(shape);
    expect(schema.safeParse(latest).success).toBe(true);
    expect(Happening.schema.safeParse(latest).success).toBe(true);
    const bad = { ...latest, status: 'archived' };
    expect(schema.safeParse(bad).success).toBe(false);
    expect(Happening.schema.safeParse(bad).success).toBe(false);
  });
});

describe('documentValidator', () => {
  it('accepts only the latest version after a transition', () => {
    const { $jsonSchema } = documentValidator({ model: Happening, migrations: history.generated });
    expect($jsonSchema.title).toBe('Happening v8');
    expect($jsonSchema.required).toContain('_v');
    expect(($jsonSchema.properties as Record<string, unknown>)._v).toStrictEqual({ enum: [8] });
  });

  it('accepts every live version during a transition, keyed on the version field', () => {
    const { $jsonSchema } = documentValidator({
      model: Happening,
      migrations: history.generated,
      live: [1, 5, 8],
    });
    const branches = $jsonSchema.anyOf as Array<Record<string, any>>;
    expect(branches.map((b) => b.title)).toStrictEqual(['Happening v8', 'Happening v5', 'Happening v1']);
    // documents of the creating version may lack the version field
    expect(branches[2]?.required).not.toContain('_v');
    expect(branches[2]?.properties.title).toStrictEqual({ bsonType: 'string', maxLength: 40 });
    expect(branches[1]?.properties.status).toStrictEqual({ enum: ['open', 'closed'] });
    expect(branches[0]?.properties.status).toStrictEqual({ enum: ['open', 'closed', null] });
    expect(branches[0]?.properties.items).toMatchInlineSnapshot(`
      {
        "bsonType": "array",
        "items": {
          "bsonType": "object",
          "properties": {
            "code": {
              "bsonType": "string",
            },
            "qty": {
              "bsonType": [
                "int",
                "long",
                "double",
              ],
            },
            "unit": {
              "bsonType": "string",
            },
          },
          "required": [
            "code",
            "qty",
          ],
        },
      }
    `);
  });

  it('refuses a version the model never had', () => {
    expect(
      caught(() => documentValidator({ model: Happening, migrations: history.generated, live: [12] })).code,
    ).toBe('NOT_FOUND');
  });
});
