import type { CompiledStep } from '../compiled-step.ts';

function describeBackfill(step: CompiledStep): string {
  const plan = step.backfill;
  if (!plan) return '';
  const sources = Object.entries(plan.set).map(([column, source]) => {
    const onlyNull = plan.onlyNull?.includes(column) ? ' where null' : '';
    if ('transform' in source)
      return `${column} <- transform ${source.transform.model}.${source.transform.field}${onlyNull}`;
    if ('value' in source) return `${column} <- ${JSON.stringify(source.value)}${onlyNull}`;
    return `${column} <- ${source.expression}${onlyNull}`;
  });
  return `-- backfill ${plan.table} in batches by (${plan.key.join(', ')}): ${sources.join('; ')}\n`;
}

/**
 * The SQL script of compiled steps, for `evolve sql` and previews: each step's description as a comment,
 * its statements, and backfills as comments (they run in batches from the runner, not as one statement).
 *
 * @example
 * console.log(renderSql(planSqlMigration(changeSet, { dialect: dialectOf(db), before })));
 */
export function renderSql(steps: readonly CompiledStep[]): string {
  return steps
    .map((step) => {
      const flags = [
        step.transactional ? '' : 'outside a transaction',
        step.destructive ? 'DESTRUCTIVE' : '',
        step.rewritesTable ? 'rewrites the table' : '',
      ].filter(Boolean);
      const head = `-- ${step.description}${flags.length ? ` [${flags.join(', ')}]` : ''}\n`;
      if (step.backfill) return head + describeBackfill(step);
      const body = step.statements.map((q) => `${q.sql};\n`).join('');
      const verify = (step.verify ?? []).map((q) => `-- then expect no rows from: ${q.sql}\n`).join('');
      return head + body + verify;
    })
    .join('\n');
}
