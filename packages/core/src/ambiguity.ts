import { EvolveError } from './errors.ts';

/**
 * One scope (the model list, or one model's / nested object's fields) where names vanished and
 * others appeared without a rename hint, and some vanished × appeared pair is a plausible rename
 * (`isRenameCandidate`: a boolean is never the old name of a string).
 */
export interface Ambiguity {
  /** `''` for the model list, else `Model` or `Model.nested.path` (new names). */
  scope: string;
  /** Old names with a candidate, `Model` or `Model.old.path`, as the `renames` keys and `drops` entries take them. */
  vanished: string[];
  /** New names with a candidate, `Model` or `Model.new.path`. */
  appeared: string[];
  /** Every plausible rename, `[old, new]`, in `vanished` then `appeared` order. */
  pairs: Array<[string, string]>;
}

/** A name that vanished or appeared in a scope, with what decides its plausible partners. */
export interface ScopeName<T> {
  /** `Model` or `Model.path`, as the ambiguity lists it. */
  name: string;
  of: T;
}

/**
 * The ambiguity of one scope: the plausible pairs among names that vanished and names that appeared, or
 * undefined when there is none (then the vanished names are drops and the new ones adds, as with no hint).
 */
export function scopeAmbiguity<T>(
  scope: string,
  vanished: readonly ScopeName<T>[],
  appeared: readonly ScopeName<T>[],
  plausible: (from: T, to: T) => boolean,
): Ambiguity | undefined {
  const pairs = vanished.flatMap((v) =>
    appeared.filter((n) => plausible(v.of, n.of)).map((n): [string, string] => [v.name, n.name]),
  );
  if (pairs.length === 0) return undefined;
  return {
    scope,
    vanished: vanished.map((v) => v.name).filter((v) => pairs.some(([from]) => from === v)),
    appeared: appeared.map((n) => n.name).filter((n) => pairs.some(([, to]) => to === n)),
    pairs,
  };
}

const quote = (s: string) => `'${s}'`;

/** The `renames` entry that reads `from` as renamed to `to` (sibling form: the last segment). */
export function renameAnswer(from: string, to: string): [string, string] {
  return [from, to.slice(to.lastIndexOf('.') + 1)];
}

/** The AMBIGUOUS_RENAME error naming every candidate pair and how to answer. */
export function ambiguityError(ambiguities: readonly Ambiguity[]): EvolveError {
  const lines = ambiguities.map((a) => {
    const pairs = a.pairs.map(([v, n]) => `${v} -> ${n}`);
    return `  in ${a.scope || 'the model list'}: ${a.vanished.join(', ')} vanished and ${a.appeared.join(', ')} appeared; candidate renames: ${pairs.join(', ')}`;
  });
  const first = ambiguities[0] as Ambiguity;
  const [from, to] = first.pairs[0] as [string, string];
  const [key, value] = renameAnswer(from, to);
  const message =
    `cannot tell renames from drops and adds without an answer:\n${lines.join('\n')}\n` +
    `Answer with the renames option (old -> new), e.g. { renames: { ${quote(key)}: ${quote(value)} } } ` +
    `(CLI: --rename ${key}=${value}), or a renamedFrom hint in the model; or say the old name was really ` +
    `dropped with { drops: [${quote(from)}] }.`;
  return new EvolveError('AMBIGUOUS_RENAME', message, {
    path: first.scope,
    details: {
      ambiguities: ambiguities.map((a) => ({
        ...a,
        candidates: a.pairs.map(([v, n]) => ({ from: v, to: n, rename: renameAnswer(v, n) })),
      })),
    },
  });
}
