import type { Upgrader } from '../upgrader-types.ts';
import type { Filter } from './filter.ts';

/**
 * Documents not at the latest version: an older or missing version field (or a newer one). What a sweep
 * reads.
 *
 * @example
 * await store.count(outdatedFilter(upgrader)); // documents a sweep would upgrade
 */
export function outdatedFilter(
  upgrader: Pick<Upgrader<any>, 'versionField' | 'latestVersion' | 'createdVersion'>,
): Filter {
  const vf = upgrader.versionField;
  const stale: Filter = { [vf]: { $exists: true, $ne: upgrader.latestVersion } };
  return upgrader.createdVersion === upgrader.latestVersion
    ? stale
    : { $or: [stale, { [vf]: { $exists: false } }] };
}
