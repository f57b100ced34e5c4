import { createTestDatabase, type SqlEngineName, type TestDatabase } from '@evolve/harness';
import { inject } from 'vitest';

/**
 * More fresh databases on an engine than the one `describeSqlEngines` gives a file, for work that runs in
 * parallel lanes (one database per lane). The caller destroys them.
 */
export async function extraDatabases(engine: SqlEngineName, count: number): Promise<TestDatabase[]> {
  const urls = inject('evolveEngines')?.urls ?? {};
  const out: TestDatabase[] = [];
  for (let i = 0; i < count; i++) out.push(await createTestDatabase(engine, urls));
  return out;
}
