export type { DocumentProperty, DocumentPropertyFinding } from './document-property-finding.ts';
export { firstDifference } from './first-difference.ts';
export {
  type VerifyDocumentMigrationsOptions,
  verifyDocumentMigrations,
} from './verify-document-migrations.ts';
