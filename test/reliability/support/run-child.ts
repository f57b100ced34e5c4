import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (children run from here so `--import tsx` and workspace packages resolve). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** When to kill the child with SIGKILL. */
export type KillAt =
  /** After this many milliseconds from spawn (or from `marker`, when given). */
  | { afterMs: number; marker?: string }
  /** As soon as stdout or stderr contains this text (then after `delayMs`, default 0). */
  | { marker: string; delayMs?: number };

export interface ChildOptions {
  /** Arguments after the script. */
  args?: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The child is killed (SIGKILL) after this long and `timedOut` is set. Default 60 s. */
  timeoutMs?: number;
  /** Kill the child on purpose, at a chosen moment. */
  kill?: KillAt;
  /** Extra node flags before `--import tsx`. */
  nodeArgs?: readonly string[];
}

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Killed on purpose (the `kill` option fired). */
  killed: boolean;
  timedOut: boolean;
  /** Wall time from spawn to exit. */
  durationMs: number;
  pid: number | undefined;
}

/** A running child: its process and a promise of its result. */
export interface RunningChild {
  process: ChildProcess;
  result: Promise<ChildResult>;
  /** Kills it now with SIGKILL (no-op once it exited). */
  kill(): void;
  /** Resolves when stdout has shown `text`; rejects when the child exits first. */
  waitFor(text: string): Promise<void>;
  /** What it printed to stdout so far. */
  stdout(): string;
}

/**
 * Spawns `node --import tsx <script> <args>` (plain `node` for a bundled `.mjs`) and collects stdout, stderr and the exit code; kills it with
 * SIGKILL on a timeout, after a chosen delay, or when it prints a marker.
 *
 * @example
 * const r = await runChild('test/reliability/fixtures/migrate-child.ts', { args: [url], kill: { afterMs: 300 } });
 * r.killed; // true when it was still running after 300 ms
 */
export function startChild(script: string, options: ChildOptions = {}): RunningChild {
  const started = Date.now();
  const child = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      // A bundled child (see bundledChild) is plain JavaScript; a TypeScript one runs through tsx.
      ...(/\.[cm]?js$/.test(script) ? [] : ['--import', 'tsx']),
      resolve(REPO_ROOT, script),
      ...(options.args ?? []),
    ],
    {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  let killed = false;
  let timedOut = false;
  let exited = false;
  const timers: NodeJS.Timeout[] = [];
  const killNow = () => {
    if (!exited && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const onPurpose = () => {
    if (exited) return;
    killed = true;
    killNow();
  };
  const kill = options.kill;
  let markerSeen = false;
  const checkMarker = () => {
    if (!kill?.marker || markerSeen) return;
    if (!stdout.includes(kill.marker) && !stderr.includes(kill.marker)) return;
    markerSeen = true;
    const delay = 'afterMs' in kill ? kill.afterMs : (kill.delayMs ?? 0);
    if (delay <= 0) onPurpose();
    else timers.push(setTimeout(onPurpose, delay));
  };
  if (kill && 'afterMs' in kill && !kill.marker) timers.push(setTimeout(onPurpose, kill.afterMs));
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    checkMarker();
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    checkMarker();
  });
  timers.push(
    setTimeout(() => {
      if (exited) return;
      timedOut = true;
      killNow();
    }, options.timeoutMs ?? 60_000),
  );
  const waiters: { text: string; done: () => void; fail: (e: Error) => void }[] = [];
  const wakeWaiters = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (stdout.includes(w.text)) {
        waiters.splice(i, 1);
        w.done();
      } else if (exited) {
        waiters.splice(i, 1);
        w.fail(new Error(`child exited before printing "${w.text}": ${stderr.slice(-2000)}`));
      }
    }
  };
  child.stdout?.on('data', wakeWaiters);
  const result = new Promise<ChildResult>((done, fail) => {
    child.on('error', fail);
    child.on('close', (code, signal) => {
      exited = true;
      for (const t of timers) clearTimeout(t);
      wakeWaiters();
      done({
        code,
        signal,
        stdout,
        stderr,
        killed: killed && signal === 'SIGKILL',
        timedOut,
        durationMs: Date.now() - started,
        pid: child.pid,
      });
    });
  });
  const waitFor = (text: string) =>
    new Promise<void>((done, fail) => {
      waiters.push({ text, done, fail });
      wakeWaiters();
    });
  return { process: child, result, kill: onPurpose, waitFor, stdout: () => stdout };
}

/** Runs a child to its end (see {@link startChild}). */
export function runChild(script: string, options: ChildOptions = {}): Promise<ChildResult> {
  return startChild(script, options).result;
}

/** Runs async jobs with at most `limit` in flight, keeping result order. */
export async function inBatches<T, R>(
  items: readonly T[],
  limit: number,
  job: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The last line of a child's stdout that parses as JSON after `prefix` (children report results this way). */
export function lastReport<T = Record<string, unknown>>(stdout: string, prefix = 'RESULT '): T | undefined {
  const line = stdout
    .split('\n')
    .filter((l) => l.startsWith(prefix))
    .pop();
  return line ? (JSON.parse(line.slice(prefix.length)) as T) : undefined;
}
