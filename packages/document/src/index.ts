export * from './cost/index.ts';
export * from './mongo/index.ts';
export * from './pull/index.ts';
export * from './runtime/index.ts';
export * from './upgrader/index.ts';
export type { Upgrader } from './upgrader-types.ts';
export * from './verify/index.ts';
