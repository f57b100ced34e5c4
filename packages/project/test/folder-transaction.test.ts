// The migrations folder is written as one set: a move that fails half-way puts the old files back, and a
// set a killed writer committed is completed by the next reader (crash-generate.test.ts kills real runs).
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { recoverFolder, TX_RECORD, writeFolderAtomically } from '../src/folder-transaction.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-tx-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const contents = (dir: string) =>
  Object.fromEntries(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

const SET = [
  { name: '0002_b.ts', text: 'new migration', create: true },
  { name: 'index.ts', text: 'new index' },
  { name: 'snapshot.json', text: 'new snapshot' },
  { name: 'evolve.sum', text: 'new sum' },
];
const OLD = {
  '0001_a.ts': 'a',
  'index.ts': 'old index',
  'snapshot.json': 'old snapshot',
  'evolve.sum': 'old sum',
};
/** The folder once SET is written over OLD. */
const NEW = {
  '0001_a.ts': 'a',
  '0002_b.ts': 'new migration',
  'index.ts': 'new index',
  'snapshot.json': 'new snapshot',
  'evolve.sum': 'new sum',
};

describe('writeFolderAtomically', () => {
  it('writes every file of the set and leaves no working files', () => {
    const dir = folder(OLD);
    writeFolderAtomically(dir, SET);
    expect(contents(dir)).toEqual(NEW);
  });

  it('a move that fails after two succeeded puts the old files back and throws INVALID_MIGRATION', () => {
    const dir = folder(OLD);
    let moves = 0;
    const rename = (from: string, to: string) => {
      if (++moves === 3) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO', path: to });
      renameSync(from, to);
    };
    expect(() => writeFolderAtomically(dir, SET, { rename })).toThrow(
      expect.objectContaining({
        code: 'INVALID_MIGRATION',
        message: expect.stringMatching(/snapshot\.json.*EIO/),
      }),
    );
    expect(moves).toBe(3);
    expect(contents(dir)).toEqual(OLD);
  });

  it('refuses a read-only target, a folder in a file`s place and an existing new migration, changing nothing', () => {
    for (const [prepare, fault] of [
      [(dir: string) => chmodSync(join(dir, 'snapshot.json'), 0o444), /read-only/],
      [(dir: string) => mkdirSync(join(dir, 'evolve.sum.d')), /regular file/],
      [(dir: string) => writeFileSync(join(dir, '0002_b.ts'), 'other'), /already exists/],
    ] as const) {
      const dir = folder(OLD);
      prepare(dir);
      const writes = fault.source === 'regular file' ? [...SET, { name: 'evolve.sum.d', text: 'x' }] : SET;
      const before = readdirSync(dir).sort();
      expect(() => writeFolderAtomically(dir, writes)).toThrow(fault);
      expect(readdirSync(dir).sort()).toEqual(before);
    }
  });

  it('removes the files a set removes', () => {
    const dir = folder(OLD);
    writeFolderAtomically(dir, [
      { name: '0001_a.ts', text: undefined },
      { name: 'snapshot.json', text: undefined },
    ]);
    expect(Object.keys(contents(dir)).sort()).toEqual(['evolve.sum', 'index.ts']);
  });
});

describe('recoverFolder', () => {
  it('completes a committed set whose writer died after moving some of its files', () => {
    const dir = folder(OLD);
    // The state SIGKILL leaves after the commit and one move: the record, three staged files, one moved.
    const staging = '.evolve-tx-4194305-abc';
    mkdirSync(join(dir, staging, 'new'), { recursive: true });
    mkdirSync(join(dir, staging, 'old'));
    for (const f of SET) writeFileSync(join(dir, staging, 'new', f.name), f.text);
    renameSync(join(dir, staging, 'new', '0002_b.ts'), join(dir, '0002_b.ts'));
    const files = SET.map((f) => ({ name: f.name, remove: false, existed: f.name in OLD }));
    writeFileSync(join(dir, TX_RECORD), JSON.stringify({ staging, state: 'commit', files }));
    recoverFolder(dir);
    expect(contents(dir)).toEqual(NEW);
  });

  it('removes what a dead writer staged without committing', () => {
    const dir = folder(OLD);
    // pid 2^22 + 1: above the largest pid Linux hands out (pid_max is at most 2^22), so never alive
    mkdirSync(join(dir, '.evolve-tx-4194305-abc', 'new'), { recursive: true });
    writeFileSync(join(dir, '.evolve-tx-4194305-abc', 'new', 'index.ts'), 'half');
    recoverFolder(dir);
    expect(contents(dir)).toEqual(OLD);
  });
});
