// Entry of the bundled CLI: the project's imports of 'evolve' resolve here.
export * from '../index.ts';
