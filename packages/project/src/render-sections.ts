import { type ChangeSet, deriveTransforms, lint, renderTransforms, type Snapshot } from '@evolve/core';
import type { SqlStep } from '@evolve/sql';
import type { FindingLike, RenderedSection } from './render-migration.ts';

export interface Sections {
  findings: FindingLike[];
  transforms?: RenderedSection;
  sql?: RenderedSection;
  /** The steps `sql` spells out. */
  sqlSteps?: { up: readonly SqlStep[]; down: readonly SqlStep[] };
  documents?: RenderedSection;
}

/** Named imports of a module out of `import { a, type B } from 'x';` lines. */
function parseImportLines(lines: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of lines) {
    const m = /import\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/.exec(line);
    if (!m) continue;
    const names = m[1]!
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    out[m[2]!] = [...(out[m[2]!] ?? []), ...names];
  }
  return out;
}

/**
 * Asks each package for its part of a migration module: core's lint findings and transforms, the SQL
 * section (@evolve/sql's `emitSqlSection`) for sql models, the document section (@evolve/document's
 * `emitDocumentSection`) for document models. The packages are imported only when their models changed.
 */
export async function renderSections(
  changeSet: ChangeSet,
  previous: Snapshot,
  next: Snapshot,
  options: { version: number },
): Promise<Sections> {
  const findings = lint(changeSet);
  const touches = (target: 'sql' | 'document') =>
    changeSet.changes.some((c) => (next.models[c.model] ?? previous.models[c.model])?.target === target);

  let transforms: RenderedSection | undefined;
  let transformPaths: Record<string, Record<string, unknown>> | undefined;
  const plans = deriveTransforms(changeSet);
  if (plans.length > 0) {
    transformPaths = {};
    for (const p of plans) transformPaths[p.model] = { ...transformPaths[p.model], [p.field]: true };
    const code = renderTransforms(plans, '  ');
    transforms = { code, imports: /\btodo\(/.test(code) ? { '@evolve/core': ['todo'] } : {}, indented: true };
  }

  let sqlSection: RenderedSection | undefined;
  let sqlSteps: Sections['sqlSteps'];
  if (touches('sql')) {
    const { emitSqlSection } = await import('@evolve/sql');
    const emitted = emitSqlSection(changeSet, {
      before: previous,
      ...(transformPaths ? { transforms: transformPaths } : {}),
    });
    // The planner writes `sql: { ... }`, already indented for the defineMigration object.
    sqlSection = {
      code: emitted.code.replace(/^\s*sql:\s*/, ''),
      imports: { '@evolve/sql': emitted.imports },
      indented: true,
    };
    sqlSteps = { up: emitted.up, down: emitted.down };
  }

  let documents: RenderedSection | undefined;
  if (touches('document')) {
    const { emitDocumentSection } = await import('@evolve/document');
    const emitted = emitDocumentSection(changeSet, {
      before: previous,
      after: next,
      version: options.version,
    });
    if (emitted.code !== '{}') {
      documents = {
        code: emitted.code,
        imports: parseImportLines(emitted.imports),
        ...(emitted.types ? { declarations: emitted.types } : {}),
      };
    }
  }
  return {
    findings,
    ...(transforms ? { transforms } : {}),
    ...(sqlSection ? { sql: sqlSection } : {}),
    ...(sqlSteps ? { sqlSteps } : {}),
    ...(documents ? { documents } : {}),
  };
}
