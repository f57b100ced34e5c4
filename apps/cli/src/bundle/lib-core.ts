// Entry of the bundled CLI: the project's imports of @evolve/core resolve here (one copy per process).
export * from '@evolve/core';
