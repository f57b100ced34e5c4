import type { Migration } from '@evolve/core';
import type { CheckFinding, Relative } from './check-finding.ts';
import { documentPropertyFindings } from './document-property-findings.ts';
import { todoLine } from './migration-findings.ts';
import type { MigrationFile } from './migrations-folder.ts';

/** Property-test options of `check`: rows per transform (0 skips) and the fast-check seed. */
export interface PropertyOptions {
  runs?: number;
  seed?: number;
}

/**
 * `transform-property` findings: every TS transform of a SQL model run by `verifyMigrations` (@evolve/sql)
 * on random rows, and the upgraders of every document model checked by `verifyDocumentMigrations`
 * (@evolve/document) on random documents, each failure with its shrunk counterexample, the problem, and
 * the seed that reproduces it.
 */
export async function propertyFindings(
  migrations: readonly Migration[],
  files: readonly MigrationFile[],
  options: PropertyOptions,
  rel: Relative,
): Promise<CheckFinding[]> {
  if (options.runs === 0) return [];
  const { verifyMigrations } = await import('@evolve/sql');
  const byId = new Map(files.map((f) => [f.id, f]));
  const found = verifyMigrations({
    migrations,
    ...(options.runs !== undefined ? { runs: options.runs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  });
  const rows = found.map((f): CheckFinding => {
    const file = byId.get(f.migration);
    const line = file ? todoLine(file, f) : undefined;
    return {
      code: f.rule,
      severity: 'error' as const,
      message: `${f.migration}: ${f.message} (seed ${f.seed})`,
      path: `${f.model}.${f.field}`,
      counterexample: f.counterexample,
      ...(file ? { file: rel(file.path) } : {}),
      ...(line ? { line } : {}),
    };
  });
  return [...rows, ...(await documentPropertyFindings(migrations, files, options, rel))];
}
