import type { DumpDialect } from './dump-database.ts';

/** Options of fixtures/migrate-child.ts. */
export interface MigrateChildArgs {
  dialect: DumpDialect;
  /** postgres:// or mysql:// URL, or the SQLite file path. */
  url: string;
  /** Start barrier: the child waits for this file after printing READY. */
  goFile?: string;
  /** `crash`: the account history plus 0005_balance_as_text (CRASH_MIGRATIONS). Default `accounts`. */
  history?: 'accounts' | 'crash';
  /** Use the history only up to this migration id (the code is at that version). */
  upTo?: string;
  to?: string;
  lockTimeoutMs?: number;
  batchSize?: number;
  pauseMs?: number;
  poolSize?: number;
  /** Print every progress event as `EVENT {...}` (for kill-point reporting). */
  printEvents?: boolean;
}

/** What fixtures/migrate-child.ts reports on its `RESULT` line. */
export interface MigrateChildReport {
  pid: number;
  /** When the start barrier opened for this child (epoch ms). */
  startedAt: number;
  finishedAt: number;
  lockWaitMs: number;
  /** The journal as this child saw it after migrate() returned. */
  journalIds: string[];
  applied: { id: string; status: string; durationMs: number }[];
  error?: { code: string; message: string; path?: string | undefined };
}
