import type { TestProject } from 'vitest/node';
import type { EngineAvailability, EngineName } from './engines.ts';
import { probeEngines } from './probe-engines.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    evolveEngines: EngineAvailability;
  }
}

/**
 * Finds every engine once per run: env URL first, else a container when a runtime exists,
 * else a printed notice. Test files read the result with `inject('evolveEngines')`.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { availability, stop } = await probeEngines();
  for (const [engine, reason] of Object.entries(availability.unavailable)) {
    console.warn(`[evolve harness] ${engine as EngineName} unavailable: ${reason}`);
  }
  project.provide('evolveEngines', availability);
  return stop;
}
