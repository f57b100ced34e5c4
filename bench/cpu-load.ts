import { type ChildProcess, spawn } from 'node:child_process';

/**
 * Loads `cores` CPU cores with busy child processes for at most `maxMs` (each child stops by itself then,
 * so that a crashed benchmark leaves nothing spinning); `stop()` ends them sooner.
 *
 * @example
 * const load = startCpuLoad({ cores: 2, maxMs: 60_000 });
 * try { await measure(); } finally { await load.stop(); }
 */
export function startCpuLoad(options: { cores: number; maxMs: number }): { stop(): Promise<void> } {
  const spin = `const end = Date.now() + ${Math.trunc(options.maxMs)}; let x = 0; while (Date.now() < end) x += Math.sqrt(x + 1);`;
  const children: ChildProcess[] = Array.from({ length: options.cores }, () =>
    spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }),
  );
  return {
    async stop() {
      await Promise.all(
        children.map(
          (child) =>
            new Promise<void>((resolve) => {
              if (child.exitCode !== null || child.signalCode !== null) return resolve();
              child.once('exit', () => resolve());
              child.kill('SIGKILL');
            }),
        ),
      );
    },
  };
}
