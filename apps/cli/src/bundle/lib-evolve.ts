// Entry of the bundled CLI: the project's imports of '@evolve/cli' resolve here.
export * from '../index.ts';
