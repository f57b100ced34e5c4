import type { Ambiguity } from './ambiguity.ts';
import type { Change, ChangeSet } from './change-types.ts';
import { describeChange } from './describe-change.ts';
import { type DiffOptions, diff } from './diff.ts';
import { isEvolveError } from './errors.ts';
import type { Snapshot } from './snapshot-types.ts';

/** Confluent Schema Registry compatibility modes. */
export type CompatibilityMode =
  | 'BACKWARD'
  | 'BACKWARD_TRANSITIVE'
  | 'FORWARD'
  | 'FORWARD_TRANSITIVE'
  | 'FULL'
  | 'FULL_TRANSITIVE'
  | 'NONE';

export interface CompatibilityFailure {
  /** Hash of the earlier snapshot. */
  from: string;
  /** Hash of the latest snapshot. */
  to: string;
  change: Change;
  direction: 'backward' | 'forward';
  reason: string;
}

export interface CompatibilityResult {
  compatible: boolean;
  failures: CompatibilityFailure[];
}

const DIRECTION = {
  backward: 'readers of the new version cannot read data written at the old version',
  forward: 'readers of the old version cannot read data written at the new version',
};

/**
 * Diffs for a compatibility check: renames use the hints and answers given, and names that would be an
 * ambiguous rename are read as drop + add, which is what a reader that goes by name sees anyway.
 */
function diffForCheck(prev: Snapshot, next: Snapshot, options: DiffOptions): ChangeSet {
  const drops = new Set(options.drops ?? []);
  for (;;) {
    try {
      return diff(prev, next, { ...options, drops: [...drops] });
    } catch (error) {
      const ambiguities = isEvolveError(error, 'AMBIGUOUS_RENAME')
        ? (error.details?.ambiguities as Ambiguity[] | undefined)
        : undefined;
      const before = drops.size;
      for (const a of ambiguities ?? []) for (const name of a.vanished) drops.add(name);
      if (drops.size === before) throw error;
    }
  }
}

/**
 * Checks the latest of `snapshots` (oldest first) against the one before it, or against every earlier
 * one for the `_TRANSITIVE` modes, in the Confluent sense: BACKWARD means new readers can read old data,
 * FORWARD means old readers can read new data, FULL both. Renames count as breaking: readers go by name.
 *
 * @example
 * checkCompatibility([v1, v2, v3], 'BACKWARD_TRANSITIVE');
 * // { compatible: false, failures: [{ direction: 'backward', reason: 'User.age is added: ...', ... }] }
 */
export function checkCompatibility(
  snapshots: readonly Snapshot[],
  mode: CompatibilityMode,
  options: DiffOptions = {},
): CompatibilityResult {
  const latest = snapshots[snapshots.length - 1];
  if (mode === 'NONE' || !latest || snapshots.length < 2) return { compatible: true, failures: [] };
  const transitive = mode.endsWith('_TRANSITIVE');
  const directions: Array<'backward' | 'forward'> = mode.startsWith('BACKWARD')
    ? ['backward']
    : mode.startsWith('FORWARD')
      ? ['forward']
      : ['backward', 'forward'];
  const earlier = transitive ? snapshots.slice(0, -1) : [snapshots[snapshots.length - 2] as Snapshot];
  const failures: CompatibilityFailure[] = [];
  for (const prev of earlier) {
    if (prev.hash === latest.hash) continue;
    const changeSet = diffForCheck(prev, latest, options);
    for (const change of changeSet.changes) {
      for (const direction of directions) {
        if (!change.compatibility[direction]) {
          failures.push({
            from: prev.hash,
            to: latest.hash,
            change,
            direction,
            reason: `${describeChange(change)}: ${DIRECTION[direction]}`,
          });
        }
      }
    }
  }
  return { compatible: failures.length === 0, failures };
}
