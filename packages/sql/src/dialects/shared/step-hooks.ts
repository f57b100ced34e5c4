import type { CompiledStep } from '../../compiled-step.ts';
import type { SqlStep, SqlStepKind } from '../../steps/sql-step.ts';
import type { CompileContext } from './dialect-capabilities.ts';

/** One kind of step. */
export type StepOf<K extends SqlStepKind> = Extract<SqlStep, { kind: K }>;

/** Compiles one kind of step against the schema as it is just before the step. */
export type StepHook<K extends SqlStepKind> = (step: StepOf<K>, context: CompileContext) => CompiledStep[];

/**
 * A step compiler as one small hook per step kind (as Kysely's query compiler has a `visitX` method per
 * node): `baseStepHooks` writes every kind the way most dialects do, and a dialect spreads it and overrides
 * the kinds it writes differently.
 */
export type StepHooks = {
  readonly [K in SqlStepKind]: (step: StepOf<K>, context: CompileContext) => CompiledStep[];
};

/**
 * Compiles a step with the hook for its kind.
 *
 * @example
 * compileWithHooks(baseStepHooks, dropTable('User'), context); // drop table "User"
 */
export function compileWithHooks(hooks: StepHooks, step: SqlStep, context: CompileContext): CompiledStep[] {
  return (hooks[step.kind] as StepHook<SqlStepKind>)(step, context);
}
