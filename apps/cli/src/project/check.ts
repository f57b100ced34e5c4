import {
  type CheckFinding,
  type CheckResult,
  check as checkProject,
  type CheckOptions as ProjectCheckOptions,
} from '@evolve/project';
import { driftFindings } from './drift-findings.ts';

export type { CheckFinding, CheckResult };

export interface CheckOptions extends Omit<ProjectCheckOptions, 'drift'> {
  /** Also compare the live database with the snapshot it should be at (drift). */
  db?: boolean;
}

/**
 * `evolve check`: @evolve/project's `check` of the project files (sum file, index, snapshot chain, TODO
 * transforms, unacknowledged changes, pending model changes, property tests), and with `db` the live
 * database's drift and journal, through the database the config names.
 *
 * @example
 * const { exitCode, findings } = await check({ cwd: '/app', db: true });
 */
export async function check(options: CheckOptions = {}): Promise<CheckResult> {
  const { db, ...rest } = options;
  return checkProject({ ...rest, ...(db ? { drift: driftFindings } : {}) });
}
