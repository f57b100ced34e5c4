import type { ChangeSet, Snapshot } from '@evolve/core';
import { optionalPackageFunction } from './package-api.ts';
import type { FindingLike, RenderedSection } from './render-migration.ts';

export interface Sections {
  findings: FindingLike[];
  transforms?: RenderedSection;
  sql?: RenderedSection;
  documents?: RenderedSection;
}

/** Normalizes what a package's emitter returns (code text, or `{ code, imports }`) to a RenderedSection. */
function section(value: unknown, defaultImports: Record<string, string[]> = {}): RenderedSection | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return { code: value, imports: defaultImports };
  const v = value as { code?: unknown; source?: unknown; text?: unknown; imports?: unknown; types?: unknown };
  const code = v.code ?? v.source ?? v.text;
  if (typeof code !== 'string' || code === '' || code === '{}') return undefined;
  return {
    code,
    imports: normalizeImports(v.imports) ?? defaultImports,
    ...(typeof v.types === 'string' && v.types !== '' ? { declarations: v.types } : {}),
  };
}

function normalizeImports(imports: unknown): Record<string, string[]> | undefined {
  if (!imports) return undefined;
  if (Array.isArray(imports)) {
    // [{ from, names }] or ["import { x } from 'y';"]
    const out: Record<string, string[]> = {};
    for (const entry of imports) {
      if (typeof entry === 'string') {
        const m = /import\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"]/.exec(entry);
        if (m)
          out[m[2]!] = [
            ...(out[m[2]!] ?? []),
            ...m[1]!
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          ];
      } else if (entry && typeof entry === 'object') {
        const e = entry as { from?: string; module?: string; names?: string[]; name?: string };
        const from = e.from ?? e.module;
        if (from) out[from] = [...(out[from] ?? []), ...(e.names ?? (e.name ? [e.name] : []))];
      }
    }
    return out;
  }
  if (typeof imports === 'object') return imports as Record<string, string[]>;
  return undefined;
}

/**
 * Asks each package for its part of a migration module: core's lint findings and transforms, the SQL
 * section for sql models, the document section for document models.
 */
export async function renderSections(
  changeSet: ChangeSet,
  previous: Snapshot,
  next: Snapshot,
  options: { version: number },
): Promise<Sections> {
  const lint = await optionalPackageFunction('@evolve/core', 'lint');
  const findings = (lint ? (lint(changeSet, { previous, next }) as FindingLike[]) : []) ?? [];
  const touches = (target: 'sql' | 'document') =>
    changeSet.changes.some((c) => (next.models[c.model] ?? previous.models[c.model])?.target === target);

  let transforms: RenderedSection | undefined;
  let transformPaths: Record<string, Record<string, unknown>> | undefined;
  const derive = await optionalPackageFunction('@evolve/core', 'deriveTransforms');
  const renderT = await optionalPackageFunction('@evolve/core', 'renderTransforms');
  if (derive && renderT) {
    const derived = derive(changeSet, { previous, next });
    transformPaths = derived as Record<string, Record<string, unknown>>;
    transforms = section(renderT(derived, { changeSet, previous, next }), { '@evolve/core': ['todo'] });
  }

  let sqlSection: RenderedSection | undefined;
  if (touches('sql')) {
    const emit = await optionalPackageFunction('@evolve/sql', 'emitSqlSection');
    if (emit) {
      const emitted = emit(changeSet, {
        before: previous,
        ...(transformPaths ? { transforms: transformPaths } : {}),
      }) as { code: string; imports: string[] };
      // The planner writes `sql: { ... }`, already indented for the defineMigration object.
      sqlSection = {
        code: emitted.code.replace(/^\s*sql:\s*/, ''),
        imports: { '@evolve/sql': emitted.imports },
        indented: true,
      };
    }
  }
  let documents: RenderedSection | undefined;
  if (touches('document')) {
    const emit = await optionalPackageFunction('@evolve/document', 'emitDocumentSection');
    if (emit)
      documents = section(emit(changeSet, { before: previous, after: next, version: options.version }));
  }
  return {
    findings,
    ...(transforms ? { transforms } : {}),
    ...(sqlSection ? { sql: sqlSection } : {}),
    ...(documents ? { documents } : {}),
  };
}
