import { join, relative } from 'node:path';
import type { Migration } from '@evolve/core';
import type { CheckFinding } from './check-finding.ts';
import { isEvolveErrorLike } from './import-module.ts';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { loadMigrations } from './load-migrations.ts';
import { loadModelSnapshot } from './load-schema.ts';
import { migrationFindings, todoFindings } from './migration-findings.ts';
import { listMigrationFiles, readLatestSnapshot, SNAPSHOT_FILE } from './migrations-folder.ts';
import { propertyFindings } from './property-findings.ts';
import { sumFindings } from './sum-findings.ts';

export type { CheckFinding } from './check-finding.ts';

export interface CheckResult {
  /** 0 clean, 1 errors, 2 model changes without a generated migration. */
  exitCode: 0 | 1 | 2;
  findings: CheckFinding[];
}

export interface CheckOptions extends LoadConfigOptions {
  config?: ResolvedConfig;
  /**
   * Findings about the live database (drift, checksums in its journal), from the migrations the folder holds.
   * This package opens no database: the evolve CLI passes its drift check here for `evolve check --db`.
   */
  drift?: (config: ResolvedConfig, migrations: readonly Migration[]) => Promise<CheckFinding[]>;
  /** Random rows (documents) per property; 0 skips the property tests. */
  runs?: number;
  /** fast-check seed of the property tests (default: a fixed one, so findings never flicker). */
  seed?: number;
}

/**
 * The CI gate: checks the migrations folder against its sum file, the index and the snapshot chain; finds
 * TODO transforms and unacknowledged destructive or lossy changes; compares the models with the latest
 * snapshot (changes without a generated migration are `pending`); property-tests every TS transform of a
 * SQL model on random rows and every document model's upgraders on random documents of each version
 * (`runs`, `seed`; rule `transform-property`); with a `drift` check (the CLI's `--db`), adds what it finds
 * in the live database. Every problem it can name becomes a finding rather than an exception. Opens no
 * database by itself.
 *
 * @example
 * const { exitCode, findings } = await check({ cwd: '/app' });
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const config = options.config ?? (await loadConfig(options));
  const rel = (p: string) => relative(config.root, p) || p;
  const failure = (fallback: string, error: unknown, file: string): CheckFinding => {
    const e = error as { message?: string; path?: string };
    return {
      code: isEvolveErrorLike(error) ? error.code : fallback,
      severity: 'error',
      message: e.message ?? String(error),
      ...(e.path ? { path: e.path.startsWith('/') ? rel(e.path) : e.path } : {}),
      file,
    };
  };
  const dir = config.migrationsDir;
  const files = listMigrationFiles(dir);
  const findings: CheckFinding[] = [...sumFindings(dir, files, rel)];

  let migrations: readonly Migration[] = [];
  let latestHash: string | undefined;
  try {
    migrations = await loadMigrations(config);
    const latest = readLatestSnapshot(dir);
    latestHash = latest.hash;
    const { findTodoTransforms } = await import('@evolve/document');
    findings.push(...todoFindings(findTodoTransforms(migrations), files, rel));
    findings.push(...(await propertyFindings(migrations, files, options, rel)));
    const found = migrationFindings(migrations, files, latest, rel);
    findings.push(
      ...found.map((f) =>
        f.code === 'INVALID_SNAPSHOT' ? { ...f, file: rel(join(dir, SNAPSHOT_FILE)) } : f,
      ),
    );
  } catch (error) {
    findings.push(failure('INVALID_MIGRATION', error, rel(dir)));
  }

  try {
    const models = await loadModelSnapshot(config);
    if (latestHash !== undefined && models.hash !== latestHash) {
      findings.push({
        code: 'CHANGES_PENDING',
        severity: 'pending',
        message: 'the models changed since the last migration: run evolve generate',
        file: rel(config.schemaPath),
      });
    }
  } catch (error) {
    findings.push(failure('INVALID_SCHEMA', error, rel(config.schemaPath)));
  }

  if (options.drift) {
    findings.push(...(await options.drift(config, migrations)));
  }

  const exitCode = findings.some((f) => f.severity === 'error')
    ? 1
    : findings.some((f) => f.severity === 'pending')
      ? 2
      : 0;
  return { exitCode, findings };
}
