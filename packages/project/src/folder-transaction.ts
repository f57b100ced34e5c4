import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { EvolveError } from '@evolve/core';

/**
 * Writes to the migrations folder as one set, the way a database's rollback journal makes a transaction atomic:
 * the new files are staged in a hidden folder beside their targets (same file system, so a rename moves
 * them), the old ones copied there, and then one rename of the record file `.evolve-tx.json` commits the
 * set. Before that rename nothing is changed; after it, the set is completed ("rolled forward") by the
 * writer or, if it died, by the next reader of the folder ({@link recoverFolder}). A write that fails after
 * the commit puts the old files back before it throws.
 */

/** A file of the set: its new text, or `undefined` to remove it. */
export interface FolderWrite {
  name: string;
  text: string | undefined;
  /** The file must not exist yet (a new migration never replaces one). */
  create?: boolean;
}

export const TX_RECORD = '.evolve-tx.json';
const STAGING_PREFIX = '.evolve-tx-';

interface TxRecord {
  staging: string;
  /** `commit`: roll forward. `rollback`: put the old files back. */
  state: 'commit' | 'rollback';
  files: { name: string; remove: boolean; existed: boolean }[];
}

export interface FolderTransactionOptions {
  /** Moves a file (a seam for tests that make one move fail). Default `fs.renameSync`. */
  rename?: (from: string, to: string) => void;
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code;

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some platforms cannot open a directory for fsync; the renames are still atomic there
  }
}

function writeDurably(file: string, text: string): void {
  const fd = openSync(file, 'wx');
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function writeRecord(dir: string, record: TxRecord): void {
  const tmp = join(dir, `${record.staging}.json`);
  rmSync(tmp, { force: true });
  writeDurably(tmp, JSON.stringify(record));
  renameSync(tmp, join(dir, TX_RECORD));
  syncDir(dir);
}

/** Refuses a set that cannot be written, before anything is staged: nothing changes on a refusal. */
function preflight(dir: string, writes: readonly FolderWrite[]): void {
  for (const w of writes) {
    const target = join(dir, w.name);
    let stat: Stats | undefined;
    try {
      stat = lstatSync(target);
    } catch (error) {
      if (errno(error) !== 'ENOENT') throw cannotWrite(target, (error as Error).message);
    }
    if (!stat) continue;
    if (w.create) throw cannotWrite(target, 'the file already exists');
    if (!stat.isFile()) throw cannotWrite(target, 'it is not a regular file');
    // A file without write permission was made read-only on purpose: honour it, even as root.
    if ((stat.mode & 0o222) === 0) throw cannotWrite(target, 'the file is read-only');
  }
}

const cannotWrite = (path: string, why: string) =>
  new EvolveError('INVALID_MIGRATION', `cannot write ${path}: ${why}; nothing in the folder was changed`, {
    path,
  });

function rollForward(dir: string, record: TxRecord, rename: (from: string, to: string) => void): void {
  for (const f of record.files) {
    const target = join(dir, f.name);
    if (f.remove) {
      rmSync(target, { force: true });
      continue;
    }
    try {
      rename(join(dir, record.staging, 'new', f.name), target);
    } catch (error) {
      // already moved, by this writer before it died or by a reader recovering the folder meanwhile
      if (errno(error) !== 'ENOENT') throw error;
    }
  }
  syncDir(dir);
}

function rollBack(dir: string, record: TxRecord): void {
  for (const f of record.files) {
    const target = join(dir, f.name);
    const old = join(dir, record.staging, 'old', f.name);
    if (f.existed) {
      if (existsSync(old)) renameSync(old, target);
    } else {
      rmSync(target, { force: true });
    }
  }
  syncDir(dir);
}

function finish(dir: string, record: TxRecord): void {
  rmSync(join(dir, TX_RECORD), { force: true });
  rmSync(join(dir, record.staging), { recursive: true, force: true });
  syncDir(dir);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errno(error) === 'EPERM';
  }
}

/**
 * Brings the folder to a consistent state: completes a committed set of writes (or the undoing of one) left
 * by a writer that died, and removes what a dead writer staged without committing. Every reader of the
 * folder calls it first; it is a no-op (one `existsSync`, one `readdirSync`) when there is nothing to do.
 *
 * @example
 * recoverFolder('/app/migrations'); // then read snapshot.json, index.ts, ...
 */
export function recoverFolder(dir: string): void {
  const recordFile = join(dir, TX_RECORD);
  if (existsSync(recordFile)) {
    let record: TxRecord | undefined;
    try {
      record = JSON.parse(readFileSync(recordFile, 'utf8')) as TxRecord;
    } catch (error) {
      // another process finished the set between our two calls
      if (errno(error) !== 'ENOENT') throw error;
    }
    if (record) {
      if (record.state === 'commit') rollForward(dir, record, renameSync);
      else rollBack(dir, record);
      finish(dir, record);
    }
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${STAGING_PREFIX.replace(/\./g, '\\.')}(\\d+)-`).exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

/**
 * Writes (and removes) a set of files in `dir` atomically: afterwards either all of them are in place or,
 * on an error or a crash before the commit, none changed. Refuses (INVALID_MIGRATION, nothing changed) a
 * target that is read-only, not a regular file, or exists when `create` is set.
 *
 * @example
 * writeFolderAtomically('migrations', [
 *   { name: '0002_add_email.ts', text: 'export default {};\n', create: true },
 *   { name: 'snapshot.json', text: JSON.stringify(next) },
 * ]);
 */
export function writeFolderAtomically(
  dir: string,
  writes: readonly FolderWrite[],
  options: FolderTransactionOptions = {},
): void {
  const rename = options.rename ?? renameSync;
  mkdirSync(dir, { recursive: true });
  recoverFolder(dir);
  preflight(dir, writes);
  const staging = `${STAGING_PREFIX}${process.pid}-${Date.now().toString(36)}`;
  const record: TxRecord = {
    staging,
    state: 'commit',
    files: writes.map((w) => ({
      name: w.name,
      remove: w.text === undefined,
      existed: existsSync(join(dir, w.name)),
    })),
  };
  try {
    mkdirSync(join(dir, staging, 'new'), { recursive: true });
    mkdirSync(join(dir, staging, 'old'));
    for (const w of writes) {
      if (w.text !== undefined) writeDurably(join(dir, staging, 'new', w.name), w.text);
      if (existsSync(join(dir, w.name))) copyFileSync(join(dir, w.name), join(dir, staging, 'old', w.name));
    }
    syncDir(join(dir, staging, 'new'));
    syncDir(join(dir, staging, 'old'));
    writeRecord(dir, record); // the commit point
  } catch (error) {
    rmSync(join(dir, staging), { recursive: true, force: true });
    rmSync(join(dir, `${staging}.json`), { force: true });
    throw cannotWrite(dir, (error as Error).message);
  }
  try {
    rollForward(dir, record, rename);
  } catch (error) {
    writeRecord(dir, { ...record, state: 'rollback' });
    rollBack(dir, record);
    finish(dir, record);
    const failed = error as Error & { path?: string };
    throw cannotWrite(failed.path ?? dir, failed.message);
  }
  finish(dir, record);
}

/** Whether a name belongs to a transaction's working files (hidden from listings of the folder). */
export function isTransactionFile(name: string): boolean {
  return name === TX_RECORD || name.startsWith(STAGING_PREFIX);
}
