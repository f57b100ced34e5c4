import type { Migration } from '@evolve/core';
import {
  type CheckFinding,
  type DatabaseTarget,
  isEvolveErrorLike,
  type ResolvedConfig,
  replaySnapshots,
} from '@evolve/project';
import { sqlDatabase, withMongo } from './mongo-api.ts';
import { redact, withDatabase } from './open-database.ts';
import { journalStatus, liveDrift } from './sql-api.ts';

/** What a journal (SQL or MongoDB) says about the migrations, for findings. */
interface JournalLike {
  applied: string[];
  pending: string[];
  modified: string[];
}

/** Checksum mismatches and pending migrations of one database, and the snapshot it should be at. */
function journalFindings(
  journal: JournalLike,
  migrations: readonly Migration[],
  where: string,
): { findings: CheckFinding[]; expected: ReturnType<typeof replaySnapshots>[number] } {
  const findings: CheckFinding[] = [];
  const snapshots = replaySnapshots(migrations);
  const newest = Math.max(-1, ...journal.applied.map((id) => migrations.findIndex((m) => m.id === id)));
  for (const id of journal.modified) {
    findings.push({
      code: 'CHECKSUM_MISMATCH',
      severity: 'error',
      message: `${id} changed after it was applied to ${where}: restore the applied version and put the change in a new migration`,
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
  return { findings, expected: snapshots[newest + 1]! };
}

async function guarded(target: DatabaseTarget, work: () => Promise<CheckFinding[]>): Promise<CheckFinding[]> {
  try {
    return await work();
  } catch (error) {
    const e = error as { code?: string; message?: string; path?: string };
    return [
      {
        code: isEvolveErrorLike(error) ? e.code! : 'CONNECTION_FAILED',
        severity: 'error',
        message: e.message ?? String(error),
        path: e.path ?? redact(target.url),
      },
    ];
  }
}

/**
 * `check --db`: compares the live databases with the schema they should have at their newest applied
 * migration (SQL tables through @evolve/sql's drift; the MongoDB collections and indexes of document
 * models through @evolve/document's index drift), and notes migrations they have not applied yet.
 */
export async function driftFindings(
  config: ResolvedConfig,
  migrations: readonly Migration[],
): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = [];
  const sql = sqlDatabase(config);
  if (sql) {
    const where = redact(sql.url);
    const dialect = sql.dialect as 'postgres' | 'mysql' | 'sqlite';
    findings.push(
      ...(await guarded(sql, () =>
        withDatabase(sql, async (db) => {
          const journal = await journalStatus(db, migrations);
          const { findings: found, expected } = journalFindings(journal, migrations, where);
          for (const d of await liveDrift(db, expected, dialect)) {
            const path = d.column ? `${d.table}.${d.column}` : d.table;
            found.push({
              code: 'DRIFT',
              severity: 'error',
              message: `drift in ${where}: ${d.message}`,
              ...(path ? { path } : {}),
            });
          }
          return found;
        }),
      )),
    );
  }
  const documents = config.documents;
  if (documents) {
    const where = redact(documents.url);
    findings.push(
      ...(await guarded(documents, () =>
        withMongo(documents, async (db) => {
          const { detectMongoIndexDrift, mongoJournalStatus } = await import('@evolve/document');
          const journal = await mongoJournalStatus(db, migrations);
          const { findings: found, expected } = journalFindings(
            { ...journal, applied: journal.applied.map((a) => a.id) },
            migrations,
            where,
          );
          for (const d of await detectMongoIndexDrift(db, expected)) {
            found.push({
              code: 'DRIFT',
              severity: 'error',
              message: `drift in ${where}: ${d.message}`,
              path: d.index ? `${d.collection}.${d.index}` : d.collection,
            });
          }
          return found;
        }),
      )),
    );
  }
  return findings;
}
