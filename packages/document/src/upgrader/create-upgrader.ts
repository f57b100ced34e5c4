import { EvolveError, type Migration, type Model, type ModelSnapshot, type Row } from '@evolve/core';
import type { z } from 'zod';
import type { Upgrader } from '../upgrader-types.ts';
import { type ChainFunction, compileChain } from './compile-chain.ts';
import { compileValidator, type DocumentCheck, type ValidationIssue } from './compile-validator.ts';
import { cleanWith } from './doc-ops/clean.ts';
import { ELEMENT } from './doc-ops/edit-path.ts';
import { type HistoryStep, type ModelHistory, modelHistory } from './model-history.ts';
import { probeInPlace, probeTouchedCopy, sampleDocument } from './probe-in-place.ts';
import { touchedPaths } from './touched-paths.ts';
import { touchedWorkingCopy, workingCopy } from './working-copy.ts';
import { zodFromSnapshot } from './zod-from-snapshot.ts';

export interface CreateUpgraderOptions {
  /** The model (its zod schema validates the latest version) or its latest name. */
  model: Model | string;
  /** The ordered migration history (the migrations folder's `index.ts` default export). */
  migrations: readonly Migration[];
  /** The field holding each document's schema version. Default `_v`. */
  versionField?: string;
  /**
   * How results are validated: `zod` (the Model's schema at the latest version, `zodFromSnapshot` for
   * other versions and for a model given by name) or `compiled` (a precompiled check built from the
   * snapshot: several times faster, but blind to zod refinements the snapshot cannot describe).
   * Default: `zod` when a Model is given, else `compiled`.
   */
  validate?: 'zod' | 'compiled';
}

/** The upgrader, with the replayed history for tooling. */
export interface DocumentUpgrader<T = Row> extends Upgrader<T> {
  readonly history: ModelHistory;
  /** The model at a version (its fields, primary key...). */
  shapeAt(version: number): ModelSnapshot;
  /** Checks a document against the shape of a version; throws VALIDATION_FAILED. */
  validate(doc: Row, version?: number): void;
}

type Validator = (doc: unknown) => ValidationIssue | undefined;

function zodValidator(schema: z.ZodType): Validator {
  return (doc) => {
    const result = schema.safeParse(doc);
    if (result.success) return undefined;
    const first = result.error.issues[0];
    return { path: (first?.path ?? []).map(String), message: first?.message ?? 'invalid' };
  };
}

const isPrefix = (prefix: readonly string[], path: readonly string[]) =>
  prefix.length <= path.length && prefix.every((seg, i) => path[i] === seg);

/**
 * Chains a model's version steps into an upgrader: `upgrade(doc)` brings a document of any known version
 * to the latest (a document without a version field is at the version that created the model), validated
 * and stamped; `downgrade(doc, version)` walks back. Steps come from each migration's generated
 * `documents` section, or are interpreted from its changes when it has none; the chain is built once.
 * Errors are EvolveError naming the document id, its version and the failing path.
 *
 * @example
 * const events = createUpgrader({ model: Event, migrations });
 * events.upgrade({ _id: 1, title: 'Launch' }); // { _id: 1, name: 'Launch', status: 'open', _v: 3 }
 */
export function createUpgrader<S extends z.ZodRawShape>(
  options: CreateUpgraderOptions & { model: Model<S> },
): DocumentUpgrader<z.output<z.ZodObject<S>> & Row>;
export function createUpgrader(options: CreateUpgraderOptions): DocumentUpgrader;
export function createUpgrader(options: CreateUpgraderOptions): DocumentUpgrader {
  const modelName = typeof options.model === 'string' ? options.model : options.model.name;
  const history = modelHistory(options.migrations, modelName);
  const versionField = options.versionField ?? '_v';
  const { createdVersion, latestVersion, steps, versions } = history;
  const mode = options.validate ?? (typeof options.model === 'string' ? 'compiled' : 'zod');

  const shapeAt = (version: number): ModelSnapshot => {
    let found: ModelSnapshot | undefined;
    for (const v of versions) if (v <= version) found = history.shapes.get(v);
    if (!found) {
      throw new EvolveError('NOT_FOUND', `${modelName} does not exist at version ${version}`, {
        path: modelName,
      });
    }
    return found;
  };
  const validators = new Map<number, Validator>();
  const validatorAt = (version: number): Validator => {
    let v = validators.get(version);
    if (!v) {
      const shape = shapeAt(version);
      if (mode === 'compiled') v = compileValidator(shape.fields) as DocumentCheck;
      else if (version === latestVersion && typeof options.model !== 'string')
        v = zodValidator(options.model.schema);
      else v = zodValidator(zodFromSnapshot(shape));
      validators.set(version, v);
    }
    return v;
  };
  const validateLatest = validatorAt(latestVersion);
  const primaryKey = shapeAt(latestVersion).primaryKey;

  const idOf = (doc: Row): unknown =>
    primaryKey.length === 1 ? doc[primaryKey[0] as string] : primaryKey.map((k) => doc[k]);
  const who = (doc: Row, version: number | string) => {
    const id = idOf(doc);
    // an empty id is quoted, so the message does not read as if the id were missing
    const shown =
      id === undefined ? '(no id)' : typeof id === 'object' || id === '' ? JSON.stringify(id) : String(id);
    return `${modelName} document ${shown} (version ${version})`;
  };

  const fail = (doc: Row, version: number, issue: ValidationIssue, at: number): never => {
    const field = issue.path.join('.');
    throw new EvolveError(
      'VALIDATION_FAILED',
      `${who(doc, version)} does not fit version ${at}: ${field || '(document)'}: ${issue.message}`,
      {
        path: field ? `${modelName}.${field}` : modelName,
        details: { id: idOf(doc), version, field, target: at },
      },
    );
  };

  const versionOf = (doc: Row): number => {
    const raw = doc[versionField];
    if (raw === undefined || raw === null) return createdVersion;
    if (typeof raw !== 'number' || !Number.isInteger(raw)) {
      return fail(
        doc,
        Number.NaN,
        { path: [versionField], message: `not an integer version: ${String(raw)}` },
        latestVersion,
      );
    }
    if (raw > latestVersion) {
      throw new EvolveError(
        'FUTURE_VERSION',
        `${who(doc, raw)} is newer than the latest version this code knows (${latestVersion}): deploy the newer code`,
        {
          path: `${modelName}.${versionField}`,
          details: { id: idOf(doc), version: raw, latest: latestVersion },
        },
      );
    }
    if (raw < createdVersion) {
      fail(
        doc,
        raw,
        { path: [versionField], message: `before the model was created (${createdVersion})` },
        latestVersion,
      );
    }
    return raw;
  };

  const stepFailed = (
    step: HistoryStep,
    error: unknown,
    doc: Row,
    version: number,
    direction: 'up' | 'down' = 'up',
  ): never => {
    const known = error instanceof EvolveError;
    const code = known && error.code !== 'VALIDATION_FAILED' ? error.code : 'TRANSFORM_FAILED';
    const message = error instanceof Error ? error.message : String(error);
    throw new EvolveError(code, `${who(doc, version)}, ${direction} ${step.migrationId}: ${message}`, {
      path: known && error.path ? error.path : `${modelName}`,
      cause: error,
      details: { id: idOf(doc), version, migration: step.migrationId },
    });
  };

  const { prepare, finish } = workingCopy(history.shapes.values(), versionField);

  // Steps edit the chain's working copy in place, except a step from a migration file that behaves
  // differently when it does (hand-edited code reading `doc` after changing it): it gets its own copy.
  const inPlace = new Map<HistoryStep, { up: boolean; down: boolean }>();
  for (const step of steps) {
    if (!step.generated) {
      inPlace.set(step, { up: true, down: true });
      continue;
    }
    const samples = (version: number) =>
      [true, false].map((present) => sampleDocument(shapeAt(version).fields, present));
    inPlace.set(step, {
      up: probeInPlace(step.up, step.transforms, samples(step.from), prepare),
      down: probeInPlace(step.down, {}, samples(step.to), prepare),
    });
  }
  // Steps that edit only what their plan says: a chain of them copies only the parts it edits.
  const partialCopy = (chain: readonly HistoryStep[]) => {
    const touched = touchedPaths(chain.map((step) => ({ ops: step.plan.up, transforms: step.transforms })));
    return touched && touchedWorkingCopy(history.shapes.values(), versionField, touched);
  };
  const planned = new Set<HistoryStep>();
  for (const step of steps) {
    const own = partialCopy([step]);
    const samples = [true, false].map((present) => sampleDocument(shapeAt(step.from).fields, present));
    const owned = inPlace.get(step)?.up === true;
    if (own && probeTouchedCopy(step.up, step.transforms, samples, own.prepare, owned)) planned.add(step);
  }

  const runStep = (step: HistoryStep, out: Row, doc: Row, version: number, direction: 'up' | 'down'): Row => {
    try {
      const owned = inPlace.get(step)?.[direction] === true;
      return direction === 'up' ? step.up(out, step.transforms, owned) : step.down(out, {}, owned);
    } catch (error) {
      return stepFailed(step, error, doc, version, direction);
    }
  };

  /** The steps from `version` on, fused into one function (`undefined`: run them in a loop). */
  const chainFrom = (version: number): ChainFunction | undefined => {
    const chain = steps.filter((step) => step.to > version);
    if (chain.length === 0) return undefined;
    const ends = chain.every((step) => planned.has(step)) ? partialCopy(chain) : undefined;
    return compileChain({
      steps: chain,
      inPlace: chain.map((step) => inPlace.get(step)?.up === true),
      target: latestVersion,
      prepare: ends?.prepare ?? prepare,
      finish: ends?.finish ?? finish,
      validate: validateLatest,
      stepFailed,
      invalid: (doc, version, issue) => fail(doc, version, issue, latestVersion),
    });
  };
  const chains = new Map<number, ChainFunction | undefined>();

  const aliasCache = new Map<string, string[]>();
  const strip = (p: readonly string[]) => p.filter((s) => s !== ELEMENT);

  const upgradeOnce = (doc: Row): Row => {
    if (doc[versionField] === latestVersion) {
      const issue = validateLatest(doc);
      if (issue) fail(doc, latestVersion, issue, latestVersion);
      return doc;
    }
    const version = versionOf(doc);
    let chain = chains.get(version);
    if (chain === undefined && !chains.has(version)) {
      chain = chainFrom(version);
      chains.set(version, chain);
    }
    if (chain !== undefined) return chain(doc, version);
    let out = steps.length > 0 && steps[steps.length - 1]!.to > version ? prepare(doc) : doc;
    for (const step of steps) {
      if (step.to > version) out = runStep(step, out, doc, version, 'up');
    }
    const result = out === doc ? cleanWith(doc, versionField, latestVersion) : finish(out, latestVersion);
    const issue = validateLatest(result);
    if (issue) fail(doc, version, issue, latestVersion);
    return result;
  };
  const downgradeOnce = (doc: Row, target: number): Row => {
    if (!Number.isInteger(target) || target < createdVersion || target > latestVersion) {
      throw new EvolveError(
        'NOT_FOUND',
        `${modelName} has no version ${target} (versions ${createdVersion} to ${latestVersion})`,
        { path: modelName },
      );
    }
    const version = versionOf(doc);
    if (version < target) {
      throw new EvolveError(
        'VALIDATION_FAILED',
        `${who(doc, version)} is older than ${target}: upgrade it instead`,
        {
          path: `${modelName}.${versionField}`,
          details: { id: idOf(doc), version },
        },
      );
    }
    let out = steps.some((s) => s.to <= version && s.from >= target) ? prepare(doc) : doc;
    for (let i = steps.length - 1; i >= 0; i--) {
      const step = steps[i] as HistoryStep;
      if (step.to <= version && step.from >= target) out = runStep(step, out, doc, version, 'down');
    }
    const result = out === doc ? cleanWith(doc, versionField, target) : finish(out, target);
    const issue = validatorAt(target)(result);
    if (issue) fail(doc, version, issue, target);
    return result;
  };
  /**
   * Runs an upgrade or downgrade of `doc`; a document nested deeper than the call stack allows fails with
   * VALIDATION_FAILED naming it, never a raw RangeError (stores refuse to write one nested deeper than
   * MAX_DOCUMENT_DEPTH, so it came from elsewhere).
   */
  const withinStack = (doc: Row, what: string, run: () => Row): Row => {
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
  };
  const upgrader: DocumentUpgrader = {
    model: modelName,
    versionField,
    latestVersion,
    createdVersion,
    history,
    shapeAt,
    versionOf,
    needsUpgrade: (doc) => doc[versionField] !== latestVersion,
    upgrade: (doc) => withinStack(doc, 'upgrade', () => upgradeOnce(doc)),
    downgrade: (doc, target) => withinStack(doc, 'downgrade', () => downgradeOnce(doc, target)),
    validate(doc, version = latestVersion) {
      const issue = validatorAt(version)(doc);
      if (issue) fail(doc, versionOf(doc), issue, version);
    },
    aliases(path) {
      const cached = aliasCache.get(path);
      if (cached) return cached;
      const found: string[] = [];
      let current = path.split('.');
      for (let i = steps.length - 1; i >= 0; i--) {
        const ops = (steps[i] as HistoryStep).plan.up;
        for (let j = ops.length - 1; j >= 0; j--) {
          const op = ops[j];
          if (op?.op !== 'move') continue;
          const to = strip(op.to);
          if (!isPrefix(to, current)) continue;
          current = [...strip(op.from), ...current.slice(to.length)];
          const text = current.join('.');
          if (text !== path && !found.includes(text)) found.push(text);
        }
      }
      aliasCache.set(path, found);
      return found;
    },
  };
  return upgrader;
}
