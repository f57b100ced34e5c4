import { join } from 'node:path';
import {
  type ChangeSet,
  diff,
  EvolveError,
  type Schema,
  type Snapshot,
  serializeSnapshot,
  toSnapshot,
} from '@evolve/core';
import { isEvolveErrorLike } from './import-module.ts';
import type { ResolvedConfig } from './load-config.ts';
import { loadSchema } from './load-schema.ts';
import {
  listMigrationFiles,
  readLatestSnapshot,
  readSnapshotText,
  SNAPSHOT_FILE,
} from './migrations-folder.ts';

/** A rename the diff could not decide: something disappeared while something else appeared. */
export interface RenameQuestion {
  /** `field` (inside `model`) or `model`. */
  kind: 'field' | 'model';
  model?: string;
  /** What disappeared: `User.name` or `Client`. */
  removed: string;
  /** What appeared and could be its new name: `fullName`, or `Customer`. */
  candidates: string[];
}

/** The answer: a rename to one candidate, or "it really is a drop (and an add)". */
export type RenameAnswer = { rename: string } | { drop: true };

export interface ResolveRenames {
  /** Known renames, old -> new: `{ 'User.name': 'fullName', Client: 'Customer' }`. */
  renames?: Record<string, string>;
  /** Things that really were dropped (not renamed): `['User.name', 'Client']`. */
  drops?: readonly string[];
  /** Asked for each undecided rename (the CLI asks on a terminal). Undefined: fail with AMBIGUOUS_RENAME. */
  resolveRename?: (question: RenameQuestion) => Promise<RenameAnswer | undefined>;
}

export interface PendingChanges {
  previous: Snapshot;
  next: Snapshot;
  /** The project's current models, as the schema module exports them (`next` is their snapshot). */
  schema: Schema;
  changeSet: ChangeSet;
  /** The renames and drops the diff finally used (flags plus answers). */
  renames: Record<string, string>;
  drops: string[];
}

/**
 * Diffs the migrations folder's latest snapshot against the current models, asking `resolveRename` about
 * every ambiguous rename until the diff is decided. Writes nothing.
 *
 * @example
 * const { changeSet } = await pendingChanges(config, { renames: { 'User.name': 'fullName' } });
 * console.log(changeSet.changes.length, 'changes not yet in a migration');
 */
export async function pendingChanges(
  config: Pick<ResolvedConfig, 'schemaPath' | 'migrationsDir'>,
  options: ResolveRenames = {},
): Promise<PendingChanges> {
  const schema = await loadSchema(config);
  const next = toSnapshot(schema);
  // Fast path for the common "nothing changed": the stored snapshot is byte-equal to the models' one.
  if (readSnapshotText(config.migrationsDir) === serializeSnapshot(next)) {
    return {
      previous: next,
      next,
      schema,
      changeSet: { from: next.hash, to: next.hash, changes: [] },
      renames: {},
      drops: [],
    };
  }
  if (
    readSnapshotText(config.migrationsDir) === undefined &&
    listMigrationFiles(config.migrationsDir).length > 0
  ) {
    throw new EvolveError(
      'INVALID_SNAPSHOT',
      'snapshot.json is missing although the folder has migrations: restore it from version control (a generate without it would re-create every model)',
      { path: join(config.migrationsDir, SNAPSHOT_FILE) },
    );
  }
  const previous = readLatestSnapshot(config.migrationsDir);
  const renames = { ...(options.renames ?? {}) };
  const drops = [...(options.drops ?? [])];
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const changeSet: ChangeSet = diff(previous, next, { renames, drops });
      return { previous, next, schema, changeSet, renames, drops };
    } catch (error) {
      if (!isEvolveErrorLike(error) || error.code !== 'AMBIGUOUS_RENAME') throw error;
      const question = renameQuestion(error);
      const answer = question && options.resolveRename ? await options.resolveRename(question) : undefined;
      if (!question || !answer) throw error;
      if ('drop' in answer) drops.push(question.removed);
      else renames[question.removed] = answer.rename;
    }
  }
  throw new EvolveError('AMBIGUOUS_RENAME', 'rename questions did not converge', {});
}

/** Reads the first undecided rename out of an AMBIGUOUS_RENAME error's details. */
export function renameQuestion(error: { path?: string; details?: unknown }): RenameQuestion | undefined {
  const ambiguities = ((error.details ?? {}) as { ambiguities?: unknown }).ambiguities;
  if (!Array.isArray(ambiguities)) return undefined;
  const first = ambiguities[0] as ReportedAmbiguity | undefined;
  const removed = first?.vanished?.[0];
  if (!first || !removed || !Array.isArray(first.appeared)) return undefined;
  const kind = first.scope ? 'field' : 'model';
  return {
    kind,
    ...(kind === 'field' ? { model: removed.slice(0, removed.indexOf('.')) } : {}),
    removed,
    // As rename answers: the sibling name (`fullName`), or the full path when it moves to another level.
    candidates: partnersOf(first, removed).map((to) => renameTarget(removed, to)),
  };
}

/** An ambiguity as AMBIGUOUS_RENAME's details carry it (`pairs`: the plausible renames, old -> new). */
interface ReportedAmbiguity {
  scope?: string;
  vanished?: string[];
  appeared?: string[];
  pairs?: [string, string][];
}

/** The new names a vanished one could have been renamed to: its plausible pairs (every new name in older reports). */
function partnersOf(a: ReportedAmbiguity, removed: string): string[] {
  if (!Array.isArray(a.pairs)) return a.appeared ?? [];
  return a.pairs.filter(([from]) => from === removed).map(([, to]) => to);
}

/** The `renames` value that reads `from` as renamed to `to`: the last segment for siblings, else the path. */
function renameTarget(from: string, to: string): string {
  if (!from.includes('.')) return to;
  const parent = (p: string) => p.slice(p.indexOf('.') + 1, p.lastIndexOf('.') + 1);
  const toPath = to.slice(to.indexOf('.') + 1);
  return parent(from) === parent(to) ? to.slice(to.lastIndexOf('.') + 1) : toPath;
}

/**
 * Every undecided rename in an AMBIGUOUS_RENAME error, one line each: `User.name -> fullName?`.
 *
 * @example
 * try {
 *   await generate({ config });
 * } catch (error) {
 *   if (isEvolveErrorLike(error) && error.code === 'AMBIGUOUS_RENAME') {
 *     for (const r of renameCandidates(error)) console.log(`${r.removed} -> ${r.candidates.join(' | ')}?`);
 *   }
 * }
 */
export function renameCandidates(error: { details?: unknown }): { removed: string; candidates: string[] }[] {
  const ambiguities = ((error.details ?? {}) as { ambiguities?: unknown }).ambiguities;
  if (!Array.isArray(ambiguities)) return [];
  return ambiguities.flatMap((a: ReportedAmbiguity) =>
    (a.vanished ?? []).map((v) => ({
      removed: v,
      candidates: partnersOf(a, v).map((to) => renameTarget(v, to)),
    })),
  );
}
