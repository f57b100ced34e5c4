import { join } from 'node:path';
import { applyChanges, type Change, serializeSnapshot } from '@evolve/core';
import { composeMigration } from './compose-migration.ts';
import { writeFolderAtomically } from './folder-transaction.ts';
import { type LoadConfigOptions, loadConfig, type ResolvedConfig } from './load-config.ts';
import { INDEX_FILE, listMigrationFiles, renderIndex, SNAPSHOT_FILE } from './migrations-folder.ts';
import { pendingChanges, type ResolveRenames } from './pending-changes.ts';
import type { FindingLike } from './render-migration.ts';
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
 * `index.ts`, `snapshot.json` and `evolve.sum`, as one set (all or, on a failure or a crash, none). With no changes it writes nothing. An ambiguous rename is
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
  const composed = await composeMigration(pending, {
    migrationsDir: dir,
    ...(options.name !== undefined ? { name: options.name } : {}),
  });
  const { id, text } = composed;
  const file = join(dir, `${id}.ts`);
  const all = [...files, { id, name: `${id}.ts`, text }];
  // One set: a failure or a crash leaves the folder as it was, never a migration without its snapshot.
  // The snapshot is what replaying the history gives: the models' content, with the columns in the order
  // the tables have them (a field declared earlier than where ADD COLUMN put it stays where it is).
  writeFolderAtomically(dir, [
    { name: `${id}.ts`, text, create: true },
    { name: INDEX_FILE, text: renderIndex(all.map((f) => f.id)) },
    { name: SNAPSHOT_FILE, text: serializeSnapshot(applyChanges(previous, changeSet)) },
    { name: SUM_FILE, text: formatSum(computeSum(all)) },
  ]);
  return {
    status: 'written',
    id,
    file,
    changes: composed.changes,
    findings: composed.findings,
    hasTodos: composed.hasTodos,
  };
}
