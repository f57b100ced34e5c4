// Database drivers are optional peer dependencies: a missing one is MISSING_DRIVER naming the package.

import { missingPackage } from '@evolve/project';
import { describe, expect, it } from 'vitest';
import { loadDriver } from '../src/project/load-driver.ts';

const notFound = (specifier: string, code = 'ERR_MODULE_NOT_FOUND') =>
  Object.assign(
    new Error(`Cannot find package '${specifier}' imported from /app/node_modules/@evolve/cli/dist/x.js`),
    {
      code,
    },
  );

describe('loadDriver', () => {
  it('turns a driver that is not installed into MISSING_DRIVER naming the package to install', async () => {
    const load = loadDriver(
      'evolve-test-absent-driver',
      'postgres:// URLs',
      () => import(/* @vite-ignore */ ['evolve-test', 'absent-driver'].join('-')),
    );
    await expect(load).rejects.toMatchObject({
      name: 'EvolveError',
      code: 'MISSING_DRIVER',
      message: 'install evolve-test-absent-driver to use postgres:// URLs',
    });
  });

  it('passes other failures through: a driver whose own dependency is missing is not "not installed"', async () => {
    const broken = notFound('pg-types');
    await expect(loadDriver('pg', 'postgres:// URLs', () => Promise.reject(broken))).rejects.toBe(broken);
    const other = new Error('boom');
    await expect(loadDriver('pg', 'postgres:// URLs', () => Promise.reject(other))).rejects.toBe(other);
  });

  it('returns the module when it is there', async () => {
    const mod = await loadDriver('node:path', 'paths', () => import('node:path'));
    expect(typeof mod.join).toBe('function');
  });
});

describe('missingPackage', () => {
  it('names the package of a bare specifier, never a relative or absolute path', () => {
    expect(missingPackage(notFound('zod'))).toBe('zod');
    expect(missingPackage(notFound('@evolve/core/x'))).toBe('@evolve/core');
    expect(missingPackage(new Error("Cannot find module 'zod'\nRequire stack:\n- /app/src/models.ts"))).toBe(
      'zod',
    );
    expect(missingPackage(notFound('./models.ts'))).toBeUndefined();
    expect(missingPackage(notFound('/abs/models.ts'))).toBeUndefined();
    expect(missingPackage(new Error('something else'))).toBeUndefined();
  });
});
