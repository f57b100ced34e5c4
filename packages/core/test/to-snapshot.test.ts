import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineModel, defineSchema, serializeSnapshot, toSnapshot } from '../src/index.ts';

describe('toSnapshot model coverage', () => {
  const Order = defineModel('Order', {
    table: 'orders',
    primaryKey: ['tenant', 'number'],
    renamedFrom: 'Purchase',
    shape: {
      tenant: z.uuid(),
      number: z.number().int(),
      code: z.string().max(12).meta({ unique: true }),
      note: z.string().max(200).meta({ column: 'remark' }).nullable().optional(),
      total: z.number(),
      big: z.bigint().meta({ sqlType: 'numeric(20)' }),
      paid: z.boolean().default(false),
      placedAt: z.date().default(() => new Date()),
      status: z.enum(['open', 'paid', 'shipped']).default('open'),
      kind: z.literal('order'),
      email: z.email(),
      tags: z.array(z.string()),
      customer: z.object({
        name: z.string().meta({ renamedFrom: 'fullName' }),
        city: z.string().meta({ renamedFrom: 'address.city' }),
      }),
      items: z.array(z.object({ sku: z.string(), qty: z.number().int().meta({ renamedFrom: 'count' }) })),
      extra: z.record(z.string(), z.unknown()),
      flags: z.string().meta({ renamedFrom: 'legacyFlags' }).optional(),
    },
    indexes: [
      { fields: ['tenant', 'placedAt'] },
      { fields: ['email'], unique: true, name: 'orders_email_uniq' },
    ],
  });

  it('captures every kind of field, key and hint', () => {
    const snapshot = toSnapshot(defineSchema([Order]));
    expect(snapshot.models.Order).toMatchInlineSnapshot(`
      {
        "fieldOrder": [
          "tenant",
          "number",
          "code",
          "note",
          "total",
          "big",
          "paid",
          "placedAt",
          "status",
          "kind",
          "email",
          "tags",
          "customer",
          "items",
          "extra",
          "flags",
        ],
        "fields": {
          "big": {
            "nullable": false,
            "optional": false,
            "sqlType": "numeric(20)",
            "type": {
              "kind": "bigint",
            },
          },
          "code": {
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "string",
              "maxLength": 12,
            },
          },
          "customer": {
            "nullable": false,
            "optional": false,
            "type": {
              "fields": {
                "city": {
                  "nullable": false,
                  "optional": false,
                  "type": {
                    "kind": "string",
                  },
                },
                "name": {
                  "nullable": false,
                  "optional": false,
                  "type": {
                    "kind": "string",
                  },
                },
              },
              "kind": "object",
            },
          },
          "email": {
            "nullable": false,
            "optional": false,
            "type": {
              "format": "email",
              "kind": "string",
            },
          },
          "extra": {
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "json",
            },
          },
          "flags": {
            "nullable": false,
            "optional": true,
            "type": {
              "kind": "string",
              "unbounded": true,
            },
          },
          "items": {
            "nullable": false,
            "optional": false,
            "type": {
              "element": {
                "nullable": false,
                "optional": false,
                "type": {
                  "fields": {
                    "qty": {
                      "nullable": false,
                      "optional": false,
                      "type": {
                        "integer": true,
                        "kind": "number",
                      },
                    },
                    "sku": {
                      "nullable": false,
                      "optional": false,
                      "type": {
                        "kind": "string",
                      },
                    },
                  },
                  "kind": "object",
                },
              },
              "kind": "array",
            },
          },
          "kind": {
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "literal",
              "value": "order",
            },
          },
          "note": {
            "column": "remark",
            "nullable": true,
            "optional": true,
            "type": {
              "kind": "string",
              "maxLength": 200,
            },
          },
          "number": {
            "nullable": false,
            "optional": false,
            "type": {
              "integer": true,
              "kind": "number",
            },
          },
          "paid": {
            "default": {
              "value": false,
            },
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "boolean",
            },
          },
          "placedAt": {
            "default": {
              "dynamic": true,
            },
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "date",
            },
          },
          "status": {
            "default": {
              "value": "open",
            },
            "nullable": false,
            "optional": false,
            "type": {
              "kind": "enum",
              "values": [
                "open",
                "paid",
                "shipped",
              ],
            },
          },
          "tags": {
            "nullable": false,
            "optional": false,
            "type": {
              "element": {
                "nullable": false,
                "optional": false,
                "type": {
                  "kind": "string",
                },
              },
              "kind": "array",
            },
          },
          "tenant": {
            "nullable": false,
            "optional": false,
            "type": {
              "format": "uuid",
              "kind": "string",
            },
          },
          "total": {
            "nullable": false,
            "optional": false,
            "type": {
              "integer": false,
              "kind": "number",
            },
          },
        },
        "foreignKeys": [],
        "indexes": [
          {
            "fields": [
              "code",
            ],
            "name": "orders_code_key",
            "unique": true,
          },
          {
            "fields": [
              "email",
            ],
            "name": "orders_email_uniq",
            "unique": true,
          },
          {
            "fields": [
              "tenant",
              "placedAt",
            ],
            "name": "orders_tenant_placedAt_idx",
            "unique": false,
          },
        ],
        "name": "Order",
        "primaryKey": [
          "tenant",
          "number",
        ],
        "table": "orders",
        "target": "sql",
      }
    `);
    expect(snapshot.hints).toMatchInlineSnapshot(`
      {
        "fields": {
          "Order.customer.city": "address.city",
          "Order.customer.name": "customer.fullName",
          "Order.flags": "legacyFlags",
          "Order.items.[].qty": "items.[].count",
        },
        "models": {
          "Order": "Purchase",
        },
      }
    `);
  });

  it('keeps hints out of the hash and of the serialized file', () => {
    const snapshot = toSnapshot(defineSchema([Order]));
    expect(Object.keys(snapshot)).not.toContain('hints');
    expect(serializeSnapshot(snapshot)).not.toContain('renamedFrom');
    expect(serializeSnapshot(snapshot)).not.toContain('Purchase');
  });

  it('reads .meta on the inner schema of a wrapper chain', () => {
    const M = defineModel('M', {
      shape: {
        id: z.number().int(),
        a: z.string().meta({ column: 'a_col', sqlType: 'citext' }).nullable().default(null),
      },
    });
    const field = toSnapshot(defineSchema([M])).models.M?.fields.a;
    expect(field).toEqual({
      type: { kind: 'string' },
      nullable: true,
      optional: false,
      default: { value: null },
      column: 'a_col',
      sqlType: 'citext',
    });
  });

  it('gives equal hashes whatever the order of models, fields and nested keys, and records the field order beside them', () => {
    const make = (reversed: boolean) => {
      const order = <T>(xs: T[]) => (reversed ? [...xs].reverse() : xs);
      const shape = Object.fromEntries(
        order([
          ['id', z.number().int()],
          ['b', z.string()],
          [
            'a',
            z.object(
              Object.fromEntries(
                order([
                  ['y', z.boolean()],
                  ['x', z.date()],
                ]),
              ),
            ),
          ],
        ]),
      );
      return toSnapshot(
        defineSchema(
          order([defineModel('A', { shape }), defineModel('B', { shape: { id: z.number().int() } })]),
        ),
      );
    };
    expect(make(true).hash).toBe(make(false).hash);
    // the declaration order is kept beside the hashed content: columns are created in that order
    expect(make(true).models.A?.fieldOrder).toEqual(['a', 'b', 'id']);
    expect(make(false).models.A?.fieldOrder).toEqual(['id', 'b', 'a']);
    const withoutOrder = (text: string) => text.replace(/"fieldOrder": \[[^\]]*\],\s*/g, '');
    expect(withoutOrder(serializeSnapshot(make(true)))).toBe(withoutOrder(serializeSnapshot(make(false))));
  });
});
