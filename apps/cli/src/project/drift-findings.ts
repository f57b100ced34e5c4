import type { Migration } from '@evolve/core';
import type { CheckFinding } from './check-finding.ts';
import { isEvolveErrorLike } from './import-module.ts';
import type { ResolvedConfig } from './load-config.ts';
import { redact, withDatabase } from './open-database.ts';
import { replaySnapshots } from './replay-snapshots.ts';
import { journalStatus, liveDrift } from './sql-api.ts';

/**
 * `check --db`: compares the live database with the schema it should have at its newest applied migration,
 * and notes migrations it has not applied yet.
 */
export async function driftFindings(
  config: ResolvedConfig,
  migrations: readonly Migration[],
): Promise<CheckFinding[]> {
  const where = redact(config.database.url);
  try {
    return await withDatabase(config.database, async (db) => {
      const findings: CheckFinding[] = [];
      const journal = await journalStatus(db, migrations);
      const snapshots = replaySnapshots(migrations);
      const newest = Math.max(-1, ...journal.applied.map((id) => migrations.findIndex((m) => m.id === id)));
      const expected = snapshots[newest + 1]!;
      for (const id of journal.modified) {
        findings.push({
          code: 'CHECKSUM_MISMATCH',
          severity: 'error',
          message: `${id} changed after it was applied to ${where}`,
          path: id,
        });
      }
      if (journal.pending.length > 0) {
        findings.push({
          code: 'PENDING_MIGRATIONS',
          severity: 'warning',
          message: `${journal.pending.length} migration(s) not applied to ${where}: ${journal.pending.join(', ')}`,
          path: where,
        });
      }
      for (const d of await liveDrift(db, expected, config.database.dialect)) {
        const path = d.column ? `${d.table}.${d.column}` : d.table;
        findings.push({
          code: 'DRIFT',
          severity: 'error',
          message: `drift in ${where}: ${d.message}`,
          ...(path ? { path } : {}),
        });
      }
      return findings;
    });
  } catch (error) {
    const e = error as { code?: string; message?: string; path?: string };
    return [
      {
        code: isEvolveErrorLike(error) ? e.code! : 'CONNECTION_FAILED',
        severity: 'error',
        message: e.message ?? String(error),
        path: e.path ?? where,
      },
    ];
  }
}
