import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The FerretDB binary that `scripts/services.sh` builds, named by `EVOLVE_FERRETDB_BIN` (its `--env` sets it). */
export function ferretdbBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const bin = env.EVOLVE_FERRETDB_BIN;
  return bin && existsSync(bin) ? bin : undefined;
}

/** A free loopback TCP port (the OS picks it; the listener closes before the server binds it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * Starts FerretDB (MongoDB wire protocol) with its SQLite handler in a temp folder, on a free loopback
 * port, telemetry off; resolves once it accepts connections. `stop` kills it and removes the folder.
 */
export async function startFerretdb(
  binary: string,
  canConnect: (url: string) => Promise<string | undefined>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'evolve-ferretdb-'));
  const [port, debugPort] = [await freePort(), await freePort()];
  const child: ChildProcess = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--state-dir=${dir}`,
      `--listen-addr=127.0.0.1:${port}`,
      `--debug-addr=127.0.0.1:${debugPort}`,
      '--telemetry=disable',
      '--log-level=error',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-2000);
  });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `mongodb://127.0.0.1:${port}/`;
  let problem: string | undefined = 'not started';
  for (let i = 0; i < 50 && child.exitCode === null; i++) {
    problem = await canConnect(url);
    if (!problem) return { url, stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`FerretDB did not start (${problem}); exit ${child.exitCode}; ${stderr.trim()}`);
}
