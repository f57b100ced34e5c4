// The shop's data layer as an application starts it: migrate the SQL tables, then read and write event
// documents through a versioned collection that upgrades old documents lazily.

import type { OpenDatabase } from '@evolve/cli';
import { createDocumentTable, createSqlDocumentStore, createUpgrader, versioned } from '@evolve/document';
import { migrate } from '@evolve/sql';
import migrations from '../migrations/index.ts';
import { Event } from './models.ts';

export * from './models.ts';
export { migrations };

/**
 * Brings the database to the latest version (safe to call from every instance at startup: one migrates
 * while the others wait for its lock) and returns the event log, upgraded on read.
 *
 * @example
 * const shop = await startShop(db);
 * const recent = await shop.events.find({ customerId: 1 }).toArray();
 */
export async function startShop(db: OpenDatabase['db'], options: { writeBack?: boolean } = {}) {
  const result = await migrate(db, { migrations });
  if (result.error) throw result.error;
  await createDocumentTable(db, { table: Event.table });
  const events = versioned(
    createSqlDocumentStore(db, { table: Event.table }),
    createUpgrader({ model: Event, migrations }),
    {
      // Write upgraded documents back (compare-and-set), so each is upgraded once.
      writeBack: options.writeBack ?? true,
    },
  );
  return { db, events, applied: result.applied };
}
