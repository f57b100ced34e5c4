import { canonicalJson } from '@evolve/core';
import type { DialectCapabilities } from '../dialects/shared/dialect-capabilities.ts';
import { enumValuesOf } from '../dialects/shared/enum-check.ts';
import type { ColumnState, TableState } from '../dialects/shared/table-state.ts';
import { valueKind } from '../dialects/shared/value-kind.ts';
import type { ColumnSpec } from '../steps/sql-step.ts';
import type { Drift } from './detect-drift.ts';
import type { LiveColumn, LiveTable } from './live-schema.ts';

function normalizedDate(text: string): number {
  let t = text.trim().replace(' ', 'T');
  if (/[+-]\d\d$/.test(t)) t = `${t}:00`;
  if (!/(Z|[+-]\d\d:?\d\d)$/.test(t)) t = `${t}Z`;
  return Date.parse(t);
}

function sameDefault(module: DialectCapabilities, spec: ColumnSpec, live: string | null): boolean {
  const expected = spec.default;
  const actual = live === null ? null : module.defaultText(live);
  if (expected === undefined || expected === null) return actual === null || /^null$/i.test(actual);
  if (actual === null) return false;
  const text = module.expectedDefaultText(spec, expected);
  switch (valueKind(spec.type)) {
    case 'json':
      try {
        return canonicalJson(JSON.parse(text)) === canonicalJson(JSON.parse(actual));
      } catch {
        return text === actual;
      }
    case 'date':
      return normalizedDate(text) === normalizedDate(actual);
    case 'integer':
    case 'float':
    case 'bigint':
      return Number(text) === Number(actual);
    case 'boolean':
      return (
        ['1', 'true', 't'].includes(text.toLowerCase()) === ['1', 'true', 't'].includes(actual.toLowerCase())
      );
    default:
      return text === actual;
  }
}

function compareColumn(
  module: DialectCapabilities,
  table: string,
  expected: ColumnState,
  live: LiveColumn,
): Drift[] {
  const drift: Drift[] = [];
  const at = `${table}.${expected.name}`;
  const type = module.canonicalType(module.columnType(expected.spec));
  if (type !== module.canonicalType(live.type)) {
    drift.push({
      kind: 'columnType',
      table,
      column: expected.name,
      expected: type,
      actual: live.type,
      message: `${at} has type ${live.type}, expected ${type}`,
    });
  }
  if (expected.spec.nullable !== live.nullable) {
    const word = (n: boolean) => (n ? 'nullable' : 'not null');
    drift.push({
      kind: 'nullability',
      table,
      column: expected.name,
      expected: word(expected.spec.nullable),
      actual: word(live.nullable),
      message: `${at} is ${word(live.nullable)}, expected ${word(expected.spec.nullable)}`,
    });
  }
  drift.push(...compareEnumCheck(table, expected, live));
  drift.push(...compareGenerated(module, table, expected, live));
  if (!sameDefault(module, expected.spec, live.default)) {
    const want = expected.spec.default ?? null;
    drift.push({
      kind: 'default',
      table,
      column: expected.name,
      expected: want,
      actual: live.default,
      message: `${at} has default ${live.default ?? 'none'}, expected ${want === null ? 'none' : JSON.stringify(want)}`,
    });
  }
  return drift;
}

/**
 * An enum column's CHECK: missing, or refusing a value of the enum, is drift (the database does not enforce
 * the model, or refuses what the application writes); one on a column that is no longer an enum refuses what
 * the model allows. A CHECK that allows more values than the enum is expected after a down migration (values
 * removed without a transform stay allowed) and is not drift.
 */
/**
 * A generated key the database does not generate (or generates ALWAYS, refusing given keys), or one the model
 * does not mark generated but the database fills: drift, except where every integer key is filled
 * (see `integerKeysGenerate`), which is how evolve always created such keys there.
 */
function compareGenerated(
  module: DialectCapabilities,
  table: string,
  expected: ColumnState,
  live: LiveColumn,
): Drift[] {
  const want = expected.spec.generated ?? null;
  const have = live.generated ?? null;
  if (want === have) return [];
  if (!want && have === 'identity' && module.integerKeysGenerate) return [];
  const at = `${table}.${expected.name}`;
  const word = (g: string | null) => (g === null ? 'not generated' : `generated (${g})`);
  return [
    {
      kind: 'generated',
      table,
      column: expected.name,
      expected: want,
      actual: have,
      message: `${at} is ${word(have)}, expected ${word(want)}`,
    },
  ];
}

function compareEnumCheck(table: string, expected: ColumnState, live: LiveColumn): Drift[] {
  const want = enumValuesOf(expected.spec);
  const have = live.enumValues;
  const at = `${table}.${expected.name}`;
  const drift = (message: string): Drift[] => [
    {
      kind: 'enumCheck',
      table,
      column: expected.name,
      expected: want ?? null,
      actual: have ?? null,
      message,
    },
  ];
  if (want && !have) return drift(`${at} has no CHECK holding it to its enum values (${want.join(', ')})`);
  if (!want && have) return drift(`${at} has a CHECK holding it to (${have.join(', ')}), but it is no enum`);
  const refused = want?.filter((v) => !have?.includes(v)) ?? [];
  if (refused.length > 0) return drift(`${at} has a CHECK refusing ${refused.join(', ')} of its enum`);
  return [];
}

const fkSignature = (fk: {
  columns: string[];
  references: { table: string; columns: string[] };
  onDelete: string;
}) =>
  `(${fk.columns.join(',')}) -> ${fk.references.table}(${fk.references.columns.join(',')}) on delete ${fk.onDelete}`;

/**
 * The differences between a table as compiling a snapshot would create it and the table the catalog reports:
 * columns (type, nullability, default, enum CHECK), primary key, indexes and foreign keys. Pure.
 *
 * @example
 * const module = capabilitiesFor(db);
 * const live = await module.introspect(db);
 * const drift = compareTable(module, schemaStateOf(snapshot).get('users')!, live.get('users')!);
 */
export function compareTable(module: DialectCapabilities, expected: TableState, live: LiveTable): Drift[] {
  const table = expected.name;
  const drift: Drift[] = [];
  for (const column of expected.columns) {
    const found = live.columns.find((c) => c.name === column.name);
    if (!found) {
      drift.push({
        kind: 'missingColumn',
        table,
        column: column.name,
        expected: module.columnType(column.spec),
        actual: null,
        message: `column ${table}.${column.name} is missing`,
      });
    } else drift.push(...compareColumn(module, table, column, found));
  }
  for (const column of live.columns) {
    if (!expected.columns.some((c) => c.name === column.name)) {
      drift.push({
        kind: 'extraColumn',
        table,
        column: column.name,
        expected: null,
        actual: column.type,
        message: `column ${table}.${column.name} is not in the schema`,
      });
    }
  }
  if (expected.primaryKey.join(',') !== live.primaryKey.join(',')) {
    drift.push({
      kind: 'primaryKey',
      table,
      expected: expected.primaryKey,
      actual: live.primaryKey,
      message: `${table} has primary key (${live.primaryKey.join(', ')}), expected (${expected.primaryKey.join(', ')})`,
    });
  }
  const shape = (i: { columns: string[]; unique: boolean }) =>
    `${i.unique ? 'unique ' : ''}(${i.columns.join(', ')})`;
  // an index the engine named itself (see `isAutomaticIndex`) reserves its name: one of the same shape
  // stands for the expected index whatever its name
  const automatic = live.indexes.filter(
    (i) => module.isAutomaticIndex(i.name) && !expected.indexes.some((e) => e.name === i.name),
  );
  const standIn = new Map<string, string>();
  for (const index of expected.indexes) {
    if (live.indexes.some((i) => i.name === index.name)) continue;
    const match = automatic.find((i) => shape(i) === shape(index) && ![...standIn.values()].includes(i.name));
    if (match) standIn.set(index.name, match.name);
  }
  for (const index of expected.indexes) {
    const name = standIn.get(index.name) ?? index.name;
    const found = live.indexes.find((i) => i.name === name);
    if (!found) {
      drift.push({
        kind: 'missingIndex',
        table,
        expected: { ...index },
        actual: null,
        message: `index ${index.name} on ${table} is missing`,
      });
    } else if (shape(found) !== shape(index)) {
      drift.push({
        kind: 'index',
        table,
        expected: { ...index },
        actual: found,
        message: `index ${index.name} on ${table} is ${shape(found)}, expected ${shape(index)}`,
      });
    }
  }
  const stoodIn = new Set(standIn.values());
  for (const index of live.indexes) {
    if (!expected.indexes.some((i) => i.name === index.name) && !stoodIn.has(index.name)) {
      drift.push({
        kind: 'extraIndex',
        table,
        expected: null,
        actual: index,
        message: `index ${index.name} on ${table} is not in the schema`,
      });
    }
  }
  const liveKeys = live.foreignKeys.map(fkSignature);
  const expectedKeys = expected.foreignKeys.map(fkSignature);
  expected.foreignKeys.forEach((fk, i) => {
    if (!liveKeys.includes(expectedKeys[i] as string)) {
      drift.push({
        kind: 'missingForeignKey',
        table,
        expected: { ...fk },
        actual: null,
        message: `foreign key ${fk.name} ${expectedKeys[i]} on ${table} is missing`,
      });
    }
  });
  live.foreignKeys.forEach((fk, i) => {
    if (!expectedKeys.includes(liveKeys[i] as string)) {
      drift.push({
        kind: 'extraForeignKey',
        table,
        expected: null,
        actual: fk,
        message: `foreign key ${liveKeys[i]} on ${table} is not in the schema`,
      });
    }
  });
  return drift;
}
