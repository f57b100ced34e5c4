import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const runtime = fileURLToPath(new URL('../src/runtime/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'evolve-guard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A process with no 'uncaughtException' listener of its own, in which a run is in flight (the guard is up)
 * when an EventEmitter nobody listens to emits `error`, as node-postgres's checked-out client does.
 */
function emitUnhandled(error: string): { code: number | null; stdout: string; stderr: string } {
  const script = join(dir, `emit-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(
    script,
    `import { EventEmitter } from 'node:events';
import { guardConnectionLoss } from ${JSON.stringify(join(runtime, 'connection-loss-guard.ts'))};
import { postgresCapabilities } from ${JSON.stringify(join(runtime, '../dialects/postgres/postgres-capabilities.ts'))};
const guard = guardConnectionLoss(postgresCapabilities);
const client = new EventEmitter();
setTimeout(() => client.emit('error', ${error}), 10);
setTimeout(async () => {
  await guard.end({ lost: false });
  console.log('SURVIVED, listeners left: ' + process.listenerCount('uncaughtException'));
}, 200);
`,
  );
  const r = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('connection loss guard', () => {
  it("claims a lost connection emitted as an unhandled 'error' event while a run is in flight, and removes itself afterwards", () => {
    const r = emitUnhandled(
      "Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })",
    );
    expect(r.stdout).toContain('SURVIVED, listeners left: 0');
    expect(r.code).toBe(0);
  });

  it('leaves every other uncaught exception fatal, as it is without the guard', () => {
    const r = emitUnhandled("new Error('a bug elsewhere in the application')");
    expect(r.stdout).not.toContain('SURVIVED');
    expect(r.stderr).toContain('a bug elsewhere in the application');
    expect(r.code).not.toBe(0);
  });
});
