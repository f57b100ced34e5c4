/**
 * Where a killed child was when SIGKILL landed, from the last `EVENT {...}` line it printed:
 * `startup` (before migrate() reported anything), `lock-wait`, `ddl` (a migration started or a step ran),
 * `backfill` (between backfill batches), `between` (a migration finished, the next not started).
 */
export type KillPhase = 'startup' | 'lock-wait' | 'ddl' | 'backfill' | 'between' | 'sweep';

export function killPhase(stdout: string): KillPhase {
  const last = stdout
    .split('\n')
    .filter((l) => l.startsWith('EVENT '))
    .pop();
  if (!last) return 'startup';
  const event = JSON.parse(last.slice('EVENT '.length)) as { type: string; done?: boolean };
  switch (event.type) {
    case 'lock-wait':
      return 'lock-wait';
    case 'backfill':
      return event.done ? 'ddl' : 'backfill';
    case 'migration-done':
      return 'between';
    case 'sweep':
    case 'progress':
      return 'sweep';
    default:
      return 'ddl';
  }
}

/** `backfill 12, ddl 7, startup 3` */
export function phaseSummary(phases: readonly KillPhase[]): string {
  const counts = new Map<KillPhase, number>();
  for (const p of phases) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([p, n]) => `${p} ${n}`)
    .join(', ');
}
