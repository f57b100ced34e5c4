import { EvolveError, type Row } from '@evolve/core';
import { isInheritedName, own } from './doc-ops/own.ts';
import type { UpgradeErrors } from './upgrade-errors.ts';

/**
 * Reads the version a stored document is at: its version field, or the version that created the model
 * when it has none. A version that is not an integer, is before the model existed (VALIDATION_FAILED) or is
 * newer than this code knows (FUTURE_VERSION) is an error naming the document.
 *
 * @example
 * const errors = upgradeErrors('Event', ['_id']);
 * const versionOf = versionReader({ model: 'Event', versionField: '_v', createdVersion: 1, latestVersion: 3, errors });
 * versionOf({ _id: 7, _v: 2 }); // 2
 */
export function versionReader(options: {
  model: string;
  versionField: string;
  createdVersion: number;
  latestVersion: number;
  errors: UpgradeErrors;
}): (doc: Row) => number {
  const { model, versionField, createdVersion, latestVersion, errors } = options;
  // a version field named like a member every object inherits is read own-only (absent: not `Object`)
  const inherited = isInheritedName(versionField);
  return (doc) => {
    const raw = inherited ? own(doc, versionField) : doc[versionField];
    if (raw === undefined || raw === null) return createdVersion;
    if (typeof raw !== 'number' || !Number.isInteger(raw)) {
      const issue = { path: [versionField], message: `not an integer version: ${String(raw)}` };
      return errors.fail(doc, Number.NaN, issue, latestVersion);
    }
    if (raw > latestVersion) {
      throw new EvolveError(
        'FUTURE_VERSION',
        `${errors.who(doc, raw)} is newer than the latest version this code knows (${latestVersion}): deploy the newer code`,
        {
          path: `${model}.${versionField}`,
          details: { id: errors.idOf(doc), version: raw, latest: latestVersion },
        },
      );
    }
    if (raw < createdVersion) {
      const issue = { path: [versionField], message: `before the model was created (${createdVersion})` };
      errors.fail(doc, raw, issue, latestVersion);
    }
    return raw;
  };
}
