import { type MigrateOptions, type MigrateProgressEvent, type MigrateResult, migrate } from '@evolve/sql';
import type { Kysely } from 'kysely';
import { type LiveOp, wallClock } from './run-live-writer.ts';
import type { LiveWriter } from './start-live-writer.ts';

/** A progress event and when it came (`wallClock()`). */
export interface TimedEvent {
  event: MigrateProgressEvent;
  at: number;
}

/** One migration run with the old application writing, and what both did. */
export interface MigrationUnderWriter {
  result: MigrateResult;
  /** Every statement of the writer (none without one). */
  ops: LiveOp[];
  timeline: TimedEvent[];
  calledAt: number;
  /** The migration-start event (or when `migrate` returned, when it never started). */
  startedAt: number;
  /** The migration-done event (or when `migrate` returned, when it failed). */
  doneAt: number;
}

/**
 * Runs `migrate` to `options.to` while `writer` writes, times every progress event, asks the writer to
 * stop at the target's migration-done event, and collects its statements.
 *
 * @example
 * const run = await migrateUnderWriter(db, writer, { migrations, to: '0003_x', batchSize: 50 });
 */
export async function migrateUnderWriter(
  db: Kysely<any>,
  writer: LiveWriter | undefined,
  options: MigrateOptions & { to: string },
): Promise<MigrationUnderWriter> {
  const timeline: TimedEvent[] = [];
  const calledAt = wallClock();
  const result = await migrate(db, {
    ...options,
    onProgress: (event) => {
      timeline.push({ event, at: wallClock() });
      if (event.type === 'migration-done' && event.id === options.to) writer?.requestStop();
      options.onProgress?.(event);
    },
  });
  const returnedAt = wallClock();
  const ops = writer ? await writer.stop() : [];
  const at = (type: MigrateProgressEvent['type']) => timeline.find((t) => t.event.type === type)?.at;
  return {
    result,
    ops,
    timeline,
    calledAt,
    startedAt: at('migration-start') ?? returnedAt,
    doneAt: at('migration-done') ?? returnedAt,
  };
}

/** The step that was running at `at` (the last one announced before it), for messages. */
export function stepAt(timeline: readonly TimedEvent[], at: number): string {
  const step = timeline.filter((t) => t.event.type === 'step' && t.at <= at).pop()?.event;
  return step?.type === 'step' ? `step ${step.index + 1} "${step.description}"` : 'before the first step';
}
