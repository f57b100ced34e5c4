import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Change, EvolveError, serializeSnapshot } from '@evolve/core';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { INDEX_FILE, listMigrationFiles, renderIndex, SNAPSHOT_FILE } from './migrations-folder.ts';
import { pendingChanges, type ResolveRenames } from './pending-changes.ts';
import { type FindingLike, renderMigration } from './render-migration.ts';
import { renderSections } from './render-sections.ts';
import { computeSum, formatSum, SUM_FILE } from './sum-file.ts';

export interface GenerateOptions extends LoadConfigOptions, ResolveRenames {
  /** A resolved configuration (skips loading one). */
  config?: ResolvedConfig;
  /** The migration's name, slugged into its id (`add email` -> `0002_add_email`). Default: from the changes. */
  name?: string;
}

export type GenerateResult =
  | { status: 'unchanged'; snapshotHash: string }
  | {
      status: 'written';
      id: string;
      /** The migration module's absolute path. */
      file: string;
      changes: readonly Change[];
      findings: readonly FindingLike[];
      /** Whether the module has TODO transforms to fill before `check` passes. */
      hasTodos: boolean;
    };

/**
 * Diffs the models against the latest snapshot and writes the next migration module, the updated
 * `index.ts`, `snapshot.json` and `evolve.sum`. With no changes it writes nothing. An ambiguous rename is
 * asked through `resolveRename`, or fails with AMBIGUOUS_RENAME (writing nothing) when there is none.
 *
 * @example
 * const result = await generate({ cwd: '/app', name: 'split name', renames: { 'User.name': 'fullName' } });
 * if (result.status === 'written') console.log(result.file);
 */
export async function generate(options: GenerateOptions = {}): Promise<GenerateResult> {
  const config = options.config ?? (await loadConfig(options));
  const pending = await pendingChanges(config, options);
  const { previous, next, changeSet } = pending;
  if (previous.hash === next.hash || changeSet.changes.length === 0) {
    return { status: 'unchanged', snapshotHash: previous.hash };
  }
  const dir = config.migrationsDir;
  const files = listMigrationFiles(dir);
  const sequence = (files.at(-1)?.sequence ?? 0) + 1;
  const id = `${String(sequence).padStart(4, '0')}_${slug(options.name) || slugFromChanges(changeSet.changes)}`;
  const sections = await renderSections(changeSet, previous, next, { version: sequence });
  const text = renderMigration({
    id,
    from: previous.hash,
    to: next.hash,
    changes: changeSet.changes,
    findings: sections.findings,
    ...(sections.transforms ? { transforms: sections.transforms } : {}),
    ...(sections.sql ? { sql: sections.sql } : {}),
    ...(sections.documents ? { documents: sections.documents } : {}),
  });
  const file = join(dir, `${id}.ts`);
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(file, text, { flag: 'wx' });
  } catch (error) {
    throw new EvolveError('INVALID_MIGRATION', `cannot write the migration: ${(error as Error).message}`, {
      path: file,
    });
  }
  const all = [...files, { id, name: `${id}.ts`, text }];
  writeFileSync(join(dir, INDEX_FILE), renderIndex(all.map((f) => f.id)));
  writeFileSync(join(dir, SNAPSHOT_FILE), serializeSnapshot(next));
  writeFileSync(join(dir, SUM_FILE), formatSum(computeSum(all)));
  return {
    status: 'written',
    id,
    file,
    changes: changeSet.changes,
    findings: sections.findings,
    hasTodos: /\btodo\(/.test(text),
  };
}

/** `Split Name!` -> `split_name` (at most 48 characters). */
export function slug(name: string | undefined): string {
  return (name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48)
    .replace(/_+$/, '');
}

function slugFromChanges(changes: readonly Change[]): string {
  const first = changes[0];
  if (!first) return 'update';
  const verb: Record<string, string> = {
    createModel: 'create',
    dropModel: 'drop',
    renameModel: 'rename',
    addField: 'add',
    dropField: 'drop',
    renameField: 'rename',
    changeType: 'change',
    addIndex: 'index',
    dropIndex: 'drop index',
  };
  const models = [...new Set(changes.map((c) => c.model))];
  const creates = changes.some((c) => c.kind === 'createModel');
  if (
    creates &&
    changes.every((c) => c.kind === 'createModel' || c.kind === 'addIndex' || c.kind === 'addForeignKey')
  ) {
    return slug(`create ${models.join(' ')}`) || 'init';
  }
  const what =
    first.kind === 'renameField'
      ? `${first.model} ${first.from.join(' ')} to ${first.path.join(' ')}`
      : first.kind === 'renameModel'
        ? `${first.from} to ${first.model}`
        : [first.model, ...first.path].join(' ');
  return slug(`${verb[first.kind] ?? 'update'} ${what}${changes.length > 1 ? ' and more' : ''}`) || 'update';
}
