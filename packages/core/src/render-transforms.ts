import type { TransformPlan } from './derive-transforms.ts';
import { tsKey as property, tsString as quote, tsCommentText } from './ts-source.ts';

/**
 * The source of the `transforms` object literal of a migration file: one entry per model and field,
 * derived code where there is some, `todo('Model.field', 'reason')` (from @evolve/core) elsewhere.
 *
 * @example
 * const source = `transforms: ${renderTransforms(deriveTransforms(changeSet))},`;
 * // transforms: {
 * //   User: {
 * //     age: (old) => String(old.age),
 * //     fullName: todo('User.fullName', 'new required field without a default ...'),
 * //   },
 * // },
 */
export function renderTransforms(plans: readonly TransformPlan[], indent = ''): string {
  if (plans.length === 0) return '{}';
  const byModel = new Map<string, TransformPlan[]>();
  for (const plan of plans) byModel.set(plan.model, [...(byModel.get(plan.model) ?? []), plan]);
  const lines = ['{'];
  for (const model of [...byModel.keys()].sort()) {
    lines.push(`${indent}  ${property(model)}: {`);
    for (const plan of byModel.get(model) ?? []) {
      const value = plan.code ?? `todo(${quote(`${model}.${plan.field}`)}, ${quote(plan.reason)})`;
      const comment = plan.code === null ? '' : ` // ${tsCommentText(plan.reason)}`;
      lines.push(`${indent}    ${property(plan.field)}: ${value},${comment}`);
    }
    lines.push(`${indent}  },`);
  }
  lines.push(`${indent}}`);
  return lines.join('\n');
}
