import { EvolveError, type Migration, type Model, type ModelSnapshot, type Row } from '@evolve/core';
import type { z } from 'zod';
import type { Upgrader } from '../upgrader-types.ts';
import { type ChainFunction, compileChain } from './compile-chain.ts';
import { cleanWith } from './doc-ops/clean.ts';
import { fieldAliases } from './field-aliases.ts';
import { type HistoryStep, type ModelHistory, modelHistory } from './model-history.ts';
import { ownTransforms } from './own-transforms.ts';
import { stepCopies } from './step-copies.ts';
import { touchedCheck } from './touched-check.ts';
import { upgradeErrors } from './upgrade-errors.ts';
import { versionReader } from './version-reader.ts';
import { versionValidators } from './version-validators.ts';
import { workingCopy } from './working-copy.ts';

/** A downgrade's transforms: none, and none inherited (see `ownTransforms`). */
const NO_TRANSFORMS = Object.freeze(ownTransforms(undefined));

export interface CreateUpgraderOptions {
  /** The model (its zod schema validates the latest version) or its latest name. */
  model: Model | string;
  /** The ordered migration history (the migrations folder's `index.ts` default export). */
  migrations: readonly Migration[];
  /** The field holding each document's schema version. Default `_v`. */
  versionField?: string;
  /**
   * How results are validated: `zod` (the Model's schema at the latest version, `zodFromSnapshot` for
   * other versions and for a model given by name), `compiled` (a precompiled check of the whole result
   * built from the snapshot: several times faster, but blind to zod refinements the snapshot cannot
   * describe), or `touched`: the compiled check of only what an upgrade touched (the members its ops name,
   * those whose shape changed between the document's version and the latest, and the stamped version),
   * trusting the rest as stored. `touched` is for stores whose every write went through evolve's validated
   * writes (a member stored invalid and never touched stays invalid); it applies to chains whose steps edit
   * just what their plans say, others check the whole result. `validate(doc)` always checks a whole
   * document. Default: `zod` when a Model is given, else `compiled`.
   */
  validate?: 'zod' | 'compiled' | 'touched';
}

/** The upgrader, with the replayed history for tooling. */
export interface DocumentUpgrader<T = Row> extends Upgrader<T> {
  readonly history: ModelHistory;
  /** The model at a version (its fields, primary key...). */
  shapeAt(version: number): ModelSnapshot;
  /** Checks a document against the shape of a version; throws VALIDATION_FAILED. */
  validate(doc: Row, version?: number): void;
}

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
  const { createdVersion, latestVersion, steps } = history;
  const mode = options.validate ?? (typeof options.model === 'string' ? 'compiled' : 'zod');
  const { shapeAt, validatorAt } = versionValidators({
    history,
    model: options.model,
    mode: mode === 'zod' ? 'zod' : 'compiled',
  });
  const validateLatest = validatorAt(latestVersion);
  const errors = upgradeErrors(modelName, shapeAt(latestVersion).primaryKey);
  const { fail, stepFailed } = errors;
  const versionOf = versionReader({ model: modelName, versionField, createdVersion, latestVersion, errors });
  const facts = { versionOf, modelName, versionField, createdVersion, latestVersion, errors };
  const { prepare, finish } = workingCopy(history.shapes.values(), versionField);
  const { inPlace, planned, partialCopy } = stepCopies(history, versionField, shapeAt, prepare);

  const runStep = (step: HistoryStep, out: Row, doc: Row, version: number, direction: 'up' | 'down'): Row => {
    try {
      const owned = inPlace.get(step)?.[direction] === true;
      return direction === 'up' ? step.up(out, step.transforms, owned) : step.down(out, NO_TRANSFORMS, owned);
    } catch (error) {
      return stepFailed(step, error, doc, version, direction);
    }
  };

  const touched = (chain: readonly HistoryStep[], version: number) =>
    touchedCheck(chain, {
      from: shapeAt(version),
      to: shapeAt(latestVersion),
      versionField,
      target: latestVersion,
    });

  /** The steps from `version` on, fused into one function (`undefined`: run them in a loop). */
  const chainFrom = (version: number): ChainFunction | undefined => {
    const chain = steps.filter((step) => step.to > version);
    if (chain.length === 0) return undefined;
    const asPlanned = chain.every((step) => planned.has(step));
    const ends = asPlanned ? partialCopy(chain) : undefined;
    // asked for, a chain that edits only what its plans say checks only what it touched
    const validate = asPlanned && mode === 'touched' ? touched(chain, version) : validateLatest;
    return compileChain({
      steps: chain,
      inPlace: chain.map((step) => inPlace.get(step)?.up === true),
      target: latestVersion,
      prepare: ends?.prepare ?? prepare,
      finish: ends?.finish ?? finish,
      validate,
      stepFailed,
      invalid: (doc, version, issue) => fail(doc, version, issue, latestVersion),
    });
  };
  // by version (an array: read once per document, faster than a Map); a missing index: not built yet
  const chains: Array<ChainFunction | undefined> = [];

  const upgradeOnce = (doc: Row): Row => {
    if (doc[versionField] === latestVersion) {
      const issue = validateLatest(doc);
      if (issue) fail(doc, latestVersion, issue, latestVersion);
      return doc;
    }
    const version = versionOf(doc);
    let chain = chains[version];
    if (chain === undefined && !(version in chains)) {
      chain = chainFrom(version);
      chains[version] = chain;
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
    const version = checkDowngrade({ ...facts, doc, target });
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
  return {
    model: modelName,
    versionField,
    latestVersion,
    createdVersion,
    history,
    shapeAt,
    versionOf,
    needsUpgrade: (doc) => doc[versionField] !== latestVersion,
    upgrade: (doc) => {
      // the common case without a closure per document; an error goes through withinStack as thrown
      try {
        return upgradeOnce(doc);
      } catch (error) {
        return errors.withinStack(doc, 'upgrade', versionOf, () => {
          throw error;
        });
      }
    },
    downgrade: (doc, target) =>
      errors.withinStack(doc, 'downgrade', versionOf, () => downgradeOnce(doc, target)),
    validate(doc, version = latestVersion) {
      const issue = validatorAt(version)(doc);
      if (issue) fail(doc, versionOf(doc), issue, version);
    },
    aliases: fieldAliases(steps),
  };
}

/**
 * Refuses a downgrade to a version the model never had (checked first), or of a document older than the
 * target; returns the document's version.
 */
function checkDowngrade(input: {
  doc: Row;
  versionOf: (doc: Row) => number;
  target: number;
  modelName: string;
  versionField: string;
  createdVersion: number;
  latestVersion: number;
  errors: ReturnType<typeof upgradeErrors>;
}): number {
  const { doc, target, modelName, createdVersion, latestVersion, errors } = input;
  if (!Number.isInteger(target) || target < createdVersion || target > latestVersion) {
    throw new EvolveError(
      'NOT_FOUND',
      `${modelName} has no version ${target} (versions ${createdVersion} to ${latestVersion})`,
      { path: modelName },
    );
  }
  const version = input.versionOf(doc);
  if (version < target) {
    throw new EvolveError(
      'VALIDATION_FAILED',
      `${errors.who(doc, version)} is older than ${target}: upgrade it instead`,
      {
        path: `${modelName}.${input.versionField}`,
        details: { id: errors.idOf(doc), version },
      },
    );
  }
  return version;
}
