// The public API names DESIGN.md fixes: users, examples and outside checks rely on them.
import * as core from '@evolve/core';
import * as document from '@evolve/document';
import * as sql from '@evolve/sql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

describe('public API names from DESIGN.md', () => {
  it('@evolve/core exports the model, snapshot, diff and lint functions and EvolveError', () => {
    for (const name of [
      'defineModel',
      'defineSchema',
      'toSnapshot',
      'diff',
      'applyChanges',
      'lint',
      'EvolveError',
    ]) {
      expect(typeof (core as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('@evolve/sql exports migrate, planSqlMigration and detectDrift', () => {
    for (const name of ['migrate', 'planSqlMigration', 'detectDrift']) {
      expect(typeof (sql as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('@evolve/document exports createUpgrader, versioned and sweep', () => {
    for (const name of ['createUpgrader', 'versioned', 'sweep']) {
      expect(typeof (document as Record<string, unknown>)[name], name).toBe('function');
    }
  });

  it('planSqlMigration(changeSet, { dialect }) previews SQL for each dialect without a database', () => {
    const User = core.defineModel('User', { shape: { id: z.int(), email: z.string().max(200) } });
    const changeSet = core.diff(core.emptySnapshot(), core.toSnapshot(core.defineSchema([User])));
    for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
      const steps = sql.planSqlMigration(changeSet, { dialect });
      const text = steps.flatMap((s) => s.statements.map((q) => q.sql)).join('\n');
      expect(text, dialect).toMatch(/create table/i);
      expect(text, dialect).toContain('email');
    }
  });

  it('diff takes renames mapping old to new names, and EvolveError carries code and path', () => {
    const v1 = core.toSnapshot(
      core.defineSchema([core.defineModel('User', { shape: { id: z.int(), name: z.string() } })]),
    );
    const v2 = core.toSnapshot(
      core.defineSchema([core.defineModel('User', { shape: { id: z.int(), fullName: z.string() } })]),
    );
    expect(core.diff(v1, v2, { renames: { 'User.name': 'fullName' } }).changes.map((c) => c.kind)).toEqual([
      'renameField',
    ]);
    try {
      core.diff(v1, v2);
      expect.unreachable('an unanswered rename must throw');
    } catch (error) {
      expect(error).toBeInstanceOf(core.EvolveError);
      expect((error as core.EvolveError).code).toBe('AMBIGUOUS_RENAME');
    }
  });
});
