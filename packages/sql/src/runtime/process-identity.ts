import { createHash } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Who holds the migration lock, as the lock row records it. */
export interface ProcessIdentity {
  host: string;
  pid: number;
  /**
   * Where `pid` means this process: a hash of the host name, the kernel's boot id and the pid namespace
   * (Linux). Two containers on one kernel share the boot id but not the pid namespace; two machines with the
   * same host name differ in boot id. Elsewhere it is the host name alone.
   */
  pidScope: string;
}

let self: ProcessIdentity | undefined;

/** This process, computed once. */
export function processIdentity(): ProcessIdentity {
  if (!self) {
    const parts = [hostname(), readOr(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim())];
    parts.push(readOr(() => readlinkSync('/proc/self/ns/pid')));
    self = {
      host: hostname().slice(0, 255),
      pid: process.pid,
      pidScope: createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 32),
    };
  }
  return self;
}

/**
 * Whether a lock holder is provably gone: it ran where pids mean the same as here, and its pid no longer
 * exists. Anything else (another host or container, a pid reused since) counts as alive, and its lease must
 * run out instead.
 */
export function processGone(holder: { pid: number | null; pidScope: string | null }): boolean {
  if (holder.pid === null || holder.pidScope !== processIdentity().pidScope) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'ESRCH';
  }
}

function readOr(read: () => string): string {
  try {
    return read();
  } catch {
    return '';
  }
}
