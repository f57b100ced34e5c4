// Entry of the bundled CLI: the project's imports of @evolve/document resolve here (one copy per process).
export * from '@evolve/document';
