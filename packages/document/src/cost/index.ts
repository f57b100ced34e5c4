export { countStoredDocuments, type StoredDocumentCounts } from './count-stored-documents.ts';
export {
  DEFAULT_SWEEP_RATES,
  type DocumentCostRates,
  type DocumentStoreKind,
} from './dialects/sweep-rates.ts';
export {
  type DocumentCost,
  type EstimateDocumentCostOptions,
  estimateDocumentCost,
  type VersionCost,
} from './estimate-document-cost.ts';
