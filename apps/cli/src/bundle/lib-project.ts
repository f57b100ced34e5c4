// Entry of the bundled CLI: the project's imports of @evolve/project resolve here (one copy per process).
export * from '@evolve/project';
