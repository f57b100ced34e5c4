import {
  DEFAULT_PROPERTY_RUNS,
  DEFAULT_PROPERTY_SEED,
  type Migration,
  type Row,
  replayMigrations,
} from '@evolve/core';
import fc from 'fast-check';
import { createUpgrader, type DocumentUpgrader } from '../upgrader/create-upgrader.ts';
import { chainProperties, type VersionCounterexample } from './chain-properties.ts';
import type { DocumentPropertyFinding } from './document-property-finding.ts';
import { generatedMatchesInterpreter, losslessDown } from './step-properties.ts';

export interface VerifyDocumentMigrationsOptions {
  /** The ordered migration history (the migrations folder's default export). */
  migrations: readonly Migration[];
  /** Random documents per property; default DEFAULT_PROPERTY_RUNS (100). */
  runs?: number;
  /** fast-check seed; default DEFAULT_PROPERTY_SEED (42). */
  seed?: number;
  /** The field holding each document's schema version. Default `_v`. */
  versionField?: string;
}

/**
 * Property-tests the upgraders of every document model of a migration history on random documents derived
 * from each version's snapshot: documents of every earlier version upgrade to the latest and validate
 * against it (`valid-upgrade`); upgrading is idempotent and deterministic (`idempotent-upgrade`);
 * `down(up(x))` equals `x` for each step the planner declares lossless (`lossless-down`); the `up`/`down`
 * functions of a migration file agree with the interpreter of its changes (`generated-matches-interpreter`).
 * Each broken property is one finding (per migration and property) with the smallest document fast-check
 * shrinks the failure to. Deterministic for a seed; pure apart from running the migrations' code. TODO
 * transforms are left to `findTodoTransforms`.
 *
 * @example
 * const findings = verifyDocumentMigrations({ migrations, runs: 50 });
 * // [{ rule: 'transform-property', property: 'valid-upgrade', migration: '0007_event_context', model: 'Event',
 * //    version: 6, counterexample: { _id: '', ..., _v: 6 }, path: 'payload.channel', ... }]
 */
export function verifyDocumentMigrations(
  options: VerifyDocumentMigrationsOptions,
): DocumentPropertyFinding[] {
  const run = { runs: options.runs ?? DEFAULT_PROPERTY_RUNS, seed: options.seed ?? DEFAULT_PROPERTY_SEED };
  if (options.migrations.length === 0 || run.runs <= 0) return [];
  const latest = replayMigrations(options.migrations).steps.at(-1)?.after;
  const findings: DocumentPropertyFinding[] = [];
  for (const model of Object.values(latest?.models ?? {})) {
    if (model.target !== 'document') continue;
    const upgrader = createUpgrader({
      model: model.name,
      migrations: options.migrations,
      validate: 'zod',
      ...(options.versionField ? { versionField: options.versionField } : {}),
    });
    const seen = new Set<string>();
    const report = (found: VersionCounterexample[]) => {
      for (const f of found) {
        // the same fault seen from several versions is one finding: the newest version's, closest to it
        const key = `${f.problem.property} ${f.problem.migration}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push(toFinding(upgrader, f, run.seed));
      }
    };
    report(chainProperties(upgrader, run));
    report(losslessDown(upgrader, run));
    report(generatedMatchesInterpreter(upgrader, run));
  }
  return findings;
}

function toFinding(
  upgrader: DocumentUpgrader,
  f: VersionCounterexample,
  seed: number,
): DocumentPropertyFinding {
  const { property, migration, problem, path } = f.problem;
  const at = path && path.length > 0 ? path.join('.') : undefined;
  return {
    rule: 'transform-property',
    property,
    migration,
    model: upgrader.model,
    version: f.version,
    counterexample: f.counterexample as Row,
    problem,
    ...(at ? { path: at } : {}),
    seed,
    message: `${property} of ${upgrader.model} fails for ${fc.stringify(f.counterexample)} (version ${f.version}): ${problem}`,
  };
}
