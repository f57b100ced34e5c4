import {
  DEFAULT_PROPERTY_RUNS,
  DEFAULT_PROPERTY_SEED,
  type FieldSnapshot,
  findCounterexample,
  isTodo,
  type Migration,
  type ModelSnapshot,
  replayMigrations,
  rowArbitrary,
  type Snapshot,
} from '@evolve/core';
import fc from 'fast-check';
import { checkValue } from '../runtime/check-value.ts';

export { DEFAULT_PROPERTY_RUNS, DEFAULT_PROPERTY_SEED };

export interface VerifyMigrationsOptions {
  /** The ordered migration history (the migrations folder's default export). */
  migrations: readonly Migration[];
  /** Random rows per transform; default DEFAULT_PROPERTY_RUNS. */
  runs?: number;
  /** fast-check seed; default DEFAULT_PROPERTY_SEED. */
  seed?: number;
}

/** One property a migration's code broke, with the smallest input fast-check shrank it to. */
export interface PropertyFinding {
  rule: 'transform-property';
  migration: string;
  model: string;
  /** The field the transform fills (dotted for nested fields). */
  field: string;
  /** The shrunk counterexample: the old row the transform was given. */
  counterexample: Record<string, unknown>;
  /** The thrown error's message, or what is wrong with the result. */
  problem: string;
  seed: number;
  message: string;
}

/**
 * Property-tests every TypeScript transform of a migration history: each runs on random rows of the old
 * model's shape (derived from the snapshot before the migration), and each result must pass the same value
 * check `migrate` applies to backfilled values (type, nullability, maximum length, finite numbers, JSON).
 * Deterministic for a given seed. Pure apart from running the user's transforms.
 *
 * @example
 * const findings = verifyMigrations({ migrations, runs: 50 });
 * // [{ rule: 'transform-property', migration: '0003_split_name', model: 'User', field: 'firstName', counterexample: { fullName: '' }, ... }]
 */
export function verifyMigrations(options: VerifyMigrationsOptions): PropertyFinding[] {
  const runs = options.runs ?? DEFAULT_PROPERTY_RUNS;
  const seed = options.seed ?? DEFAULT_PROPERTY_SEED;
  const findings: PropertyFinding[] = [];
  for (const step of replayMigrations(options.migrations).steps) {
    for (const [model, fields] of Object.entries(step.migration.transforms ?? {})) {
      const old = oldModel(step.migration, step.before, model);
      const after = step.after.models[model];
      if (!old || after?.target !== 'sql') continue;
      for (const [field, transform] of Object.entries(fields)) {
        if (isTodo(transform)) continue; // reported as TODO_TRANSFORM, not as a property
        const target = targetField(after, field);
        const finding = checkTransform({ transform, target, old, runs, seed });
        if (!finding) continue;
        const { counterexample, problem } = finding;
        findings.push({
          rule: 'transform-property',
          migration: step.migration.id,
          model,
          field,
          counterexample,
          problem,
          seed,
          message: `transform ${model}.${field} fails for ${show(counterexample)}: ${problem}`,
        });
      }
    }
  }
  return findings;
}

interface TransformCheck {
  transform: (old: Record<string, unknown>) => unknown;
  target: FieldSnapshot | undefined;
  old: ModelSnapshot;
  runs: number;
  seed: number;
}

function checkTransform(
  check: TransformCheck,
): { counterexample: Record<string, unknown>; problem: string } | undefined {
  const problemOf = (row: Record<string, unknown>): string | undefined => {
    try {
      return checkValue(check.transform(structuredClone(row)), check.target);
    } catch (error) {
      return `threw ${error instanceof Error ? error.message : String(error)}`;
    }
  };
  return findCounterexample({
    arbitrary: rowArbitrary(check.old),
    problemOf,
    runs: check.runs,
    seed: check.seed,
  });
}

/** The model a transform reads, under the name it had before the migration. */
function oldModel(migration: Migration, before: Snapshot, model: string): ModelSnapshot | undefined {
  const renamed = migration.changes.find((c) => c.kind === 'renameModel' && c.model === model);
  const name = renamed?.kind === 'renameModel' ? renamed.from : model;
  return before.models[name];
}

function targetField(model: ModelSnapshot, path: string): FieldSnapshot | undefined {
  const [head = path, ...rest] = path.split('.');
  let field: FieldSnapshot | undefined = model.fields[head];
  for (const part of rest) field = field?.type.kind === 'object' ? field.type.fields[part] : undefined;
  return field;
}

function show(row: Record<string, unknown>): string {
  return fc.stringify(row);
}
