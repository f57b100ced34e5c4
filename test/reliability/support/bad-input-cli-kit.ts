import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Project } from './cli-project.ts';

/** The shape of bad-input-cli.test.ts's inputs and the helpers that prepare them. */
export interface EngineEnv {
  url: string;
  dialect: 'postgres' | 'mysql' | 'sqlite';
}

export interface CliInput {
  name: string;
  code: string;
  names: RegExp;
  command: readonly string[];
  /** `all`: touches the database, runs on every engine. `one`: rejected before connecting, runs on one. */
  scope: 'all' | 'one';
  prepare?: (p: Project, e: EngineEnv) => Promise<void> | void;
  env?: (e: EngineEnv) => Record<string, string>;
  engines?: readonly EngineEnv['dialect'][];
}

export const CHECK = ['check', '--format', 'json'];
export const UP = ['up'];
export const GENERATE = ['generate', 'next'];

export const replaceIn = (p: Project, file: string, from: string | RegExp, to: string) => {
  const text = p.read(file);
  const next = text.replace(from, to);
  if (next === text) throw new Error(`fixture: ${String(from)} not found in ${file}`);
  p.write(file, next);
};
export const migrationFile = (p: Project, id: string) => {
  const name = readdirSync(join(p.dir, 'migrations')).find((f) => f.startsWith(id));
  if (!name) throw new Error(`fixture: no migration ${id}`);
  return `migrations/${name}`;
};
