import type { Upgrader } from '../upgrader-types.ts';
import { type Filter, isPlainObject } from './filter.ts';

type AliasSource = Pick<Upgrader, 'aliases' | 'versionField' | 'latestVersion' | 'createdVersion'>;

/**
 * Every older stored path of a current path, also through renamed parents (`address.city` <- `addr.city`).
 *
 * @example
 * aliasPaths(upgrader, 'address.city'); // ['addr.city'] after a rename of addr to address
 */
export function aliasPaths(upgrader: Pick<Upgrader, 'aliases'>, path: string): string[] {
  const segments = path.split('.');
  const found = new Set<string>();
  for (let i = segments.length; i >= 1; i--) {
    const prefix = segments.slice(0, i).join('.');
    const rest = segments.slice(i).join('.');
    for (const alias of upgrader.aliases(prefix)) {
      const candidate = rest ? `${alias}.${rest}` : alias;
      if (candidate !== path) found.add(candidate);
    }
  }
  return [...found];
}

function isNegative(op: string, operand: unknown): boolean {
  return op === '$ne' || op === '$nin' || (op === '$exists' && !operand);
}

const COMPLEMENT: Record<string, string> = { $ne: '$eq', $nin: '$in', $exists: '$exists' };

/**
 * Rewrites a filter so that conditions on a renamed field also match documents still stored under an
 * old name: `{ fullName: 'x' }` becomes `{ $or: [{ fullName: 'x' }, { $and: [<older than latest>, { name: 'x' }] }] }`.
 * Negative conditions (`$ne`, `$nin`, `$exists: false`) are rewritten as the negation of the rewritten
 * positive condition, so an old document is judged by the value under its old name.
 *
 * @example
 * rewriteFilterAliases({ fullName: { $in: ['a', 'b'] } }, upgrader)
 */
export function rewriteFilterAliases(filter: Filter, upgrader: AliasSource): Filter {
  const vf = upgrader.versionField;
  const older: Filter =
    upgrader.createdVersion < upgrader.latestVersion
      ? { $or: [{ [vf]: { $lt: upgrader.latestVersion } }, { [vf]: { $exists: false } }] }
      : { [vf]: { $lt: upgrader.latestVersion } };

  const positive = (path: string, aliases: string[], condition: unknown): Filter => ({
    $or: [{ [path]: condition }, ...aliases.map((alias) => ({ $and: [older, { [alias]: condition }] }))],
  });

  const rewriteTerm = (path: string, condition: unknown): Filter[] => {
    const aliases = aliasPaths(upgrader, path);
    if (aliases.length === 0) return [{ [path]: condition }];
    renamed = true;
    if (condition === null) {
      // Missing or null under every name the document may use.
      return [{ [path]: null }, { $or: [{ $nor: [older] }, { $and: aliases.map((a) => ({ [a]: null })) }] }];
    }
    const operators = isPlainObject(condition) && Object.keys(condition).every((k) => k.startsWith('$'));
    if (!operators) return [positive(path, aliases, condition)];
    return Object.entries(condition).map(([op, operand]) => {
      if (op === '$eq' && operand === null) return { $and: rewriteTerm(path, null) };
      if (!isNegative(op, operand)) return positive(path, aliases, { [op]: operand });
      const complement = op === '$exists' ? { $exists: true } : { [COMPLEMENT[op]!]: operand };
      return { $nor: [positive(path, aliases, complement)] };
    });
  };

  let renamed = false;
  const terms: Filter[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === '$and' || key === '$or' || key === '$nor') {
      const children = value as Filter[];
      const rewritten = children.map((f) => rewriteFilterAliases(f, upgrader));
      if (rewritten.some((f, i) => f !== children[i])) renamed = true;
      terms.push({ [key]: rewritten });
    } else {
      terms.push(...rewriteTerm(key, value));
    }
  }
  if (!renamed) return filter;
  return terms.length === 1 ? terms[0]! : { $and: terms };
}
