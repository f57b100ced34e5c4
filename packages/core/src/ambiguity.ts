import { EvolveError } from './errors.ts';

/**
 * One scope (the model list, or one model's / nested object's fields) where names vanished and
 * others appeared without a rename hint: each vanished × appeared pair is a candidate rename.
 */
export interface Ambiguity {
  /** `''` for the model list, else `Model` or `Model.nested.path` (new names). */
  scope: string;
  /** Old names, `Model` or `Model.old.path`, as the `renames` keys and `drops` entries take them. */
  vanished: string[];
  /** New names, `Model` or `Model.new.path`. */
  appeared: string[];
}

const quote = (s: string) => `'${s}'`;

/** The `renames` entry that reads `from` as renamed to `to` (sibling form: the last segment). */
export function renameAnswer(from: string, to: string): [string, string] {
  return [from, to.slice(to.lastIndexOf('.') + 1)];
}

/** The AMBIGUOUS_RENAME error naming every candidate pair and how to answer. */
export function ambiguityError(ambiguities: readonly Ambiguity[]): EvolveError {
  const lines = ambiguities.map((a) => {
    const pairs = a.vanished.flatMap((v) => a.appeared.map((n) => `${v} -> ${n}`));
    return `  in ${a.scope || 'the model list'}: ${a.vanished.join(', ')} vanished and ${a.appeared.join(', ')} appeared; candidate renames: ${pairs.join(', ')}`;
  });
  const first = ambiguities[0] as Ambiguity;
  const [key, value] = renameAnswer(first.vanished[0] as string, first.appeared[0] as string);
  const message =
    `cannot tell renames from drops and adds without an answer:\n${lines.join('\n')}\n` +
    `Answer with the renames option (old -> new), e.g. { renames: { ${quote(key)}: ${quote(value)} } } ` +
    `(CLI: --rename ${key}=${value}), or a renamedFrom hint in the model; or say the old name was really ` +
    `dropped with { drops: [${quote(first.vanished[0] as string)}] }.`;
  return new EvolveError('AMBIGUOUS_RENAME', message, {
    path: first.scope,
    details: {
      ambiguities: ambiguities.map((a) => ({
        ...a,
        candidates: a.vanished.flatMap((v) =>
          a.appeared.map((n) => ({ from: v, to: n, rename: renameAnswer(v, n) })),
        ),
      })),
    },
  });
}
