import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './start-ferretdb.ts';

/** How PgBouncer hands server connections to clients. */
export type PoolMode = 'transaction' | 'session';

export interface PgBouncer {
  /** The server URL through the pooler, for `database` (a test database's name). */
  url(database: string): string;
  port: number;
  poolMode: PoolMode;
  /** Server connections per database and user (`default_pool_size`). */
  poolSize: number;
  /** Stops the pooler (by its pid file) and removes its folder. */
  stop(): Promise<void>;
}

/** The `pgbouncer` binary (Debian's package puts it in /usr/sbin), or undefined when it is not installed. */
export function pgbouncerBinary(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const dirs = [...(env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  return dirs.map((dir) => join(dir, 'pgbouncer')).find((path) => path.startsWith('/') && existsSync(path));
}

/**
 * Starts PgBouncer in front of the PostgreSQL server of `serverUrl`, on a free loopback port, for every
 * database of that server (`* = host=... port=...`), with trust authentication for the URL's user, and
 * resolves once it answers. It refuses to run as root, so under root it runs as the `postgres` OS user
 * (its folder, holding the ini, auth file, log and pid file, belongs to that user).
 *
 * @example
 * const bouncer = await startPgbouncer({ serverUrl, poolMode: 'transaction', poolSize: 4 });
 * const db = await kyselyFor('postgres', bouncer.url('evolve_t_abc'));
 * await bouncer.stop();
 */
export async function startPgbouncer(options: {
  serverUrl: string;
  poolMode: PoolMode;
  poolSize?: number;
  maxClientConnections?: number;
}): Promise<PgBouncer> {
  const binary = pgbouncerBinary();
  if (!binary) throw new Error('pgbouncer is not installed');
  const server = new URL(options.serverUrl);
  const user = decodeURIComponent(server.username || 'postgres');
  const poolSize = options.poolSize ?? 4;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'evolve-pgbouncer-'));
  const ini = join(dir, 'pgbouncer.ini');
  const pidFile = join(dir, 'pgbouncer.pid');
  const logFile = join(dir, 'pgbouncer.log');
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" "${decodeURIComponent(server.password)}"\n`);
  writeFileSync(
    ini,
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      `pool_mode = ${options.poolMode}`,
      `default_pool_size = ${poolSize}`,
      'reserve_pool_size = 0',
      `max_client_conn = ${options.maxClientConnections ?? 1000}`,
      `logfile = ${logFile}`,
      `pidfile = ${pidFile}`,
      'ignore_startup_parameters = extra_float_digits',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    for (const file of [dir, ini, join(dir, 'userlist.txt')]) chownSync(file, uid, gid);
    chmodSync(dir, 0o700);
  }
  const started = asRoot
    ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', `'${binary}' -d '${ini}'`], { encoding: 'utf8' })
    : spawnSync(binary, ['-d', ini], { encoding: 'utf8' });
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '');
  if (started.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`pgbouncer did not start (exit ${started.status}): ${started.stderr}${log()}`);
  }
  const bouncer: PgBouncer = {
    url(database) {
      const u = new URL(options.serverUrl);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      u.pathname = `/${database}`;
      return u.toString();
    },
    port,
    poolMode: options.poolMode,
    poolSize,
    async stop() {
      const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
      if (pid) {
        signal(pid, 'SIGTERM');
        for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
        if (alive(pid)) signal(pid, 'SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  const problem = await answers(bouncer.url(server.pathname.slice(1) || 'postgres'));
  if (problem) {
    const tail = log();
    await bouncer.stop();
    throw new Error(`pgbouncer does not answer on port ${port}: ${problem}\n${tail}`);
  }
  return bouncer;
}

/** Undefined once a `select 1` through the pooler works (tried for up to 5 s), else the last error. */
async function answers(url: string): Promise<string | undefined> {
  const pg = (await import('pg')).default;
  let problem = 'not tried';
  for (let i = 0; i < 50; i++) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      return undefined;
    } catch (error) {
      problem = (error as Error).message;
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return problem;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}
