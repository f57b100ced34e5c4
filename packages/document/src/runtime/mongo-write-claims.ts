import type { Collection, Db } from 'mongodb';
import type { Expectation } from './document-store.ts';
import { mongoIdKey } from './mongo-id-key.ts';

/** The collection that holds write claims, beside the documents (one per database). */
export const CLAIMS_COLLECTION = 'evolve_claims';

/**
 * How long a claim protects a write, by default. A claim older than this was left by a writer that
 * crashed (or stalled that long) before writing, and is taken over; a writer writes only while its claims
 * are within half the lease (checked before each write command). Until then the claimed documents wait:
 * a sweep retries them, a reader's write-back skips them.
 */
export const CLAIM_LEASE_MS = 30_000;

/** Finished claims are deleted in batches: at this many, or this long after the first one finished. */
const FLUSH_COUNT = 64;
const FLUSH_AFTER_MS = 100;

interface ClaimDocument {
  _id: string;
  /** The claimed transition: collection, document id and the state it starts from. */
  from: string;
  /** Takeover generation: 0, then one more each time a stale claim is taken over. */
  n: number;
  /** When it was claimed (the claimer's clock, ms since the epoch). */
  at: number;
}

/** The claims one writer took for one batch of writes. */
export interface HeldClaims {
  /** Per write: whether this writer holds its claim (false: another writer is writing that document). */
  held: boolean[];
  /** Whether the claims are still within half their lease: write (each command) only while this holds. */
  fresh(): boolean;
  /** The writes are done (won or lost): the claims are deleted with the next batch of finished ones. */
  done(): void;
}

/** Write claims for the documents of one collection (see `createWriteClaims`). */
export interface WriteClaims {
  claim(writes: readonly { id: unknown; expect: Expectation }[]): Promise<HeldClaims>;
}

/** The expectation as a canonical string: fields in name order, an absent field as `null`. */
function stateKey(expect: Expectation): string {
  return JSON.stringify(
    Object.keys(expect)
      .sort()
      .map((field) => [field, expect[field] ?? null]),
  );
}

function duplicateIndexes(error: unknown): number[] | undefined {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  if (!Array.isArray(writeErrors) || writeErrors.length === 0) return undefined;
  const errors = writeErrors as { index: number; code: number }[];
  return errors.every((w) => w.code === 11000) ? errors.map((w) => w.index) : undefined;
}

/**
 * Write claims for a server whose filtered writes are not atomic: FerretDB 1.x reads the documents a
 * filter matches and then writes them by `_id`, so two compare-and-set writers can both match one state
 * and both write. Before writing, a writer inserts one claim per document into `evolve_claims`, keyed by
 * the document and the state its write expects (version and revision); the unique `_id` lets exactly one
 * writer leave each state, so the filtered write that follows has no evolve writer between its read and
 * its write. A state already claimed is a conflict at once (its holder is moving the document on). Every
 * write bumps the revision, so a state never comes back and finished claims can go: they are deleted in
 * batches. A claim older than the lease (its writer died before writing) is taken over by claiming the
 * next generation, never by deleting it (a delete is not atomic there either).
 *
 * Writers that bypass evolve take no claims: as on MongoDB, they must bump the revision field.
 *
 * @example
 * const claims = createWriteClaims(client.db('app'), 'users');
 * const writes = [{ id: 'a', expect: { _v: 1 } }];
 * const held = await claims.claim(writes);
 * try {
 *   if (held.fresh()) console.log('write', writes.filter((_, i) => held.held[i]));
 * } finally {
 *   held.done();
 * }
 */
export function createWriteClaims(
  db: Db,
  collection: string,
  options: { leaseMs?: number } = {},
): WriteClaims {
  const leaseMs = options.leaseMs ?? CLAIM_LEASE_MS;
  const claims: Collection<ClaimDocument> = db.collection(CLAIMS_COLLECTION);
  let finished: string[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (finished.length === 0) return;
    const ids = finished;
    finished = [];
    // leftovers are only clutter: a finished claim names a state no document returns to
    await claims.deleteMany({ _id: { $in: ids } }).catch(() => {});
  };
  const finish = (ids: readonly string[]) => {
    finished.push(...ids);
    if (finished.length >= FLUSH_COUNT) void flush();
    else if (!timer) {
      timer = setTimeout(() => void flush(), FLUSH_AFTER_MS);
      timer.unref?.();
    }
  };

  return {
    async claim(writes) {
      const froms = writes.map((w) => JSON.stringify([collection, mongoIdKey(w.id), stateKey(w.expect)]));
      const held = writes.map(() => false);
      const taken: string[] = [];
      const at = Date.now();
      const insert = async (docs: ClaimDocument[], indexes: number[]): Promise<number[]> => {
        let lost: number[] = [];
        try {
          if (docs.length > 0) await claims.insertMany(docs, { ordered: false });
        } catch (error) {
          const duplicates = duplicateIndexes(error);
          if (!duplicates) throw error;
          lost = duplicates;
        }
        const out = new Set(lost);
        docs.forEach((d, j) => {
          if (out.has(j)) return;
          held[indexes[j] as number] = true;
          taken.push(d._id);
        });
        return lost.map((j) => indexes[j] as number);
      };
      // one claim per state: a second write of the same document from the same state in this batch loses
      const first = froms.flatMap((from, i) => (froms.indexOf(from) === i ? [i] : []));
      const [contested] = await Promise.all([
        insert(
          first.map((i) => ({ _id: `${froms[i]}#0`, from: froms[i] as string, n: 0, at })),
          first,
        ),
        finished.length > 0 ? flush() : undefined,
      ]);
      if (contested.length > 0) {
        // who holds them: a live claim is a conflict; a stale one is taken over with the next generation
        const holders = await claims
          .find({ from: { $in: contested.map((i) => froms[i] as string) } })
          .toArray();
        const newest = new Map<string, ClaimDocument>();
        for (const h of holders) if ((newest.get(h.from)?.n ?? -1) < h.n) newest.set(h.from, h);
        const takeovers = contested.filter((i) => {
          const top = newest.get(froms[i] as string);
          return top !== undefined && Date.now() - top.at > leaseMs;
        });
        await insert(
          takeovers.map((i) => {
            const from = froms[i] as string;
            const n = (newest.get(from)?.n ?? 0) + 1;
            return { _id: `${from}#${n}`, from, n, at };
          }),
          takeovers,
        );
      }
      return {
        held,
        fresh: () => Date.now() - at < leaseMs / 2,
        done() {
          // past the lease another writer may have taken over: its claim stays, and so do ours
          if (taken.length > 0 && Date.now() - at < leaseMs) finish(taken);
        },
      };
    },
  };
}
