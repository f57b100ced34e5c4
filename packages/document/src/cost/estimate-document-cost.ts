import { EvolveError, type Migration, type Model, type Row } from '@evolve/core';
import { createUpgrader, type DocumentUpgrader } from '../upgrader/create-upgrader.ts';
import {
  DEFAULT_SWEEP_RATES,
  type DocumentCostRates,
  type DocumentStoreKind,
} from './dialects/sweep-rates.ts';
import { standInTodos } from './stand-in-todos.ts';
import { syntheticDocuments } from './synthetic-documents.ts';
import { timeUpgrades } from './time-upgrades.ts';

/** The measured upgrade cost of documents starting at one version. */
export interface VersionCost {
  version: number;
  /** Mean microseconds `upgrade` takes per document of this version (undefined when none upgraded). */
  micros: number | undefined;
  /** Documents timed. */
  timed: number;
  /** Documents that failed to upgrade, by error code; they are not timed. */
  failed: Record<string, number>;
}

/** What a document model's pending change costs: lazily per read, eagerly by a sweep. */
export interface DocumentCost {
  model: string;
  latestVersion: number;
  /**
   * Microseconds `upgrade` adds to a read of a document not at the latest version (lazy upgrades take no
   * downtime). Synthetic documents: the slowest starting version (a document at the oldest version pays
   * the most); a given sample: the mean over its outdated documents. 0 when no step changes the model;
   * undefined when no document upgraded (see `versions[].failed`).
   */
  upgradeMicros: number | undefined;
  /** Microseconds `upgrade` takes on a document already at the latest version (its validation only). */
  currentMicros: number | undefined;
  /** Per starting version, ascending. */
  versions: VersionCost[];
  /** Where the timed documents came from. */
  sampledFrom: 'synthetic' | 'given';
  /** TODO transforms timed with a stand-in (their own cost is not counted), as `Model.field (migration)`. */
  todos: string[];
  /** The sweep rate assumed (absent when neither `store` nor `rates.sweep` was given). */
  rates?: DocumentCostRates;
  /** Documents a sweep would upgrade, when given. */
  documents?: number;
  /** The sweep's estimated seconds: `documents` × (1 / `rates.sweep` + `upgradeMicros`). */
  sweepSeconds?: number;
  /** Why there is no `sweepSeconds` although `documents` was given (no rate for the store). */
  sweepUnknown?: string;
}

export interface EstimateDocumentCostOptions {
  /** The upgrader to time; or give `model` and `migrations` (then TODO transforms get a timed stand-in). */
  upgrader?: DocumentUpgrader;
  model?: Model | string;
  migrations?: readonly Migration[];
  versionField?: string;
  /** Stored documents to time (e.g. a page read from the store) instead of synthetic ones. */
  sample?: readonly Row[];
  /** Documents a sweep would upgrade (`countStoredDocuments(...).outdated`); without it, no sweep estimate. */
  documents?: number;
  /** The store, for its default sweep rate (`DEFAULT_SWEEP_RATES`); needed for a sweep estimate unless `rates.sweep` is given. */
  store?: DocumentStoreKind;
  rates?: Partial<DocumentCostRates>;
  /** Synthetic documents per starting version (default 200). */
  samples?: number;
  /** Time spent timing each version (default 40 ms; at least three passes run). */
  budgetMs?: number;
  /** Seed of the synthetic documents and the TODO stand-ins (default 1). */
  seed?: number;
}

const invalid = (path: string, message: string) => new EvolveError('INVALID_CONFIG', message, { path });

function upgraderOf(options: EstimateDocumentCostOptions, seed: number) {
  const { model, migrations } = options;
  if (options.upgrader) {
    if (model !== undefined || migrations !== undefined) {
      throw invalid(
        'upgrader',
        'give estimateDocumentCost an upgrader or a model and its migrations, not both',
      );
    }
    return { upgrader: options.upgrader, todos: [] };
  }
  if (model === undefined || migrations === undefined) {
    throw invalid('upgrader', 'estimateDocumentCost needs an upgrader, or a model and its migrations');
  }
  const base = { model, ...(options.versionField ? { versionField: options.versionField } : {}) };
  const plain = createUpgrader({ ...base, migrations });
  const stood = standInTodos(migrations, { model: plain.model, shapeAt: plain.shapeAt, seed });
  if (stood.todos.length === 0) return { upgrader: plain, todos: [] };
  return { upgrader: createUpgrader({ ...base, migrations: stood.migrations }), todos: stood.todos };
}

/** Refuses a count that is not a non-negative integer, or a rate or duration that is not positive. */
function checkNumber(value: number | undefined, path: string, kind: 'count' | 'positive'): void {
  if (value === undefined) return;
  const ok =
    kind === 'count' ? Number.isSafeInteger(value) && value >= 0 : Number.isFinite(value) && value > 0;
  if (!ok) {
    const wanted = kind === 'count' ? 'a non-negative integer' : 'a positive number';
    throw invalid(path, `${path} must be ${wanted}, got ${value}`);
  }
}

/**
 * What a document model's change costs where it runs, measured rather than guessed: the microseconds
 * `upgrade` adds to each read of an outdated document (lazy: no downtime), timed on the real upgrader over
 * synthetic documents of every version a step starts from (or over given stored documents), and, given the
 * number of documents to sweep, the sweep's duration at the store's per-document rate plus the measured
 * upgrade cost. The timing is the only work it does; it reads no store (see `countStoredDocuments`).
 *
 * @example
 * const { outdated } = await countStoredDocuments(store, { upgrader });
 * const cost = estimateDocumentCost({ model: User, migrations, documents: outdated, rates: { sweep: 30_000 } });
 * `lazy: no downtime, +${cost.upgradeMicros?.toFixed(1)} µs per read, sweep of ${cost.documents} documents ~${cost.sweepSeconds} s`;
 */
export function estimateDocumentCost(options: EstimateDocumentCostOptions): DocumentCost {
  const seed = options.seed ?? 1;
  const samples = options.samples ?? 200;
  const budgetMs = options.budgetMs ?? 40;
  checkNumber(options.documents, 'documents', 'count');
  checkNumber(options.samples, 'samples', 'count');
  checkNumber(options.budgetMs, 'budgetMs', 'positive');
  checkNumber(options.rates?.sweep, 'rates.sweep', 'positive');
  const { upgrader, todos } = upgraderOf(options, seed);
  const latest = upgrader.latestVersion;

  const byVersion = new Map<number, Row[]>();
  if (options.sample) {
    for (const doc of options.sample) {
      const version = upgrader.versionOf(doc);
      const docs = byVersion.get(version);
      if (docs) docs.push(doc);
      else byVersion.set(version, [doc]);
    }
  } else {
    // every version a step starts from (the ones between hold the same shape), and the latest
    for (const version of new Set([...upgrader.history.steps.map((s) => s.from), latest])) {
      byVersion.set(version, syntheticDocuments(upgrader, { version, count: samples, seed }));
    }
  }
  const versions: VersionCost[] = [...byVersion.keys()]
    .filter((v) => v !== latest)
    .sort((a, b) => a - b)
    .map((version) => ({ version, ...timeUpgrades(upgrader, byVersion.get(version) ?? [], { budgetMs }) }));
  const timed = versions.filter((v) => v.micros !== undefined);
  const upgradeMicros =
    versions.length === 0
      ? 0
      : timed.length === 0
        ? undefined
        : options.sample
          ? timed.reduce((sum, v) => sum + (v.micros as number) * v.timed, 0) /
            timed.reduce((sum, v) => sum + v.timed, 0)
          : Math.max(...timed.map((v) => v.micros as number));
  const current = currentDocuments(upgrader, byVersion, latest);
  const currentMicros = timeUpgrades(upgrader, current, { budgetMs }).micros;

  const rate =
    options.rates?.sweep ?? (options.store ? DEFAULT_SWEEP_RATES[options.store]?.sweep : undefined);
  const cost: DocumentCost = {
    model: upgrader.model,
    latestVersion: latest,
    upgradeMicros,
    currentMicros,
    versions,
    sampledFrom: options.sample ? 'given' : 'synthetic',
    todos,
  };
  if (rate !== undefined) cost.rates = { sweep: rate };
  if (options.documents === undefined) return cost;
  cost.documents = options.documents;
  if (rate === undefined) {
    cost.sweepUnknown = options.store
      ? `no measured sweep rate for ${options.store}: pass rates.sweep (documents per second)`
      : 'no store or rates.sweep given';
    return cost;
  }
  cost.sweepSeconds = options.documents * (1 / rate + (upgradeMicros ?? 0) / 1e6);
  return cost;
}

/** Documents at the latest version: those sampled there, else the outdated ones upgraded. */
function currentDocuments(upgrader: DocumentUpgrader, byVersion: Map<number, Row[]>, latest: number): Row[] {
  const given = byVersion.get(latest);
  if (given && given.length > 0) return given;
  const out: Row[] = [];
  for (const [version, docs] of byVersion) {
    if (version === latest) continue;
    for (const doc of docs) {
      try {
        out.push(upgrader.upgrade(doc));
      } catch {
        // a document that does not upgrade is reported under its version
      }
    }
  }
  return out;
}
