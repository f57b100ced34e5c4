import type { FieldSnapshot } from '@evolve/core';
import { capabilitiesOf } from '../dialects/capabilities-for.ts';
import { columnSpecOf } from '../dialects/shared/table-state.ts';
import type { RunContext } from './run-context.ts';

const SIZED_TEXT = /^(?:var)?char\s*\(\s*(\d+)\s*\)$/i;

/**
 * The field a transform's result must fit, at the version the migration leads to: a top-level field with
 * the longest string its column holds on this dialect (a dialect may store a string without a maximum length
 * as varchar(255); an `sqlType` such as varchar(50) counts too), or a field nested inside a JSON column
 * (`address.city`). Undefined when the history does not describe it.
 *
 * @example
 * transformTargetField(ctx, '0004_status', 'Order', 'status') // { type: { kind: 'string', maxLength: 255 }, ... }
 */
export function transformTargetField(
  ctx: RunContext,
  migrationId: string,
  model: string,
  field: string,
): FieldSnapshot | undefined {
  const [head = field, ...rest] = field.split('.');
  const top = ctx.targetField(migrationId, model, head);
  if (!top) return undefined;
  if (rest.length === 0) return withColumnLimit(top, ctx);
  let nested: FieldSnapshot | undefined = top;
  for (const part of rest) nested = nested?.type.kind === 'object' ? nested.type.fields[part] : undefined;
  return nested;
}

function withColumnLimit(field: FieldSnapshot, ctx: RunContext): FieldSnapshot {
  if (field.type.kind !== 'string') return field;
  const limit = SIZED_TEXT.exec(capabilitiesOf(ctx.caps.dialect).columnType(columnSpecOf(field)))?.[1];
  if (limit === undefined) return field;
  const maxLength = Math.min(Number(limit), field.type.maxLength ?? Number.POSITIVE_INFINITY);
  return maxLength === field.type.maxLength ? field : { ...field, type: { ...field.type, maxLength } };
}
