export { type ApplyDocumentChangesOptions, applyDocumentChanges } from './apply-document-changes.ts';
export { compileStep, type DocumentSection, type StepFunction, type StepTransforms } from './compile-step.ts';
export { compileValidator, type DocumentCheck, type ValidationIssue } from './compile-validator.ts';
export {
  type CreateUpgraderOptions,
  createUpgrader,
  type DocumentUpgrader,
} from './create-upgrader.ts';
export * as docOps from './doc-ops/index.ts';
export {
  type DocumentValidatorOptions,
  documentValidator,
  type JsonSchemaNode,
} from './document-validator.ts';
export {
  type DocumentSectionSource,
  type EmitDocumentSectionOptions,
  emitDocumentSection,
} from './emit-document-section.ts';
export { findTodoTransforms, type TodoTransform } from './find-todo-transforms.ts';
export { type HistoryStep, type ModelHistory, modelHistory } from './model-history.ts';
export { planChangeSet } from './plan-change-set.ts';
export { type ConversionPlan, planConversion } from './plan-conversion.ts';
export { planDocumentStep } from './plan-document-step.ts';
export type { DocOp, StepPlan, ValuePlan } from './step-plan.ts';
export { zodFromSnapshot } from './zod-from-snapshot.ts';
