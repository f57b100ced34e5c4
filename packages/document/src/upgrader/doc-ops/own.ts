import type { Row } from '@evolve/core';

// A member absent from a document is absent whatever its name. A plain read of a member named like one
// every object inherits (`constructor`, `toString`, `valueOf`...) finds the inherited function where the
// document has no such member: an upgrade would copy, move or convert it as the member's value.

/**
 * Whether `key` names a member every plain object inherits (`constructor`, `toString`, `__proto__`...): the
 * names read own-only.
 *
 * @example
 * isInheritedName('valueOf'); // true
 * isInheritedName('title'); // false
 */
export function isInheritedName(key: string): boolean {
  return key in Object.prototype;
}

/**
 * The member `key` of `node` when it is its own, else `undefined`. Generated steps call it for member
 * names that plain objects inherit (of the document and of the transforms); other names are read plainly
 * (`out.title`).
 *
 * @example
 * own({}, 'constructor'); // undefined (`({}).constructor` is `Object`)
 */
export function own<V>(node: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(node, key) ? node[key] : undefined;
}

/**
 * `node[key]` read as `own` reads it, for a key known only at run time: plainly, with the own-member
 * check only when the plain read finds a function (every inherited member but `__proto__` is one) or the
 * key is `__proto__`.
 *
 * @example
 * ownMember({ toString: 'x' }, 'toString'); // 'x'
 * ownMember({}, 'toString'); // undefined
 */
export function ownMember(node: Row, key: string): unknown {
  const v = node[key];
  return (typeof v === 'function' || key === '__proto__') && !Object.hasOwn(node, key) ? undefined : v;
}
