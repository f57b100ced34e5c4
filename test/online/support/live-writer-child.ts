// The old application, in a process of its own: opens its own connections (for SQLite, its own handle on
// the same file, under a busy timeout), runs the write loop from a "start" message to a "stop" message, and
// sends back every statement it made. Started by startLiveWriter.
import { sql } from 'kysely';
import { kyselyFor } from '../../harness/src/index.ts';
import type { LiveWriterPlan } from './live-writer-plan.ts';
import { type LiveOp, type LiveWriterPace, runLiveWriter } from './run-live-writer.ts';

export interface StartMessage {
  type: 'start';
  dialect: 'postgres' | 'mysql' | 'sqlite';
  url: string;
  plan: LiveWriterPlan;
  pace: LiveWriterPace;
  busyTimeoutMs: number;
}
export type ChildMessage =
  | { type: 'running' }
  | { type: 'report'; ops: LiveOp[] }
  | { type: 'failed'; message: string };

const send = (message: ChildMessage) =>
  new Promise<void>((done) => (process.send ? process.send(message, undefined, {}, () => done()) : done()));
const stop = new AbortController();

async function main(start: StartMessage): Promise<void> {
  const db = await kyselyFor(start.dialect, start.url, { poolSize: start.pace.workers });
  try {
    if (start.dialect === 'sqlite') {
      await sql.raw(`pragma busy_timeout = ${Math.floor(start.busyTimeoutMs)}`).execute(db);
      await sql`pragma foreign_keys = on`.execute(db);
    }
    let announced = false;
    const ops = await runLiveWriter(db, start.dialect, start.plan, start.pace, stop.signal, (op) => {
      if (announced || op.error) return;
      announced = true;
      void send({ type: 'running' });
    });
    await send({ type: 'report', ops });
  } finally {
    await db.destroy().catch(() => {});
  }
}

process.on('message', (message: StartMessage | { type: 'stop' }) => {
  if (message.type === 'stop') stop.abort();
  else
    main(message)
      .catch((error) => send({ type: 'failed', message: (error as Error)?.stack ?? String(error) }))
      .finally(() => process.disconnect?.());
});
process.on('disconnect', () => stop.abort());
