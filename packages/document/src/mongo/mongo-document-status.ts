import { type Migration, replayMigrations } from '@evolve/core';
import type { Db } from 'mongodb';
import type { SweepCheckpoint } from '../runtime/document-store.ts';
import { modelHistory } from '../upgrader/model-history.ts';

/** How many stored documents of a model sit at one version. */
export interface VersionCount {
  version: number;
  count: number;
  /** Documents without a version field (at the version that created the model) are counted here. */
  unversioned?: number;
}

/** A document model's stored versions and sweep checkpoints. */
export interface MongoModelStatus {
  model: string;
  collection: string;
  latestVersion: number;
  total: number;
  /** Ascending by version; versions nobody stores are left out. */
  versions: VersionCount[];
  /** Documents at a version this code does not know (newer, or not a number), by raw value. */
  unknown: { value: unknown; count: number }[];
  /** Saved positions of interrupted sweeps (`evolve_sweeps`), keyed `<collection>:<model>@<version>`. */
  checkpoints: ({ key: string } & SweepCheckpoint)[];
}

/**
 * Per document model of the latest snapshot: how many stored documents sit at each version (one
 * `$group` over the version field) and the checkpoints sweeps left. For `evolve status`.
 *
 * @example
 * for (const m of await mongoDocumentStatus(client.db('app'), { migrations })) console.log(m.model, m.versions);
 */
export async function mongoDocumentStatus(
  db: Db,
  options: { migrations: readonly Migration[]; versionField?: string },
): Promise<MongoModelStatus[]> {
  const versionField = options.versionField ?? '_v';
  const latest = replayMigrations(options.migrations).latest;
  const sweeps = await db.collection<{ _id: string } & SweepCheckpoint>('evolve_sweeps').find({}).toArray();
  const out: MongoModelStatus[] = [];
  for (const model of Object.values(latest.models)) {
    if (model.target !== 'document') continue;
    const history = modelHistory(options.migrations, model.name);
    const groups = await db
      .collection(model.table)
      .aggregate<{ _id: unknown; n: number }>([{ $group: { _id: `$${versionField}`, n: { $sum: 1 } } }])
      .toArray();
    const counts = new Map<number, VersionCount>();
    const unknown: MongoModelStatus['unknown'] = [];
    let total = 0;
    for (const { _id, n } of groups) {
      total += n;
      const missing = _id === null || _id === undefined;
      const version = missing ? history.createdVersion : _id;
      if (typeof version !== 'number' || !history.versions.includes(version)) {
        unknown.push({ value: _id, count: n });
        continue;
      }
      const entry = counts.get(version) ?? { version, count: 0 };
      entry.count += n;
      if (missing) entry.unversioned = (entry.unversioned ?? 0) + n;
      counts.set(version, entry);
    }
    out.push({
      model: model.name,
      collection: model.table,
      latestVersion: history.latestVersion,
      total,
      versions: [...counts.values()].sort((a, b) => a.version - b.version),
      unknown,
      checkpoints: sweeps
        .filter((s) => s._id.startsWith(`${model.table}:${model.name}@`))
        .map(({ _id, ...checkpoint }) => ({ key: _id, ...checkpoint })),
    });
  }
  return out;
}
