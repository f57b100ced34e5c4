import type { Change, Migration } from '@evolve/core';
import type { SqlStep } from '@evolve/sql';
import { migrationId } from './migration-id.ts';
import { listMigrationFiles } from './migrations-folder.ts';
import type { PendingChanges } from './pending-changes.ts';
import { type FindingLike, renderMigration } from './render-migration.ts';
import { renderSections } from './render-sections.ts';

/** The next migration of a project, as `generate` writes it and `plan` shows it. */
export interface ComposedMigration {
  id: string;
  /** The schema version it leads to (its sequence number). */
  version: number;
  /** The module's source text. */
  text: string;
  changes: readonly Change[];
  findings: readonly FindingLike[];
  /** Whether the module has TODO transforms to fill before `check` passes. */
  hasTodos: boolean;
  /**
   * The migration as the runner will see it, minus the transforms' code: id, hashes, changes and the `sql`
   * section's steps (exactly what the module's `sql: { up, down }` spells out), for compiling previews.
   */
  migration: Migration;
}

/**
 * Composes the next migration module from pending changes: its id, its source text, and the steps of its
 * SQL section. The one producer of a migration: `generate` writes `text`, `plan` compiles `migration`, so
 * what `plan` shows is what `evolve sql` shows of the written module.
 *
 * @example
 * import { writeFileSync } from 'node:fs';
 * import { join } from 'node:path';
 * const composed = await composeMigration(await pendingChanges(config), { migrationsDir: config.migrationsDir });
 * writeFileSync(join(config.migrationsDir, `${composed.id}.ts`), composed.text);
 */
export async function composeMigration(
  pending: Pick<PendingChanges, 'previous' | 'next' | 'changeSet'>,
  options: { migrationsDir: string; name?: string },
): Promise<ComposedMigration> {
  const { previous, next, changeSet } = pending;
  const version = (listMigrationFiles(options.migrationsDir).at(-1)?.sequence ?? 0) + 1;
  const id = migrationId(version, {
    changes: changeSet.changes,
    ...(options.name !== undefined ? { name: options.name } : {}),
  });
  const sections = await renderSections(changeSet, previous, next, { version });
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
  const sql: { up: readonly SqlStep[]; down: readonly SqlStep[] } | undefined = sections.sqlSteps;
  return {
    id,
    version,
    text,
    changes: changeSet.changes,
    findings: sections.findings,
    hasTodos: /\btodo\(/.test(text),
    migration: {
      id,
      from: previous.hash,
      to: next.hash,
      changes: changeSet.changes,
      acknowledge: [],
      ...(sql ? { sql } : {}),
    },
  };
}
