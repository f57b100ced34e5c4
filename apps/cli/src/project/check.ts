import { relative } from 'node:path';
import { type Change, emptySnapshot, isTodo, type Migration, type Snapshot } from '@evolve/core';
import { isEvolveErrorLike } from './import-module.ts';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { loadMigrations } from './load-migrations.ts';
import { loadModelSnapshot } from './load-schema.ts';
import { listMigrationFiles, type MigrationFile, readLatestSnapshot, readSum } from './migrations-folder.ts';
import { computeSum, SUM_FILE, verifySum } from './sum-file.ts';

/** One problem `check` found. `pending` problems (models changed without a migration) exit 2, errors exit 1. */
export interface CheckFinding {
  code: string;
  severity: 'error' | 'pending' | 'warning';
  message: string;
  /** The model/field path, migration id or file at fault. */
  path?: string;
  /** File (relative to the project root) and line, for annotations. */
  file?: string;
  line?: number;
}

export interface CheckResult {
  /** 0 clean, 1 errors, 2 model changes without a generated migration. */
  exitCode: 0 | 1 | 2;
  findings: CheckFinding[];
}

export interface CheckOptions extends LoadConfigOptions {
  config?: ResolvedConfig;
  /** Also compare the live database with the snapshot it should be at (drift). */
  db?: boolean;
}

/**
 * The CI gate: checks the migrations folder against its sum file, the index and the snapshot chain; finds
 * TODO transforms and unacknowledged destructive or lossy changes; compares the models with the latest
 * snapshot (changes without a generated migration are `pending`); with `db`, reports live drift.
 * Never throws for a problem it can name: every problem becomes a finding.
 *
 * @example
 * const { exitCode, findings } = await check({ cwd: '/app' });
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const config = options.config ?? (await loadConfig(options));
  const rel = (p: string) => relative(config.root, p) || p;
  const findings: CheckFinding[] = [];
  const fail = (code: string, error: unknown, file?: string) => {
    const e = error as { message?: string; path?: string; code?: string };
    findings.push({
      code: isEvolveErrorLike(error) ? error.code : code,
      severity: 'error',
      message: e.message ?? String(error),
      ...(e.path ? { path: e.path.startsWith('/') ? rel(e.path) : e.path } : {}),
      ...(file ? { file } : {}),
    });
  };
  const dir = config.migrationsDir;
  const files = listMigrationFiles(dir);

  // 1. The sum file: edited, added, removed or reordered migration files (no database needed).
  try {
    const recorded = readSum(dir);
    if (!recorded) {
      if (files.length > 0) {
        findings.push({
          code: 'CHECKSUM_MISMATCH',
          severity: 'error',
          message: `${SUM_FILE} is missing (run evolve hash)`,
          file: rel(`${dir}/${SUM_FILE}`),
        });
      }
    } else {
      for (const p of verifySum(computeSum(files), recorded)) {
        findings.push({
          code: 'CHECKSUM_MISMATCH',
          severity: 'error',
          message: `${p.file}: ${p.message}`,
          path: p.file,
          file: rel(`${dir}/${p.file}`),
        });
      }
    }
  } catch (error) {
    fail('CHECKSUM_MISMATCH', error, rel(`${dir}/${SUM_FILE}`));
  }

  // 2. TODO transforms, by text (with line numbers).
  for (const file of files) {
    todoLines(file).forEach((line) => {
      findings.push({
        code: 'TODO_TRANSFORM',
        severity: 'error',
        message: `${file.id}: a TODO transform remains (line ${line}): replace todo(...) with a function of the old row`,
        path: file.id,
        file: rel(file.path),
        line,
      });
    });
  }

  // 3. The loaded migrations: chain of snapshot hashes, loaded TODOs, acknowledgements.
  let migrations: readonly Migration[] = [];
  let latest: Snapshot | undefined;
  try {
    migrations = await loadMigrations(config);
    latest = readLatestSnapshot(dir);
  } catch (error) {
    fail('INVALID_MIGRATION', error);
  }
  const byId = new Map(files.map((f) => [f.id, f]));
  let expectedFrom = emptySnapshot().hash;
  for (const m of migrations) {
    const file = byId.get(m.id);
    const at = file ? { file: rel(file.path) } : {};
    if (m.from !== expectedFrom) {
      findings.push({
        code: 'INVALID_MIGRATION',
        severity: 'error',
        message: `${m.id} starts from snapshot ${short(m.from)}, but the previous migration ends at ${short(expectedFrom)}`,
        path: m.id,
        ...at,
      });
    }
    expectedFrom = m.to;
    const hasTextTodo = file ? todoLines(file).length > 0 : false;
    for (const [model, fields] of Object.entries(m.transforms ?? {})) {
      for (const [field, fn] of Object.entries(fields ?? {})) {
        if (isTodo(fn) && !hasTextTodo) {
          findings.push({
            code: 'TODO_TRANSFORM',
            severity: 'error',
            message: `${m.id}: the transform for ${model}.${field} is still a TODO`,
            path: `${model}.${field}`,
            ...at,
          });
        }
      }
    }
    for (const change of unacknowledged(m)) {
      const path = [change.model, ...change.path].join('.');
      findings.push({
        code: 'UNACKNOWLEDGED_CHANGE',
        severity: 'error',
        message: `${m.id}: ${change.kind} ${path} is ${change.risk}; add '${path}' to acknowledge once reviewed`,
        path,
        ...at,
        ...(file ? { line: lineOf(file.text, /^\s*acknowledge:/m) } : {}),
      });
    }
  }
  if (latest && migrations.length > 0 && latest.hash !== expectedFrom) {
    findings.push({
      code: 'INVALID_SNAPSHOT',
      severity: 'error',
      message: `snapshot.json (${short(latest.hash)}) is not where the last migration ends (${short(expectedFrom)})`,
      file: rel(`${dir}/snapshot.json`),
    });
  }

  // 4. Models changed without a generated migration.
  try {
    const models = await loadModelSnapshot(config);
    if (latest && models.hash !== latest.hash) {
      findings.push({
        code: 'CHANGES_PENDING',
        severity: 'pending',
        message: 'the models changed since the last migration: run evolve generate',
        file: rel(config.schemaPath),
      });
    }
  } catch (error) {
    fail('INVALID_SCHEMA', error, rel(config.schemaPath));
  }

  // 5. Live drift.
  if (options.db) {
    const { driftFindings } = await import('./drift-findings.ts');
    findings.push(...(await driftFindings(config, migrations)));
  }

  const exitCode = findings.some((f) => f.severity === 'error')
    ? 1
    : findings.some((f) => f.severity === 'pending')
      ? 2
      : 0;
  return { exitCode, findings };
}

/** Lines (1-based) that call `todo(` outside comments and imports. */
function todoLines(file: MigrationFile): number[] {
  const lines: number[] = [];
  file.text.split('\n').forEach((line, i) => {
    const code = line.replace(/\/\/.*$/, '');
    if (/^\s*(import|export \{)/.test(code)) return;
    if (/\btodo\(/.test(code)) lines.push(i + 1);
  });
  return lines;
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}

/** Destructive or lossy changes that the migration's `acknowledge` list does not cover. */
export function unacknowledged(migration: Migration): Change[] {
  const acks = migration.acknowledge ?? [];
  return migration.changes.filter((c) => {
    if (c.risk !== 'destructive' && c.risk !== 'lossy') return false;
    const path = [c.model, ...c.path].join('.');
    return !acks.some((a) => a === '*' || a === path || path.startsWith(`${a}.`));
  });
}

const short = (hash: string) => hash.slice(0, 12);
