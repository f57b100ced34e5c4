import { describe, expect, it } from 'vitest';
import { computeSum, formatSum, parseSum, verifySum } from '../src/index.ts';

const files = [
  { name: '0001_init.ts', text: 'export default 1;\n' },
  { name: '0002_add_email.ts', text: 'export default 2;\n' },
];

describe('evolve.sum', () => {
  it('round-trips through its text form and verifies clean', () => {
    const sum = computeSum(files);
    expect(formatSum(sum)).toMatch(/^h1:\S+=\n0001_init\.ts h1:\S+\n0002_add_email\.ts h1:\S+\n$/);
    expect(parseSum(formatSum(sum))).toEqual(sum);
    expect(verifySum(computeSum(files), sum)).toEqual([]);
  });

  it('ignores CRLF line endings, so a Windows checkout still matches', () => {
    const crlf = files.map((f) => ({ ...f, text: f.text.replace(/\n/g, '\r\n') }));
    expect(verifySum(computeSum(crlf), computeSum(files))).toEqual([]);
  });

  it('names an edited, an added, a removed and a reordered migration', () => {
    const recorded = computeSum(files);
    const edited = [files[0]!, { ...files[1]!, text: 'export default 3;\n' }];
    expect(verifySum(computeSum(edited), recorded)).toMatchObject([
      { kind: 'edited', file: '0002_add_email.ts' },
    ]);
    const added = [...files, { name: '0003_x.ts', text: '' }];
    expect(verifySum(computeSum(added), recorded)).toMatchObject([{ kind: 'added', file: '0003_x.ts' }]);
    expect(verifySum(computeSum([files[0]!]), recorded)).toMatchObject([
      { kind: 'removed', file: '0002_add_email.ts' },
    ]);
    expect(verifySum(computeSum([files[1]!, files[0]!]), recorded).map((p) => p.kind)).toEqual([
      'reordered',
      'reordered',
    ]);
  });

  it('rejects a malformed sum file with CHECKSUM_MISMATCH', () => {
    expect(() => parseSum('not a sum\n')).toThrow(expect.objectContaining({ code: 'CHECKSUM_MISMATCH' }));
    expect(() => parseSum('h1:abc=\nbroken line\n')).toThrow(
      expect.objectContaining({ code: 'CHECKSUM_MISMATCH' }),
    );
  });
});
