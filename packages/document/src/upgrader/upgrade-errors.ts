import { EvolveError, type Row } from '@evolve/core';
import type { ValidationIssue } from './compile-validator.ts';
import { own } from './doc-ops/own.ts';
import type { HistoryStep } from './model-history.ts';

/** The errors of one model's upgrader, each naming the document id, its version and the failing path. */
export interface UpgradeErrors {
  /** The document's id: its primary key's value (a list for a compound key). */
  idOf(doc: Row): unknown;
  /** `Event document 7 (version 2)`, for messages. */
  who(doc: Row, version: number | string): string;
  /** Throws VALIDATION_FAILED: `doc` (at `version`) does not fit version `at`. */
  fail(doc: Row, version: number, issue: ValidationIssue, at: number): never;
  /** Throws the error of a step that threw: its own code (TRANSFORM_FAILED for a foreign error), with context. */
  stepFailed(step: HistoryStep, error: unknown, doc: Row, version: number, direction?: 'up' | 'down'): never;
  /**
   * Runs an upgrade or downgrade of `doc`; a document nested deeper than the call stack allows fails with
   * VALIDATION_FAILED naming it, never a raw RangeError (stores refuse to write one nested deeper than
   * MAX_DOCUMENT_DEPTH, so it came from elsewhere).
   */
  withinStack(doc: Row, what: string, versionOf: (doc: Row) => number, run: () => Row): Row;
}

/**
 * The errors an upgrader of `modelName` throws.
 *
 * @example
 * const errors = upgradeErrors('Event', ['_id']);
 * errors.fail({ _id: 7 }, 2, { path: ['name'], message: 'expected a string' }, 3); // throws VALIDATION_FAILED
 */
export function upgradeErrors(modelName: string, primaryKey: readonly string[]): UpgradeErrors {
  const idOf = (doc: Row): unknown =>
    primaryKey.length === 1 ? own(doc, primaryKey[0] as string) : primaryKey.map((k) => own(doc, k));
  const who = (doc: Row, version: number | string) => {
    const id = idOf(doc);
    // an empty id is quoted, so the message does not read as if the id were missing
    const shown =
      id === undefined ? '(no id)' : typeof id === 'object' || id === '' ? JSON.stringify(id) : String(id);
    return `${modelName} document ${shown} (version ${version})`;
  };
  return {
    idOf,
    who,
    fail(doc, version, issue, at) {
      const field = issue.path.join('.');
      throw new EvolveError(
        'VALIDATION_FAILED',
        `${who(doc, version)} does not fit version ${at}: ${field || '(document)'}: ${issue.message}`,
        {
          path: field ? `${modelName}.${field}` : modelName,
          details: { id: idOf(doc), version, field, target: at },
        },
      );
    },
    stepFailed(step, error, doc, version, direction = 'up') {
      const known = error instanceof EvolveError;
      const code = known && error.code !== 'VALIDATION_FAILED' ? error.code : 'TRANSFORM_FAILED';
      const message = error instanceof Error ? error.message : String(error);
      throw new EvolveError(code, `${who(doc, version)}, ${direction} ${step.migrationId}: ${message}`, {
        path: known && error.path ? error.path : `${modelName}`,
        cause: error,
        details: { id: idOf(doc), version, migration: step.migrationId },
      });
    },
    withinStack(doc, what, versionOf, run) {
      try {
        return run();
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
        throw new EvolveError(
          'VALIDATION_FAILED',
          `${who(doc, versionOf(doc))} is nested too deeply to ${what}`,
          {
            path: modelName,
            details: { id: idOf(doc) },
          },
        );
      }
    },
  };
}
