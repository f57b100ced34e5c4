import { join } from 'node:path';
import type { CheckFinding, Relative } from './check-finding.ts';
import { isEvolveErrorLike } from './import-module.ts';
import { type MigrationFile, readSum } from './migrations-folder.ts';
import { computeSum, SUM_FILE, verifySum } from './sum-file.ts';

/** Migration files edited, added, removed or reordered behind `evolve.sum`'s back (no database needed). */
export function sumFindings(dir: string, files: readonly MigrationFile[], rel: Relative): CheckFinding[] {
  const sumFile = rel(join(dir, SUM_FILE));
  try {
    const recorded = readSum(dir);
    if (!recorded) {
      return files.length === 0
        ? []
        : [
            {
              code: 'CHECKSUM_MISMATCH',
              severity: 'error',
              message: `${SUM_FILE} is missing (run evolve hash)`,
              file: sumFile,
            },
          ];
    }
    return verifySum(computeSum(files), recorded).map((p) => ({
      code: 'CHECKSUM_MISMATCH',
      severity: 'error',
      message: `${p.file}: ${p.message}`,
      path: p.file,
      file: rel(join(dir, p.file)),
    }));
  } catch (error) {
    const code = isEvolveErrorLike(error) ? error.code : 'CHECKSUM_MISMATCH';
    return [{ code, severity: 'error', message: (error as Error).message, file: sumFile }];
  }
}
