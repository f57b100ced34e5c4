import type { Db, MongoClient } from 'mongodb';

/** What evolve needs to know about the server behind a MongoDB driver connection. */
export interface MongoServerInfo {
  /** `ferretdb` when the server says it is FerretDB (its `buildInfo` carries `ferretdbVersion`). */
  flavor: 'mongodb' | 'ferretdb';
  /** The server's own version (FerretDB's, not the MongoDB version it emulates). */
  version: string;
  /**
   * Whether a filtered `replaceOne` / `updateOne` matches and writes in one atomic step. FerretDB 1.x
   * reads the matching documents and then writes them by `_id`, so two writers can both match the same
   * state; evolve's compare-and-set then takes a write claim first (see `createMongoDocumentStore`).
   * Only tested against FerretDB 1.24, so every FerretDB version is treated that way.
   */
  atomicConditionalWrites: boolean;
  /** Aggregation stages the server runs, where it lists them (FerretDB does); `undefined`: all of MongoDB's. */
  aggregationStages?: readonly string[];
}

const known = new WeakMap<MongoClient, Promise<MongoServerInfo>>();

/**
 * Asks the server what it is (`buildInfo`, once per client) and what that means for evolve: FerretDB
 * 1.x has no atomic conditional writes, no collection validators and fewer aggregation stages.
 *
 * @example
 * const info = await describeMongoServer(client.db('app'));
 * if (info.flavor === 'ferretdb') console.warn(`FerretDB ${info.version}: validators are not applied`);
 */
export function describeMongoServer(db: Db): Promise<MongoServerInfo> {
  let info = known.get(db.client);
  if (!info) {
    info = db
      .admin()
      .command({ buildInfo: 1 })
      .then((build): MongoServerInfo => {
        const ferret = typeof build.ferretdbVersion === 'string' ? build.ferretdbVersion : undefined;
        if (ferret === undefined) {
          return { flavor: 'mongodb', version: String(build.version), atomicConditionalWrites: true };
        }
        const stages = build.ferretdbFeatures?.aggregationStages;
        return {
          flavor: 'ferretdb',
          version: ferret.replace(/^v/, ''),
          atomicConditionalWrites: false,
          ...(Array.isArray(stages) ? { aggregationStages: stages.map(String) } : {}),
        };
      });
    // a failed probe (server down) is not remembered: the next call asks again
    info.catch(() => known.delete(db.client));
    known.set(db.client, info);
  }
  return info;
}
