// What the JSDoc examples of @evolve/project take as given (test/docs/jsdoc-examples.test.ts
// compiles every example with these in scope): the project's resolved configuration, its migrations, and
// the schema before and after a change.
import type { Change, Migration, Snapshot } from '@evolve/core';
import type { ResolvedConfig } from '../src/index.ts';

/** `await loadConfig({ cwd })`: the project's evolve.config.ts, resolved. */
export declare const config: ResolvedConfig;
/** The ordered list of migrations (the migrations folder's index.ts default export). */
export declare const migrations: readonly Migration[];
/** The snapshot of the latest migration, and the one of the schema module now. */
export declare const previous: Snapshot;
export declare const next: Snapshot;
export declare const changes: readonly Change[];
