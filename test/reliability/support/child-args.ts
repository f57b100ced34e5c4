import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** Children get their options as one JSON argument, so the parent and child agree on one typed shape. */
export function encodeArgs(value: unknown): string {
  return JSON.stringify(value);
}

export function decodeArgs<T>(argv: readonly string[] = process.argv): T {
  const raw = argv[2];
  if (!raw) throw new Error('child expects its options as one JSON argument');
  return JSON.parse(raw) as T;
}

/**
 * The start barrier: waits until the go-file exists (the parent writes it when every child printed READY),
 * polling every 2 ms so all children start within a few milliseconds of each other.
 */
export async function waitForGo(goFile: string | undefined, timeoutMs = 60_000): Promise<void> {
  if (!goFile) return;
  const until = Date.now() + timeoutMs;
  while (!existsSync(goFile)) {
    if (Date.now() > until) throw new Error(`no go-file ${goFile} after ${timeoutMs} ms`);
    await sleep(2);
  }
}

/** Prints one machine-readable line the parent picks up with `lastReport`. */
export function report(value: unknown, prefix = 'RESULT '): void {
  process.stdout.write(`${prefix}${JSON.stringify(value)}\n`);
}
