import { join } from 'node:path';
import type { CheckFinding, Relative } from './check-finding.ts';
import { computeCodeHash, readCodeHash } from './code-hash.ts';
import { isEvolveErrorLike } from './import-module.ts';
import { type MigrationFile, readSum } from './migrations-folder.ts';
import { computeSum, SUM_FILE, verifySum } from './sum-file.ts';

/**
 * Migration files edited, added, removed or reordered behind `evolve.sum`'s back, and modules whose code no
 * longer matches their `codeHash` (no database needed).
 */
export function sumFindings(dir: string, files: readonly MigrationFile[], rel: Relative): CheckFinding[] {
  const findings = sumFileFindings(dir, files, rel);
  const named = new Set(findings.map((f) => f.path));
  for (const file of files) {
    const recorded = readCodeHash(file.text);
    if (named.has(file.name) || recorded === undefined || recorded === computeCodeHash(file.text)) continue;
    findings.push({
      code: 'CHECKSUM_MISMATCH',
      severity: 'error',
      message: `${file.name}: its code changed since its codeHash was written: after a deliberate edit run \`evolve hash\`, otherwise restore the file`,
      path: file.name,
      file: rel(file.path),
    });
  }
  return findings;
}

function sumFileFindings(dir: string, files: readonly MigrationFile[], rel: Relative): CheckFinding[] {
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
