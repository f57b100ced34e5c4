import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, StartMessage } from './live-writer-child.ts';
import type { LiveWriterPlan } from './live-writer-plan.ts';
import type { LiveOp } from './run-live-writer.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '../../..');

export interface LiveWriterOptions {
  dialect: 'postgres' | 'mysql' | 'sqlite';
  /** Database URL, or the SQLite file. */
  url: string;
  plan: LiveWriterPlan;
  /** Statements per second over all workers. Default 300. */
  ratePerSecond?: number;
  /** Concurrent statements / connections. Default 3 (1 on SQLite, whose driver is synchronous). */
  workers?: number;
  /** SQLite busy timeout of the writer's handle. Default 10 000 ms. */
  busyTimeoutMs?: number;
  seed?: number;
}

/** A running old application. */
export interface LiveWriter {
  /** Asks the writer to stop after its statements in flight (synchronous: safe inside `onProgress`). */
  requestStop(): void;
  /** Stops it and returns every statement it made, in completion order. */
  stop(): Promise<LiveOp[]>;
}

/**
 * Starts the old application in a child process on its own connections and resolves once its first
 * statement succeeded. It writes until stopped.
 *
 * @example
 * const writer = await startLiveWriter({ dialect: 'postgres', url, plan });
 * const result = await migrate(db, { migrations, onProgress: (e) => e.type === 'migration-done' && writer.requestStop() });
 * const ops = await writer.stop();
 */
export async function startLiveWriter(options: LiveWriterOptions): Promise<LiveWriter> {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(HERE, 'live-writer-child.ts')], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  let report: LiveOp[] | undefined;
  let failure: string | undefined;
  let onRunning: (() => void) | undefined;
  const exited = new Promise<void>((done) => child.on('exit', () => done()));
  child.on('message', (message: ChildMessage) => {
    if (message.type === 'running') onRunning?.();
    else if (message.type === 'report') report = message.ops;
    else failure = message.message;
  });
  const start: StartMessage = {
    type: 'start',
    dialect: options.dialect,
    url: options.url,
    plan: options.plan,
    pace: {
      ratePerSecond: options.ratePerSecond ?? 300,
      workers: options.dialect === 'sqlite' ? 1 : (options.workers ?? 3),
      seed: options.seed ?? 1,
    },
    busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
  };
  child.send(start);
  const running = new Promise<void>((done) => {
    onRunning = done;
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      running,
      exited.then(() => {
        throw new Error(`live writer exited before its first write: ${failure ?? stderr.slice(-2000)}`);
      }),
      new Promise((_, fail) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          fail(new Error(`live writer made no successful write within 30 s: ${stderr.slice(-2000)}`));
        }, 30_000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
  let stopRequested = false;
  const requestStop = () => {
    if (stopRequested || !child.connected) return;
    stopRequested = true;
    child.send({ type: 'stop' });
  };
  return {
    requestStop,
    async stop() {
      requestStop();
      await exited;
      if (!report) throw new Error(`live writer sent no report: ${failure ?? stderr.slice(-2000)}`);
      return report;
    },
  };
}
