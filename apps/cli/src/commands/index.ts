// Every command module, in one lazily imported module: the bundle then loads one chunk of command code
// (plus core and zod) instead of a dozen small ones, which matters on a busy machine.

// The programmatic API rides in the same chunks, so the bundle's `evolve` entry (what a project's
// evolve.config.ts imports) shares them instead of splitting the project modules further.
export * as api from '../index.ts';
export { default as check } from './check.ts';
export { default as discard } from './discard.ts';
export { default as down } from './down.ts';
export { default as generate } from './generate.ts';
export { default as hash } from './hash.ts';
export { default as init } from './init.ts';
export { default as plan } from './plan.ts';
export { printError } from './print-error.ts';
export { default as pull } from './pull.ts';
export { default as sql } from './sql.ts';
export { default as status } from './status.ts';
export { default as sweep } from './sweep.ts';
export { default as up } from './up.ts';
