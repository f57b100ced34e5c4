import { EvolveError } from '@evolve/core';
import type { SqlStep, SqlStepKind } from '../steps/sql-step.ts';

/** Fields each step kind needs as strings / arrays / objects. */
const SHAPES: Record<SqlStepKind, { strings: string[]; arrays?: string[]; objects?: string[] }> = {
  createTable: { strings: ['table', 'model'], arrays: ['primaryKey'], objects: ['columns'] },
  dropTable: { strings: ['table'] },
  renameTable: { strings: ['table', 'to'] },
  addColumn: { strings: ['table', 'column'], objects: ['spec'] },
  dropColumn: { strings: ['table', 'column'] },
  renameColumn: { strings: ['table', 'column', 'to'] },
  alterColumnType: { strings: ['table', 'column'], objects: ['type'] },
  setNotNull: { strings: ['table', 'column'] },
  dropNotNull: { strings: ['table', 'column'] },
  setDefault: { strings: ['table', 'column'] },
  dropDefault: { strings: ['table', 'column'] },
  createIndex: { strings: ['table', 'name'], arrays: ['columns'] },
  dropIndex: { strings: ['table', 'name'] },
  addForeignKey: { strings: ['table', 'name', 'onDelete'], arrays: ['columns'], objects: ['references'] },
  validateForeignKey: { strings: ['table', 'name'] },
  validateEnumCheck: { strings: ['table', 'column'] },
  dropForeignKey: { strings: ['table', 'name'] },
  changePrimaryKey: { strings: ['table'], arrays: ['columns'] },
  addIdentity: { strings: ['table', 'column'] },
  dropIdentity: { strings: ['table', 'column'] },
  backfill: { strings: ['model', 'table'], objects: ['set'] },
  rawSql: { strings: [] },
};

function parseSteps(value: unknown, where: string): SqlStep[] {
  if (!Array.isArray(value)) {
    throw new EvolveError('INVALID_MIGRATION', `${where} must be an array of steps`, { path: where });
  }
  return value.map((step, i) => {
    const at = `${where}[${i}]`;
    const record = step as Record<string, unknown> | null;
    const kind = record?.kind;
    const shape = typeof kind === 'string' ? SHAPES[kind as SqlStepKind] : undefined;
    if (!record || typeof record !== 'object' || !shape) {
      throw new EvolveError(
        'INVALID_MIGRATION',
        `${at} is not a SQL step (unknown kind ${JSON.stringify(kind)})`,
        { path: at },
      );
    }
    const bad =
      shape.strings.find((k) => typeof record[k] !== 'string') ??
      shape.arrays?.find((k) => !Array.isArray(record[k])) ??
      shape.objects?.find((k) => typeof record[k] !== 'object' || record[k] === null);
    if (bad !== undefined) {
      throw new EvolveError('INVALID_MIGRATION', `${at} (${kind}) has a missing or malformed "${bad}"`, {
        path: at,
      });
    }
    return record as unknown as SqlStep;
  });
}

/**
 * Validates a migration's `sql` section: absent, or `{ up: SqlStep[], down?: SqlStep[] }`.
 *
 * @example
 * const section = parseSqlSection(migration.sql, migration.id); // throws INVALID_MIGRATION naming the bad step
 */
export function parseSqlSection(
  value: unknown,
  migrationId: string,
): { up: SqlStep[]; down?: SqlStep[] } | undefined {
  if (value === undefined) return undefined;
  const where = `${migrationId}.sql`;
  if (value === null || typeof value !== 'object') {
    throw new EvolveError('INVALID_MIGRATION', `${where} must be an object { up, down }`, { path: where });
  }
  const section = value as Record<string, unknown>;
  const up = parseSteps(section.up, `${where}.up`);
  return section.down === undefined ? { up } : { up, down: parseSteps(section.down, `${where}.down`) };
}
