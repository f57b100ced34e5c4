import { readFileSync } from 'node:fs';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemAffectsResolutionKind, problemKindInfo } from '@arethetypeswrong/core/problems';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';

/**
 * What publint reports about a packed tarball (every level, suggestions included), as readable lines.
 *
 * @example
 * await publintTarball('/tmp/evolve-core-0.1.0.tgz'); // []
 */
export async function publintTarball(tarball: string): Promise<string[]> {
  const data = readFileSync(tarball);
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const { messages, pkg } = await publint({ pack: { tarball: buffer }, level: 'suggestion', strict: true });
  return messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, pkg) ?? ''}`);
}

/**
 * What "Are the types wrong?" reports about a packed tarball, for how ESM-only packages are consumed: Node.js
 * 16+ ESM resolution and bundlers (its `esm-only` profile; CommonJS `require` and node10 are not supported).
 */
export async function attwTarball(tarball: string): Promise<string[]> {
  const pkg = createPackageFromTarballData(new Uint8Array(readFileSync(tarball)));
  const result = await checkPackage(pkg);
  if (result.types === false) return ['the package has no types'];
  return result.problems
    .filter((p) =>
      (['node16-esm', 'bundler'] as const).some((k) => problemAffectsResolutionKind(p, k, result)),
    )
    .map((p) => `${p.kind}: ${problemKindInfo[p.kind].shortDescription} ${JSON.stringify(p)}`);
}
