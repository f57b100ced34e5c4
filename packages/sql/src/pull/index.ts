export { markApplied } from './mark-applied.ts';
export type { PullResult, PullSchemaOptions } from './pull-schema.ts';
export { pullSchema } from './pull-schema.ts';
