import { createHash } from 'node:crypto';
import { EvolveError } from '@evolve/core';

/** The contents of `evolve.sum`: one hash per migration file, in order, and a total over the list. */
export interface SumFile {
  total: string;
  files: readonly { name: string; hash: string }[];
}

/** A difference between the files on disk and `evolve.sum`. */
export interface SumProblem {
  kind: 'missing-sum' | 'edited' | 'added' | 'removed' | 'reordered' | 'total';
  /** The migration file at fault (or `evolve.sum`). */
  file: string;
  message: string;
}

export const SUM_FILE = 'evolve.sum';

const h1 = (text: string) => `h1:${createHash('sha256').update(text).digest('base64')}`;

/** Hashes one migration file's text (line endings normalized, so a checkout with CRLF still matches). */
export function hashMigrationText(text: string): string {
  return h1(text.replace(/\r\n/g, '\n'));
}

/**
 * Builds the sum of an ordered list of migration files, as Atlas's `atlas.sum` does: the total covers the
 * names and hashes in order, so an edited, added, removed or reordered file changes it.
 *
 * @example
 * computeSum([{ name: '0001_init.ts', text: '...' }]).total; // 'h1:…'
 */
export function computeSum(files: readonly { name: string; text: string }[]): SumFile {
  return sumOfEntries(files.map((f) => ({ name: f.name, hash: hashMigrationText(f.text) })));
}

/**
 * The sum of already hashed entries: their list and the total over it.
 *
 * @example
 * const sum = sumOfEntries([{ name: '0001_init.ts', hash: 'h1:...' }]);
 * formatSum(sum); // the evolve.sum text
 */
export function sumOfEntries(entries: readonly { name: string; hash: string }[]): SumFile {
  return { total: h1(entries.map((e) => `${e.name} ${e.hash}\n`).join('')), files: [...entries] };
}

/**
 * The `evolve.sum` text: the total on the first line, then `<file> <hash>` per migration.
 *
 * @example
 * import { readFileSync, writeFileSync } from 'node:fs';
 * const text = readFileSync('migrations/0001_init.ts', 'utf8');
 * writeFileSync('migrations/evolve.sum', formatSum(computeSum([{ name: '0001_init.ts', text }])));
 */
export function formatSum(sum: SumFile): string {
  return [sum.total, ...sum.files.map((f) => `${f.name} ${f.hash}`)].join('\n') + '\n';
}

/**
 * Parses `evolve.sum`; a malformed file is a `CHECKSUM_MISMATCH` naming the line.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const recorded = parseSum(readFileSync('migrations/evolve.sum', 'utf8'), 'migrations/evolve.sum');
 */
export function parseSum(text: string, path = SUM_FILE): SumFile {
  const lines = text
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const [total, ...rest] = lines;
  if (!total?.startsWith('h1:')) {
    throw new EvolveError('CHECKSUM_MISMATCH', 'the sum file does not start with its total hash (h1:...)', {
      path,
    });
  }
  const files = rest.map((line, i) => {
    const m = /^(\S+) (h1:\S+)$/.exec(line);
    if (!m) {
      throw new EvolveError('CHECKSUM_MISMATCH', `malformed line ${i + 2} in the sum file: "${line}"`, {
        path,
      });
    }
    return { name: m[1]!, hash: m[2]! };
  });
  return { total, files };
}

/**
 * Compares the files on disk with the recorded sum. Empty when they match.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const files = ['0001_init.ts', '0002_x.ts'].map((name) => ({ name, text: readFileSync(`migrations/${name}`, 'utf8') }));
 * verifySum(computeSum(files), parseSum(readFileSync('migrations/evolve.sum', 'utf8'))); // [] or [{ kind: 'edited', file: '0002_x.ts', ... }]
 */
export function verifySum(actual: SumFile, recorded: SumFile): SumProblem[] {
  const problems: SumProblem[] = [];
  const recordedByName = new Map(recorded.files.map((f, i) => [f.name, { ...f, index: i }]));
  const actualNames = new Set(actual.files.map((f) => f.name));
  actual.files.forEach((file, i) => {
    const rec = recordedByName.get(file.name);
    if (!rec) {
      problems.push({
        kind: 'added',
        file: file.name,
        message: 'migration file is not recorded in evolve.sum',
      });
    } else if (rec.hash !== file.hash) {
      problems.push({
        kind: 'edited',
        file: file.name,
        message:
          'migration file was edited after evolve.sum was written: after a deliberate edit run `evolve hash`, otherwise restore the file',
      });
    } else if (rec.index !== i) {
      problems.push({
        kind: 'reordered',
        file: file.name,
        message: `migration file moved from position ${rec.index + 1} to ${i + 1}`,
      });
    }
  });
  for (const rec of recorded.files) {
    if (!actualNames.has(rec.name)) {
      problems.push({
        kind: 'removed',
        file: rec.name,
        message: 'migration file recorded in evolve.sum is missing',
      });
    }
  }
  if (problems.length === 0 && actual.total !== recorded.total) {
    problems.push({
      kind: 'total',
      file: SUM_FILE,
      message: 'the total hash in evolve.sum does not match its entries',
    });
  }
  return problems;
}
