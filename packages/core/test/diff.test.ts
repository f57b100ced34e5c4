import { describe, expect, it } from 'vitest';
import {
  applyChanges,
  type ChangeSet,
  type DiffOptions,
  diff,
  EvolveError,
  reverse,
  type Snapshot,
} from '../src/index.ts';
import { arr, bool, enumOf, f, float, int, json, m, obj, snap, str } from './builders.ts';

/** Diffs, then checks that the change set replays forward and backward. */
function roundTrip(a: Snapshot, b: Snapshot, options?: DiffOptions): ChangeSet {
  const changes = diff(a, b, options);
  expect(applyChanges(a, changes).hash).toBe(b.hash);
  expect(applyChanges(b, reverse(changes)).hash).toBe(a.hash);
  return changes;
}

/** Kind, path, risk and compatibility of each change, one line each. */
const summary = (cs: ChangeSet) =>
  cs.changes.map(
    (c) =>
      `${c.kind} ${[c.model, ...c.path].join('.')} ${c.risk} b=${c.compatibility.backward} f=${c.compatibility.forward}`,
  );

const user = (fields: Parameters<typeof m>[1], extra?: Parameters<typeof m>[2]) => m('User', fields, extra);

describe('diff: models', () => {
  it('is empty for equal snapshots', () => {
    const a = snap([user({ name: f(str()) })]);
    expect(diff(a, a)).toEqual({ from: a.hash, to: a.hash, changes: [] });
  });

  it('creates a model without its indexes and foreign keys, which follow as their own changes', () => {
    const a = snap([user({})]);
    const post = m(
      'Post',
      { userId: f(int), title: f(str({ maxLength: 200 })) },
      {
        indexes: [{ name: 'Post_title_idx', fields: ['title'], unique: false }],
        foreignKeys: [
          {
            name: 'Post_userId_fkey',
            fields: ['userId'],
            references: { model: 'User', fields: ['id'] },
            onDelete: 'cascade',
          },
        ],
      },
    );
    const cs = roundTrip(a, snap([user({}), post]));
    expect(cs.changes).toMatchInlineSnapshot(`
      [
        {
          "compatibility": {
            "backward": true,
            "forward": true,
          },
          "definition": {
            "fields": {
              "id": {
                "nullable": false,
                "optional": false,
                "type": {
                  "integer": true,
                  "kind": "number",
                },
              },
              "title": {
                "nullable": false,
                "optional": false,
                "type": {
                  "kind": "string",
                  "maxLength": 200,
                },
              },
              "userId": {
                "nullable": false,
                "optional": false,
                "type": {
                  "integer": true,
                  "kind": "number",
                },
              },
            },
            "foreignKeys": [],
            "indexes": [],
            "name": "Post",
            "primaryKey": [
              "id",
            ],
            "table": "Post",
            "target": "sql",
          },
          "kind": "createModel",
          "model": "Post",
          "path": [],
          "risk": "safe",
        },
        {
          "compatibility": {
            "backward": true,
            "forward": true,
          },
          "index": {
            "fields": [
              "title",
            ],
            "name": "Post_title_idx",
            "unique": false,
          },
          "kind": "addIndex",
          "model": "Post",
          "path": [],
          "risk": "safe",
        },
        {
          "compatibility": {
            "backward": true,
            "forward": true,
          },
          "foreignKey": {
            "fields": [
              "userId",
            ],
            "name": "Post_userId_fkey",
            "onDelete": "cascade",
            "references": {
              "fields": [
                "id",
              ],
              "model": "User",
            },
          },
          "kind": "addForeignKey",
          "model": "Post",
          "path": [],
          "risk": "safe",
        },
      ]
    `);
  });

  it('drops a model after dropping its indexes and foreign keys', () => {
    const post = m(
      'Post',
      { userId: f(int) },
      {
        indexes: [{ name: 'Post_userId_idx', fields: ['userId'], unique: false }],
        foreignKeys: [
          {
            name: 'Post_userId_fkey',
            fields: ['userId'],
            references: { model: 'User', fields: ['id'] },
            onDelete: 'no action',
          },
        ],
      },
    );
    const cs = roundTrip(snap([user({}), post]), snap([user({})]), { drops: ['Post'] });
    expect(summary(cs)).toMatchInlineSnapshot(`
      [
        "dropForeignKey Post safe b=true f=true",
        "dropIndex Post safe b=true f=true",
        "dropModel Post destructive b=true f=false",
      ]
    `);
    const drop = cs.changes.at(-1);
    expect(drop?.kind === 'dropModel' && drop.previous.indexes).toEqual([]);
  });

  it('renames a model from its renamedFrom hint, renaming its table and keeping foreign keys to it', () => {
    const fk = (model: string) => ({
      name: 'Post_clientId_fkey',
      fields: ['clientId'],
      references: { model, fields: ['id'] },
      onDelete: 'no action' as const,
    });
    const a = snap([m('Client', {}), m('Post', { clientId: f(int) }, { foreignKeys: [fk('Client')] })]);
    const b = snap([m('Customer', {}), m('Post', { clientId: f(int) }, { foreignKeys: [fk('Customer')] })], {
      models: { Customer: 'Client' },
    });
    const cs = roundTrip(a, b);
    expect(cs.changes).toMatchInlineSnapshot(`
      [
        {
          "compatibility": {
            "backward": false,
            "forward": false,
          },
          "from": "Client",
          "kind": "renameModel",
          "model": "Customer",
          "path": [],
          "risk": "safe",
        },
        {
          "compatibility": {
            "backward": false,
            "forward": false,
          },
          "from": "Client",
          "kind": "renameTable",
          "model": "Customer",
          "path": [],
          "risk": "safe",
          "to": "Customer",
        },
      ]
    `);
  });

  it('renames a model from the renames option (old -> new)', () => {
    const a = snap([m('Client', {}, { table: 'clients' })]);
    const b = snap([m('Customer', {}, { table: 'clients' })]);
    expect(summary(roundTrip(a, b, { renames: { Client: 'Customer' } }))).toEqual([
      'renameModel Customer safe b=false f=false',
    ]);
  });

  it('ignores a stale model hint whose old model no longer exists', () => {
    const a = snap([m('Customer', {})]);
    const b = snap([m('Customer', { email: f(str(), { optional: true }) })], {
      models: { Customer: 'Client' },
    });
    expect(summary(roundTrip(a, b))).toEqual(['addField Customer.email safe b=true f=true']);
  });

  it('reads a vanished and an appeared model as ambiguous, naming the pair and both answers', () => {
    const a = snap([m('Client', {})]);
    const b = snap([m('Customer', {})]);
    let error: unknown;
    try {
      diff(a, b);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EvolveError);
    const e = error as EvolveError;
    expect(e.code).toBe('AMBIGUOUS_RENAME');
    expect(e.path).toBe('');
    expect(e.message).toContain('Client -> Customer');
    expect(e.message).toContain("renames: { 'Client': 'Customer' }");
    expect(e.message).toContain("drops: ['Client']");
    expect(summary(roundTrip(a, b, { drops: ['Client'] }))).toEqual([
      'createModel Customer safe b=true f=true',
      'dropModel Client destructive b=true f=false',
    ]);
  });

  it('refuses to move a model between sql and document storage', () => {
    const a = snap([m('Event', { _id: f(str()) }, { target: 'sql', primaryKey: ['_id'] })]);
    const b = snap([m('Event', { _id: f(str()) }, { target: 'document' })]);
    expect(() => diff(a, b)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_CHANGE', path: 'Event' }));
  });

  it('changes a primary key, and a table name without a model rename', () => {
    const a = snap([user({ email: f(str()) })]);
    const b = snap([m('User', { id: f(int), email: f(str()) }, { primaryKey: ['email'], table: 'users' })]);
    expect(roundTrip(a, b).changes).toMatchInlineSnapshot(`
      [
        {
          "compatibility": {
            "backward": false,
            "forward": false,
          },
          "from": "User",
          "kind": "renameTable",
          "model": "User",
          "path": [],
          "risk": "safe",
          "to": "users",
        },
        {
          "compatibility": {
            "backward": true,
            "forward": true,
          },
          "from": [
            "id",
          ],
          "kind": "changePrimaryKey",
          "model": "User",
          "path": [],
          "risk": "needs-backfill",
          "to": [
            "email",
          ],
        },
      ]
    `);
  });
});

describe('diff: fields', () => {
  it('adds fields, classifying required-without-default as needing a backfill', () => {
    const a = snap([user({})]);
    const b = snap([
      user({
        bio: f(str(), { optional: true }),
        nick: f(str(), { nullable: true }),
        plan: f(str(), { default: { value: 'free' } }),
        born: f(int),
      }),
    ]);
    expect(summary(roundTrip(a, b))).toMatchInlineSnapshot(`
      [
        "addField User.bio safe b=true f=true",
        "addField User.born needs-backfill b=false f=true",
        "addField User.nick safe b=true f=true",
        "addField User.plan safe b=true f=true",
      ]
    `);
  });

  it('drops fields: forward compatible only when the field was optional', () => {
    const a = snap([user({ bio: f(str(), { optional: true }), age: f(int) })]);
    const b = snap([user({})]);
    expect(summary(roundTrip(a, b))).toMatchInlineSnapshot(`
      [
        "dropField User.age destructive b=true f=false",
        "dropField User.bio destructive b=true f=true",
      ]
    `);
  });

  it('renames a field from the renames option; safe for sql, a backfill for documents', () => {
    const a = snap([
      user({ name: f(str()) }),
      m('Doc', { _id: f(str()), name: f(str()) }, { target: 'document' }),
    ]);
    const b = snap([
      user({ fullName: f(str()) }),
      m('Doc', { _id: f(str()), title: f(str()) }, { target: 'document' }),
    ]);
    const cs = roundTrip(a, b, { renames: { 'User.name': 'fullName', 'Doc.name': 'title' } });
    expect(cs.changes).toMatchInlineSnapshot(`
      [
        {
          "compatibility": {
            "backward": false,
            "forward": false,
          },
          "field": {
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "string",
            },
          },
          "from": [
            "name",
          ],
          "kind": "renameField",
          "model": "Doc",
          "path": [
            "title",
          ],
          "risk": "needs-backfill",
        },
        {
          "compatibility": {
            "backward": false,
            "forward": false,
          },
          "field": {
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "string",
            },
          },
          "from": [
            "name",
          ],
          "kind": "renameField",
          "model": "User",
          "path": [
            "fullName",
          ],
          "risk": "safe",
        },
      ]
    `);
  });

  it('throws AMBIGUOUS_RENAME naming every candidate pair of a scope, with the scope as path', () => {
    const a = snap([user({ name: f(str()), nick: f(str()) })]);
    const b = snap([user({ fullName: f(str()), handle: f(str()) })]);
    expect(() => diff(a, b)).toThrow(
      expect.objectContaining({
        code: 'AMBIGUOUS_RENAME',
        path: 'User',
        message: expect.stringContaining(
          'candidate renames: User.name -> User.fullName, User.name -> User.handle, User.nick -> User.fullName, User.nick -> User.handle',
        ),
      }),
    );
    // answering one pair still leaves the other ambiguous
    expect(() => diff(a, b, { renames: { 'User.name': 'fullName' } })).toThrow(
      expect.objectContaining({ message: expect.stringContaining('User.nick -> User.handle') }),
    );
    const cs = roundTrip(a, b, { renames: { 'User.name': 'fullName' }, drops: ['User.nick'] });
    expect(summary(cs)).toEqual([
      'renameField User.fullName safe b=false f=false',
      'dropField User.nick destructive b=true f=false',
      'addField User.handle needs-backfill b=false f=true',
    ]);
  });

  it('does not call a vanished field ambiguous when nothing appeared in its scope', () => {
    const a = snap([user({ name: f(str()), address: f(obj({ city: f(str()) })) })]);
    const b = snap([user({ address: f(obj({ city: f(str()), zip: f(str(), { optional: true }) })) })]);
    expect(summary(roundTrip(a, b))).toEqual([
      'dropField User.name destructive b=true f=false',
      'addField User.address.zip safe b=true f=true',
    ]);
  });

  it('accepts the new model name in a field rename key, and renames fields of a renamed model', () => {
    const a = snap([m('Client', { name: f(str()) })]);
    const b = snap([m('Customer', { fullName: f(str()) })]);
    const options = { renames: { Client: 'Customer', 'Customer.name': 'fullName' } };
    expect(summary(roundTrip(a, b, options))).toEqual([
      'renameModel Customer safe b=false f=false',
      'renameTable Customer safe b=false f=false',
      'renameField Customer.fullName safe b=false f=false',
    ]);
    expect(summary(diff(a, b, { renames: { Client: 'Customer', 'Client.name': 'fullName' } }))).toHaveLength(
      3,
    );
  });

  it('follows a renamed top-level field in the primary key', () => {
    const a = snap([m('User', { uid: f(str()) }, { primaryKey: ['uid'] })]);
    const b = snap([m('User', { userId: f(str()) }, { primaryKey: ['userId'] })], {
      fields: { 'User.userId': 'uid' },
    });
    expect(summary(roundTrip(a, b))).toEqual(['renameField User.userId safe b=false f=false']);
  });
});

describe('diff: field properties', () => {
  const one = (before: Parameters<typeof f>[0], after: Parameters<typeof f>[0], x = {}, y = {}) =>
    summary(roundTrip(snap([user({ v: f(before, x) })]), snap([user({ v: f(after, y) })])));

  it('classifies type changes: widening, narrowing, conversions and unrelated', () => {
    expect({
      intToFloat: one(int, float),
      floatToInt: one(float, int),
      longer: one(str({ maxLength: 10 }), str({ maxLength: 20 })),
      unbounded: one(str({ maxLength: 10 }), str()),
      shorter: one(str({ maxLength: 20 }), str({ maxLength: 10 })),
      formatRemoved: one(str({ format: 'email' }), str()),
      formatAdded: one(str(), str({ format: 'uuid' })),
      literalToBase: one({ kind: 'literal', value: 'x' }, str()),
      enumToString: one(enumOf('a', 'b'), str()),
      toJson: one(bool, json),
      numberToString: one(int, str()),
      boolToDate: one(bool, { kind: 'date' }),
      scalarToArray: one(str(), arr(str())),
    }).toMatchInlineSnapshot(`
      {
        "boolToDate": [
          "changeType User.v lossy b=false f=false",
        ],
        "enumToString": [
          "changeType User.v safe b=true f=false",
        ],
        "floatToInt": [
          "changeType User.v lossy b=false f=true",
        ],
        "formatAdded": [
          "changeType User.v lossy b=false f=true",
        ],
        "formatRemoved": [
          "changeType User.v safe b=true f=false",
        ],
        "intToFloat": [
          "changeType User.v safe b=true f=false",
        ],
        "literalToBase": [
          "changeType User.v safe b=true f=false",
        ],
        "longer": [
          "changeType User.v safe b=true f=false",
        ],
        "numberToString": [
          "changeType User.v needs-backfill b=true f=false",
        ],
        "scalarToArray": [
          "changeType User.v needs-backfill b=true f=false",
        ],
        "shorter": [
          "changeType User.v lossy b=false f=true",
        ],
        "toJson": [
          "changeType User.v needs-backfill b=true f=false",
        ],
        "unbounded": [
          "changeType User.v safe b=true f=false",
        ],
      }
    `);
  });

  it('changes nullability, optionality, defaults and column metadata', () => {
    expect({
      nullable: one(str(), str(), {}, { nullable: true }),
      required: one(str(), str(), { nullable: true }, {}),
      optional: one(str(), str(), {}, { optional: true }),
      notOptional: one(str(), str(), { optional: true }, {}),
      defaultAdded: one(str(), str(), {}, { default: { value: 'x' } }),
      defaultDynamic: one(str(), str(), { default: { value: 'x' } }, { default: { dynamic: true } }),
      column: one(str(), str(), {}, { column: 'v_col', sqlType: 'citext' }),
    }).toMatchInlineSnapshot(`
      {
        "column": [
          "changeColumn User.v safe b=true f=true",
        ],
        "defaultAdded": [
          "changeDefault User.v safe b=true f=true",
        ],
        "defaultDynamic": [
          "changeDefault User.v safe b=true f=true",
        ],
        "notOptional": [
          "changeOptional User.v needs-backfill b=false f=true",
        ],
        "nullable": [
          "changeNullable User.v safe b=true f=false",
        ],
        "optional": [
          "changeOptional User.v safe b=true f=false",
        ],
        "required": [
          "changeNullable User.v needs-backfill b=false f=true",
        ],
      }
    `);
  });

  it('adds and removes enum values with the lists before and after', () => {
    const a = snap([user({ role: f(enumOf('admin', 'user', 'guest')) })]);
    const b = snap([user({ role: f(enumOf('admin', 'owner', 'user')) })]);
    expect(roundTrip(a, b).changes).toMatchInlineSnapshot(`
      [
        {
          "after": [
            "admin",
            "owner",
            "user",
            "guest",
          ],
          "before": [
            "admin",
            "user",
            "guest",
          ],
          "compatibility": {
            "backward": true,
            "forward": false,
          },
          "kind": "addEnumValues",
          "model": "User",
          "path": [
            "role",
          ],
          "risk": "safe",
          "values": [
            "owner",
          ],
        },
        {
          "after": [
            "admin",
            "owner",
            "user",
          ],
          "before": [
            "admin",
            "owner",
            "user",
            "guest",
          ],
          "compatibility": {
            "backward": false,
            "forward": true,
          },
          "kind": "removeEnumValues",
          "model": "User",
          "path": [
            "role",
          ],
          "risk": "lossy",
          "values": [
            "guest",
          ],
        },
      ]
    `);
  });

  it('treats reordered enum values as a type change', () => {
    const a = snap([user({ role: f(enumOf('a', 'b')) })]);
    const b = snap([user({ role: f(enumOf('b', 'a')) })]);
    expect(summary(roundTrip(a, b))).toEqual(['changeType User.role safe b=true f=true']);
  });
});

describe('diff: indexes and foreign keys', () => {
  it('adds and drops indexes; a changed index is dropped and re-added', () => {
    const idx = (name: string, fields: string[], unique = false) => ({ name, fields, unique });
    const a = snap([user({ a: f(str()), b: f(str()) }, { indexes: [idx('i1', ['a']), idx('i2', ['b'])] })]);
    const b = snap([
      user({ a: f(str()), b: f(str()) }, { indexes: [idx('i1', ['a'], true), idx('i3', ['a', 'b'])] }),
    ]);
    expect(summary(roundTrip(a, b))).toEqual([
      'dropIndex User safe b=true f=true',
      'dropIndex User safe b=true f=true',
      'addIndex User needs-backfill b=true f=true',
      'addIndex User safe b=true f=true',
    ]);
  });

  it('labels a unique index on a model created by the same change set safe: its table is empty (issue 13)', () => {
    const idx = { name: 'Post_slug_key', fields: ['slug'], unique: true };
    const post = m('Post', { slug: f(str()) }, { indexes: [idx] });
    const up = roundTrip(snap([user({})]), snap([user({}), post]));
    expect(summary(up)).toEqual(['createModel Post safe b=true f=true', 'addIndex Post safe b=true f=true']);
    // going down, the index comes back with the model it belongs to: safe as well
    const down = reverse(diff(snap([user({}), post]), snap([user({})])));
    expect(summary(down)).toEqual([
      'createModel Post safe b=true f=true',
      'addIndex Post safe b=true f=true',
    ]);
    // on an existing table, a unique index still needs its rows checked
    const existing = snap([user({}), m('Post', { slug: f(str()) })]);
    expect(summary(diff(existing, snap([user({}), post])))).toEqual([
      'addIndex Post needs-backfill b=true f=true',
    ]);
  });

  it('drops foreign keys first and adds them last', () => {
    const fk = (onDelete: 'cascade' | 'restrict') => ({
      name: 'Post_userId_fkey',
      fields: ['userId'],
      references: { model: 'User', fields: ['id'] },
      onDelete,
    });
    const a = snap([user({}), m('Post', { userId: f(int) }, { foreignKeys: [fk('cascade')] })]);
    const b = snap([
      user({ email: f(str(), { optional: true }) }),
      m('Post', { userId: f(int) }, { foreignKeys: [fk('restrict')] }),
    ]);
    expect(summary(roundTrip(a, b))).toEqual([
      'dropForeignKey Post safe b=true f=true',
      'addField User.email safe b=true f=true',
      'addForeignKey Post safe b=true f=true',
    ]);
  });
});

describe('diff: nested document fields', () => {
  const doc = (fields: Parameters<typeof m>[1]) =>
    m('Order', { _id: f(str()), ...fields }, { target: 'document' });

  it('diffs nested objects at any depth with full paths', () => {
    const a = snap([doc({ customer: f(obj({ address: f(obj({ city: f(str()), zip: f(int) })) })) })]);
    const b = snap([
      doc({ customer: f(obj({ address: f(obj({ city: f(str(), { nullable: true }), zip: f(str()) })) })) }),
    ]);
    expect(summary(roundTrip(a, b))).toEqual([
      'changeNullable Order.customer.address.city safe b=true f=false',
      'changeType Order.customer.address.zip needs-backfill b=true f=false',
    ]);
  });

  it('diffs fields inside arrays of objects through the [] segment', () => {
    const item = (fields: Parameters<typeof obj>[0]) => f(arr(f(obj(fields))));
    const a = snap([doc({ items: item({ sku: f(str()), qty: f(int), note: f(str()) }) })]);
    const b = snap([
      doc({ items: item({ code: f(str()), qty: f(float), gift: f(bool, { optional: true }) }) }),
    ]);
    expect(() => diff(a, b)).toThrow(expect.objectContaining({ path: 'Order.items.[]' }));
    const cs = roundTrip(a, b, { renames: { 'Order.items.[].sku': 'code' }, drops: ['Order.items.[].note'] });
    expect(summary(cs)).toMatchInlineSnapshot(`
      [
        "renameField Order.items.[].code needs-backfill b=false f=false",
        "dropField Order.items.[].note destructive b=true f=false",
        "addField Order.items.[].gift safe b=true f=true",
        "changeType Order.items.[].qty safe b=true f=false",
      ]
    `);
  });

  it('changes an object into an array as one type change of the whole node', () => {
    const a = snap([doc({ tags: f(obj({ a: f(str()) })) })]);
    const b = snap([doc({ tags: f(arr(str())) })]);
    expect(summary(roundTrip(a, b))).toEqual(['changeType Order.tags lossy b=false f=false']);
  });

  it('hoists a nested field to the root from a dotted renamedFrom hint', () => {
    const a = snap([doc({ address: f(obj({ city: f(str()), street: f(str()) })) })]);
    const b = snap([doc({ city: f(str()), address: f(obj({ street: f(str()) })) })], {
      fields: { 'Order.city': 'address.city' },
    });
    expect(roundTrip(a, b).changes).toMatchInlineSnapshot(`
      [
        {
          "compatibility": {
            "backward": false,
            "forward": false,
          },
          "field": {
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "string",
            },
          },
          "from": [
            "address",
            "city",
          ],
          "kind": "renameField",
          "model": "Order",
          "path": [
            "city",
          ],
          "risk": "needs-backfill",
        },
      ]
    `);
  });

  it('plunges a root field into a new object, adding the object first', () => {
    const a = snap([doc({ city: f(str()), street: f(str()) })]);
    const b = snap([
      doc({ address: f(obj({ city: f(str()), street: f(str()), zip: f(str(), { optional: true }) })) }),
    ]);
    const cs = roundTrip(a, b, {
      renames: { 'Order.city': 'address.city', 'Order.street': 'address.street' },
    });
    expect(summary(cs)).toEqual([
      'addField Order.address needs-backfill b=false f=true',
      'renameField Order.address.city needs-backfill b=false f=false',
      'renameField Order.address.street needs-backfill b=false f=false',
    ]);
    const first = cs.changes[0];
    expect(first?.kind === 'addField' && first.field.type).toEqual(
      obj({ zip: f(str(), { optional: true }) }),
    );
  });

  it('renames a child under a renamed parent using the parent’s new name', () => {
    const a = snap([doc({ address: f(obj({ town: f(str()) })) })]);
    const b = snap([doc({ location: f(obj({ city: f(str()) })) })], {
      fields: { 'Order.location': 'address', 'Order.location.city': 'location.town' },
    });
    const cs = roundTrip(a, b);
    expect(cs.changes.map((c) => c.kind === 'renameField' && [c.from.join('.'), c.path.join('.')])).toEqual([
      ['address', 'location'],
      ['location.town', 'location.city'],
    ]);
  });

  it('drops a vanished field that still holds the name a rename moves onto', () => {
    const a = snap([user({ name: f(str()), fullName: f(int) })]);
    const b = snap([user({ fullName: f(str()) })]);
    expect(summary(roundTrip(a, b, { renames: { 'User.name': 'fullName' } }))).toEqual([
      'dropField User.fullName destructive b=true f=false',
      'renameField User.fullName safe b=false f=false',
    ]);
  });

  it('refuses to swap two names in one step', () => {
    const a = snap([user({ a: f(str()), b: f(str()) })]);
    const b = snap([user({ a: f(str()), b: f(str()) })]);
    expect(() => diff(a, b, { renames: { 'User.a': 'b', 'User.b': 'a' } })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_CHANGE' }),
    );
  });

  it('refuses to move a field out of an array element', () => {
    const a = snap([doc({ items: f(arr(f(obj({ sku: f(str()) })))) })]);
    const b = snap([doc({ items: f(arr(f(obj({})))), sku: f(str()) })]);
    expect(() => diff(a, b, { renames: { 'Order.items.[].sku': 'sku' } })).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED_CHANGE' }),
    );
  });
});

describe('applyChanges', () => {
  it('rejects a change set made for another snapshot', () => {
    const a = snap([user({})]);
    const b = snap([user({ x: f(str(), { optional: true }) })]);
    expect(() => applyChanges(b, diff(a, b))).toThrow(expect.objectContaining({ code: 'INVALID_CHANGESET' }));
  });

  it('rejects a change that does not fit the state it applies to, naming the path', () => {
    const a = snap([user({ x: f(str()) })]);
    const b = snap([user({ x: f(int) })]);
    const cs = diff(a, b);
    const bad = {
      ...cs,
      to: '',
      changes: cs.changes.map((c) => ({ ...c, from: { kind: 'boolean' } })),
    } as ChangeSet;
    expect(() => applyChanges(a, bad)).toThrow(
      expect.objectContaining({ code: 'INVALID_CHANGESET', path: 'User.x' }),
    );
  });
});
