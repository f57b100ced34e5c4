import { emptySnapshot, type Migration, type Snapshot } from '@evolve/core';
import { packageFunction } from './package-api.ts';

/**
 * The snapshot before each migration and after the last: `snapshots[i]` is the schema migration `i` starts
 * from, `snapshots[migrations.length]` the latest. Replayed with core's `applyChanges`.
 */
export async function replaySnapshots(migrations: readonly Migration[]): Promise<Snapshot[]> {
  const applyChanges = await packageFunction('@evolve/core', 'applyChanges');
  const snapshots: Snapshot[] = [emptySnapshot()];
  for (const m of migrations) {
    const last = snapshots.at(-1)!;
    snapshots.push(applyChanges(last, { from: m.from, to: m.to, changes: m.changes }) as Snapshot);
  }
  return snapshots;
}
