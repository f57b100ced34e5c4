import type { Row } from '@evolve/core';
import { describeSqlEngines } from '@evolve/harness';
import type { Kysely } from 'kysely';
import { expect, it } from 'vitest';
import { migrate } from '../src/runtime/index.ts';
import { driftOf } from './compile-scenario.ts';
import {
  buildHistory,
  EVERY_SQL_CHANGE_KIND,
  type Rows,
  seedV1,
  seedV2,
} from './fixtures/history-every-change.ts';
import { resetJournal, settlePoolsAfterAll } from './fixtures/runtime-migrations.ts';

interface SqlSection {
  up: unknown[];
  down: unknown[];
}

const history = buildHistory();
const migrations = history.map((v) => v.migration);
const snapshots = history.map((v) => v.snapshot);
const [firstSnapshot] = snapshots;
const latestSnapshot = snapshots[snapshots.length - 1];
if (!firstSnapshot || !latestSnapshot) throw new Error('empty history');
const OWN_TABLES = ['hx_customers', 'hx_items', 'hx_legacy', 'hx_tags', 'hx_line_items'];

/** JSON columns come back as text on SQLite and MariaDB: compare the values they hold. */
const normalize = (row: Row): Row =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, typeof v === 'string' && v.startsWith('{') ? JSON.parse(v) : v]),
  );

const toDb = (row: Row): Row =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v]),
  );

async function readRows(db: Kysely<any>, tables: readonly string[]): Promise<Rows> {
  const out: Rows = {};
  for (const table of [...tables].sort()) {
    const rows = await db.selectFrom(table).selectAll().orderBy('id').execute();
    out[table] = rows.map(normalize);
  }
  return out;
}

async function insert(db: Kysely<any>, rows: Rows): Promise<void> {
  for (const [table, list] of Object.entries(rows)) {
    if (list.length > 0) await db.insertInto(table).values(list.map(toDb)).execute();
  }
}

const merge = (a: Rows, b: Rows): Rows =>
  Object.fromEntries(
    Object.keys({ ...a, ...b }).map((t) => [
      t,
      [...(a[t] ?? []), ...(b[t] ?? [])].sort((x, y) => Number(x.id) - Number(y.id)),
    ]),
  );

const sorted = (rows: Rows): Rows =>
  Object.fromEntries(
    Object.keys(rows)
      .sort()
      .map((t) => [t, rows[t] ?? []]),
  );

/** Drops the test's tables and evolve's journal: each variant starts from an empty database. */
async function reset(db: Kysely<any>): Promise<void> {
  for (const table of ['hx_line_items', 'hx_items', 'hx_tags', 'hx_legacy', 'hx_customers']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await resetJournal(db);
}

/** Tables and columns (name, nullability) of the test's tables, as introspected. */
async function shape(db: Kysely<any>): Promise<string[]> {
  const tables = (await db.introspection.getTables()).filter((t) => OWN_TABLES.includes(t.name));
  return tables
    .map(
      (t) =>
        `${t.name}(${t.columns
          .map((c) => `${c.name}:${c.dataType}${c.isNullable ? '?' : ''}`)
          .sort()
          .join(',')})`,
    )
    .sort();
}

it('the history uses every SQL-relevant change kind, in each variant the acceptance test asks for', () => {
  const changes = migrations.flatMap((m) => m.changes.map((c) => ({ ...c, transforms: m.transforms })));
  const kinds = new Set(changes.map((c) => c.kind));
  expect(EVERY_SQL_CHANGE_KIND.filter((k) => !kinds.has(k))).toEqual([]);
  expect(migrations.length).toBeGreaterThanOrEqual(8);
  // the section variant really carries generated steps for every migration, both ways
  const sections = buildHistory({ sqlSection: true }).map((v) => v.migration.sql as SqlSection);
  expect(sections.every((s) => s.up.length > 0)).toBe(true);
  expect(sections.slice(1).every((s) => s.down.length > 0)).toBe(true);
  const transformed = (c: (typeof changes)[number]) =>
    typeof c.transforms?.[c.model]?.[c.path.join('.')] === 'function';
  const variants = new Set(
    changes.flatMap((c): string[] => {
      switch (c.kind) {
        case 'addField':
          if (c.field.optional) return ['addField optional'];
          if (c.field.default && 'value' in c.field.default) return ['addField constant default'];
          return transformed(c) && !c.field.nullable ? ['addField required + transform'] : [];
        case 'renameField':
          if (c.path.length > 1) return ['renameField nested in JSON'];
          return [c.path[0] === 'fullName' ? 'renameField by hint' : 'renameField by option'];
        case 'changeType':
          return [c.risk === 'safe' ? 'changeType widening' : transformed(c) ? 'changeType converting' : ''];
        case 'changeNullable':
          return [
            c.to ? 'changeNullable to null' : transformed(c) ? 'changeNullable to NOT NULL + fill' : '',
          ];
        case 'changeColumn':
          return [
            ...(c.from.column !== c.to.column ? ['changeColumn column'] : []),
            ...(c.from.sqlType !== c.to.sqlType ? ['changeColumn sqlType'] : []),
          ];
        case 'removeEnumValues':
          return transformed(c) ? ['removeEnumValues + transform'] : [];
        case 'addIndex':
        case 'dropIndex':
          return [`${c.kind} ${c.index.unique ? 'unique' : 'plain'}`];
        case 'addForeignKey':
        case 'dropForeignKey':
          return c.foreignKey.onDelete ? [`${c.kind} onDelete`] : [];
        default:
          return [];
      }
    }),
  );
  expect([...variants].filter((v) => v !== '').sort()).toEqual(
    [
      'addField optional',
      'addField constant default',
      'addField required + transform',
      'renameField nested in JSON',
      'renameField by hint',
      'renameField by option',
      'changeType widening',
      'changeType converting',
      'changeNullable to null',
      'changeNullable to NOT NULL + fill',
      'changeColumn column',
      'changeColumn sqlType',
      'removeEnumValues + transform',
      'addIndex unique',
      'addIndex plain',
      'dropIndex unique',
      'dropIndex plain',
      'addForeignKey onDelete',
      'dropForeignKey onDelete',
    ].sort(),
  );
});

describeSqlEngines(
  'migrate: a history using every change kind',
  (ctx) => {
    settlePoolsAfterAll(ctx);

    const variants = [
      { how: 'planned from changes', history },
      { how: 'from the generated sql section', history: buildHistory({ sqlSection: true }) },
    ];
    it.each(variants)(
      'applies each version without drift, transforms the seeded rows, and round-trips down to v1 and up ($how)',
      async ({ history }) => {
        const { db } = ctx();
        await reset(db);
        const migrations = history.map((v) => v.migration);
        const ids = migrations.map((m) => m.id);
        let expected: Rows = {};
        const arrivals: Rows[] = [];
        for (const [i, version] of history.entries()) {
          const result = await migrate(db, { migrations, to: version.migration.id });
          expect(result.error, version.migration.id).toBeUndefined();
          expect(await driftOf(db, version.snapshot, ...snapshots), version.migration.id).toEqual([]);
          expected = version.rows(expected);
          const seed = i === 0 ? seedV1 : i === 1 ? seedV2 : undefined;
          if (seed) {
            await insert(db, seed);
            expected = merge(expected, seed);
          }
          const actual = await readRows(db, Object.keys(expected));
          expect(actual, version.migration.id).toEqual(sorted(expected));
          arrivals.push(actual);
        }
        const latestShape = await shape(db);
        const latest = arrivals[arrivals.length - 1] as Rows;

        // down to the first version (every lossy down step is acknowledged by its migration, so no
        // acknowledgeDataLoss): the v1 schema; v1 data back where the steps are lossless
        const down = await migrate(db, { migrations, to: ids[0] });
        expect(down.error).toBeUndefined();
        expect(down.applied.map((r) => `${r.id}:${r.direction}:${r.status}`)).toEqual(
          ids
            .slice(1)
            .reverse()
            .map((id) => `${id}:down:Success`),
        );
        expect(await driftOf(db, firstSnapshot, ...snapshots)).toEqual([]);
        const v1 = await readRows(db, ['hx_customers', 'hx_items', 'hx_legacy']);
        const customer = (id: number) => latest.hx_customers?.find((c) => c.id === id) as Row;
        expect(v1).toEqual({
          hx_customers: [1, 2, 3].map((id) => {
            const { fullName, prefs, score, email, status } = customer(id);
            const { language, ...rest } = prefs as Row;
            return {
              id,
              name: fullName,
              // lossy on the way up, kept as transformed: the filled email, the mapped status
              email,
              status,
              score: String(score),
              prefs: { ...rest, lang: language },
            };
          }),
          // the note column was dropped at v8: it comes back empty
          hx_items: (seedV1.hx_items ?? []).map((i) => ({ ...i, note: null })),
          // the table was dropped at v4: it comes back empty
          hx_legacy: [],
        });

        // up again: the same schema; the same data except what the down steps lost (the tags and the
        // v2-only values of the customer seeded at v2 are gone, so the v2 transforms and defaults refill them)
        const again = await migrate(db, { migrations });
        expect(again.error).toBeUndefined();
        expect(await driftOf(db, latestSnapshot, ...snapshots)).toEqual([]);
        expect(await shape(db)).toEqual(latestShape);
        let replayed: Rows = {};
        for (const [i, version] of history.entries()) {
          replayed = version.rows(replayed);
          if (i === 0) replayed = merge(replayed, v1);
        }
        const second = await readRows(db, Object.keys(latest));
        expect(second).toEqual(sorted(replayed));
        // the rows no lossy down step touched are exactly as at the first arrival
        expect(second.hx_line_items).toEqual(latest.hx_line_items);
        expect(second.hx_customers?.slice(0, 2)).toEqual(latest.hx_customers?.slice(0, 2));
      },
    );
  },
  { engines: ['sqlite', 'pglite', 'postgres', 'mysql'] },
);
