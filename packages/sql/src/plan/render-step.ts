import { tsKey, tsLiteral, tsString } from '@evolve/core';
import type { BackfillValue, SqlStep } from '../steps/sql-step.ts';

function source(value: BackfillValue): { code: string; imports: string[] } {
  let inner: { code: string; imports: string[] };
  if ('transform' in value)
    inner = { code: `transform(${tsString(value.transform)})`, imports: ['transform'] };
  else if ('value' in value) inner = { code: `value(${tsLiteral(value.value)})`, imports: ['value'] };
  else if ('moveJson' in value) {
    const { from, to } = value.moveJson;
    inner = { code: `moveJson(${tsString(from)}, ${tsString(to)})`, imports: ['moveJson'] };
  } else inner = { code: `sqlExpression(${tsString(value.expression)})`, imports: ['sqlExpression'] };
  return value.onlyNull ? { code: `ifNull(${inner.code})`, imports: [...inner.imports, 'ifNull'] } : inner;
}

/** One step as the constructor call that builds it, and the names that call needs imported. */
export function renderStep(step: SqlStep, indent = ''): { code: string; imports: string[] } {
  const s = tsString;
  const call = (args: string[], extra: string[] = []) => ({
    code: `${step.kind}(${args.join(', ')})`,
    imports: [step.kind, ...extra],
  });
  switch (step.kind) {
    case 'createTable': {
      // one column per line: a new table is read column by column
      const pad = `${indent}  `;
      const columns = Object.entries(step.columns)
        .map(([name, spec]) => `${pad}  ${tsKey(name)}: ${tsLiteral(spec)},`)
        .join('\n');
      const model = step.model !== step.table ? `${pad}model: ${s(step.model)},\n` : '';
      const options =
        `{\n${model}${pad}primaryKey: ${tsLiteral(step.primaryKey)},\n` +
        `${pad}columns: {\n${columns}\n${pad}},\n${indent}}`;
      return call([s(step.table), options]);
    }
    case 'dropTable':
      return call([s(step.table)]);
    case 'renameTable':
      return call([s(step.table), s(step.to)]);
    case 'addColumn':
      return call([s(step.table), s(step.column), tsLiteral(step.spec)]);
    case 'dropColumn':
    case 'addIdentity':
    case 'dropIdentity':
    case 'setNotNull':
    case 'dropNotNull':
    case 'dropDefault':
      return call([s(step.table), s(step.column)]);
    case 'renameColumn':
      return call([s(step.table), s(step.column), s(step.to)]);
    case 'alterColumnType':
      return call([
        s(step.table),
        s(step.column),
        tsLiteral({
          type: step.type,
          sqlType: step.sqlType,
          rewrite: step.rewrite,
          ...(step.lossy ? { lossy: true } : {}),
        }),
      ]);
    case 'setDefault':
      return call([s(step.table), s(step.column), tsLiteral(step.value)]);
    case 'createIndex':
      return call([
        s(step.table),
        s(step.name),
        tsLiteral({ columns: step.columns, ...(step.unique ? { unique: true } : {}) }),
      ]);
    case 'dropIndex':
    case 'validateForeignKey':
    case 'dropForeignKey':
      return call([s(step.table), s(step.name)]);
    case 'validateEnumCheck':
      return call(
        step.removed
          ? [s(step.table), s(step.column), tsLiteral({ removed: step.removed })]
          : [s(step.table), s(step.column)],
      );
    case 'addForeignKey':
      return call([
        s(step.table),
        s(step.name),
        tsLiteral({ columns: step.columns, references: step.references, onDelete: step.onDelete }),
      ]);
    case 'changePrimaryKey':
      return call([s(step.table), tsLiteral(step.columns)]);
    case 'backfill': {
      const sets = Object.entries(step.set).map(([column, value]) => ({ column, ...source(value) }));
      const body =
        sets.length === 0
          ? '{}'
          : `{ ${sets.map((x) => `${/^[A-Za-z_$][\w$]*$/.test(x.column) ? x.column : s(x.column)}: ${x.code}`).join(', ')} }`;
      const args = [s(step.model), body];
      if (step.table !== step.model) args.push(tsLiteral({ table: step.table }));
      return call(
        args,
        sets.flatMap((x) => x.imports),
      );
    }
    case 'rawSql': {
      const { kind: _, ...options } = step;
      return call([tsLiteral(options)]);
    }
  }
}
