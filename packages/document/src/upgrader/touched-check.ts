import type { FieldSnapshot, ModelSnapshot } from '@evolve/core';
import { compileValidator, type DocumentCheck } from './compile-validator.ts';
import type { HistoryStep } from './model-history.ts';

/** Top-level member names an op reads or writes (the first segment of each of its paths). */
function opMembers(step: HistoryStep): string[] {
  return step.plan.up.flatMap((op) => {
    if (op.op === 'note') return [];
    const paths = op.op === 'move' ? [op.from, op.to] : [op.path];
    return paths.map((path) => path[0] as string);
  });
}

const sameField = (a: FieldSnapshot | undefined, b: FieldSnapshot | undefined) =>
  a !== undefined && b !== undefined && JSON.stringify(a) === JSON.stringify(b);

/**
 * The members of the target shape an upgrade chain must check: those an op of the chain touches, and
 * those whose shape is not the same at the start and the target (a change without an op: a tighter
 * length, a member that became required...). Every other member of the target is the input's own member,
 * untouched, under the same shape it had at the start version.
 */
export function touchedMembers(
  chain: readonly HistoryStep[],
  from: ModelSnapshot,
  to: ModelSnapshot,
): Set<string> {
  const members = new Set(chain.flatMap(opMembers));
  for (const name of Object.keys(to.fields)) {
    if (!sameField(from.fields[name], to.fields[name])) members.add(name);
  }
  return members;
}

/**
 * The compiled check of an upgrade chain's result that looks only at what the chain touched (see
 * `touchedMembers`) and the version it stamped: the rest was covered when the document was written at
 * its own version, whose shape for those members is the target's. Only when asked for (`validate:
 * 'touched'`), and only for a chain whose steps edit just what their plans say (`stepCopies().planned`):
 * a step that edits more could leave an unchecked member wrong. A document stored invalid at its own
 * version keeps its invalid untouched members (they are not checked again here; `upgrader.validate`
 * checks the whole document).
 *
 * @example
 * const check = touchedCheck(history.steps, { from: history.shapes.get(1)!, to: history.shapes.get(3)!, versionField: '_v', target: 3 });
 * check({ _v: 3 }); // undefined, or the first issue in a touched member
 */
export function touchedCheck(
  chain: readonly HistoryStep[],
  options: { from: ModelSnapshot; to: ModelSnapshot; versionField: string; target: number },
): DocumentCheck {
  const { from, to, versionField, target } = options;
  const members = touchedMembers(chain, from, to);
  const fields = Object.fromEntries(Object.entries(to.fields).filter(([name]) => members.has(name)));
  const check = compileValidator(fields);
  const stamp = { path: [versionField], message: `expected version ${target}` };
  return (doc) => ((doc as Record<string, unknown>)[versionField] === target ? check(doc) : stamp);
}
