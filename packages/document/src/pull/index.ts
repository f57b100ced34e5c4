export { markMongoApplied } from './mark-mongo-applied.ts';
export type { PullDocumentsOptions, PullDocumentsResult } from './pull-documents.ts';
export { pullDocuments } from './pull-documents.ts';
