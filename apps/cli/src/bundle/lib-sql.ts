// Entry of the bundled CLI: the project's imports of @evolve/sql resolve here (one copy per process).
export * from '@evolve/sql';
