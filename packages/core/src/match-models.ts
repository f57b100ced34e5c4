import { type Ambiguity, scopeAmbiguity } from './ambiguity.ts';
import { EvolveError } from './errors.ts';
import { isModelRenameCandidate } from './rename-candidate.ts';
import type { ModelSnapshot, Snapshot } from './snapshot-types.ts';

export interface ModelPair {
  old: ModelSnapshot;
  next: ModelSnapshot;
}

/** Which models of two snapshots correspond, by name or by a rename hint / answer. */
export interface ModelMatch {
  pairs: ModelPair[];
  created: ModelSnapshot[];
  dropped: ModelSnapshot[];
  /** Old name -> new name, renamed pairs only. */
  renamed: Map<string, string>;
  ambiguity?: Ambiguity;
}

const sorted = (names: Iterable<string>) => [...names].sort();

/**
 * Pairs the models of `prev` and `next`. A hint (`next.hints.models`, new -> old) counts only when the
 * old name exists in `prev` and not in `next`, and the new name does not exist in `prev` (otherwise it
 * is stale, left over from an earlier version). Explicit `renames` (old -> new) win over hints.
 */
export function matchModels(
  prev: Snapshot,
  next: Snapshot,
  renames: Readonly<Record<string, string>>,
  drops: ReadonlySet<string>,
): ModelMatch {
  const inPrev = (n: string) => Object.hasOwn(prev.models, n);
  const inNext = (n: string) => Object.hasOwn(next.models, n);
  const oldToNew = new Map<string, string>();
  const newTaken = new Set<string>();
  const claim = (from: string, to: string, explicit: boolean) => {
    if (oldToNew.has(from) || newTaken.has(to)) {
      if (!explicit) return;
      throw new EvolveError('AMBIGUOUS_RENAME', `renames name model ${from} or ${to} twice`, { path: from });
    }
    oldToNew.set(from, to);
    newTaken.add(to);
  };
  for (const from of sorted(Object.keys(renames))) {
    const to = renames[from] as string;
    if (from.includes('.') || from === to) continue;
    if (inPrev(from) && inNext(to) && !inPrev(to)) claim(from, to, true);
  }
  for (const [to, from] of Object.entries(next.hints?.models ?? {}).sort()) {
    if (inPrev(from) && !inNext(from) && inNext(to) && !inPrev(to)) claim(from, to, false);
  }
  const pairs: ModelPair[] = [];
  const renamed = new Map<string, string>();
  for (const [from, to] of oldToNew) {
    pairs.push({ old: prev.models[from] as ModelSnapshot, next: next.models[to] as ModelSnapshot });
    renamed.set(from, to);
  }
  for (const name of Object.keys(next.models)) {
    if (inPrev(name) && !oldToNew.has(name) && !newTaken.has(name)) {
      pairs.push({ old: prev.models[name] as ModelSnapshot, next: next.models[name] as ModelSnapshot });
    }
  }
  pairs.sort((a, b) => (a.next.name < b.next.name ? -1 : a.next.name > b.next.name ? 1 : 0));
  const vanished = sorted(Object.keys(prev.models).filter((n) => !inNext(n) && !oldToNew.has(n)));
  const appeared = sorted(Object.keys(next.models).filter((n) => !newTaken.has(n) && !inPrev(n)));
  // an old name still present in next but renamed away: its namesake in next is a new model
  for (const [from] of oldToNew) if (inNext(from) && !newTaken.has(from)) appeared.push(from);
  appeared.sort();
  const unanswered = vanished.filter((n) => !drops.has(n));
  const match: ModelMatch = {
    pairs,
    created: appeared.map((n) => next.models[n] as ModelSnapshot),
    dropped: vanished.map((n) => prev.models[n] as ModelSnapshot),
    renamed,
  };
  const ambiguity = scopeAmbiguity(
    '',
    unanswered.map((n) => ({ name: n, of: prev.models[n] as ModelSnapshot })),
    appeared.map((n) => ({ name: n, of: next.models[n] as ModelSnapshot })),
    isModelRenameCandidate,
  );
  if (ambiguity) match.ambiguity = ambiguity;
  return match;
}
