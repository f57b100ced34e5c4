export { markApplied } from './mark-applied.ts';
export type { PullNote } from './pull-note.ts';
export type { PullResult, PullSchemaOptions } from './pull-schema.ts';
export { pullSchema } from './pull-schema.ts';
export type { PulledModel } from './pulled-model.ts';
