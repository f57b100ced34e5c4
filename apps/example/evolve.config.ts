import { defineConfig } from '@evolve/cli';

export default defineConfig({
  schema: './src/models.ts',
  migrations: './migrations',
  // No database configured: the CLI uses the SQLite file ./evolve.db (DATABASE_URL or --url override it).
});
