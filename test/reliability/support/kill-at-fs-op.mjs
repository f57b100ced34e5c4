// Preloaded (`node --import`) into a CLI child: counts the calls that change files under
// EVOLVE_FS_OPS_UNDER (a folder) and, when EVOLVE_KILL_AT_FS_OP=n is set, SIGKILLs the process just before
// the n-th one runs: a crash at an exact point of a write sequence. With EVOLVE_COUNT_FS_OPS=1 it prints
// `FSOPS <count>` to stderr at exit. Calls on file descriptors count when the descriptor was opened there.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

const under = resolve(process.env.EVOLVE_FS_OPS_UNDER ?? '/nonexistent');
const killAt = Number(process.env.EVOLVE_KILL_AT_FS_OP ?? 0);
const MUTATING = [
  'writeFileSync',
  'renameSync',
  'rmSync',
  'mkdirSync',
  'copyFileSync',
  'unlinkSync',
  'fsyncSync',
];
const fds = new Set();
let n = 0;

const inside = (arg) =>
  typeof arg === 'number' ? fds.has(arg) : typeof arg === 'string' && resolve(arg).startsWith(under);
const step = () => {
  n += 1;
  if (n === killAt) process.kill(process.pid, 'SIGKILL');
};

for (const name of MUTATING) {
  const original = fs[name];
  fs[name] = function (...args) {
    if (inside(args[0]) || inside(args[1])) step();
    return original.apply(this, args);
  };
}
const openSync = fs.openSync;
fs.openSync = function (...args) {
  const writes = /[wax+]/.test(String(args[1] ?? 'r'));
  if (writes && inside(args[0])) step();
  const fd = openSync.apply(this, args);
  if (inside(args[0])) fds.add(fd);
  return fd;
};
const closeSync = fs.closeSync;
fs.closeSync = function (fd) {
  fds.delete(fd);
  return closeSync.call(this, fd);
};
syncBuiltinESMExports();
if (process.env.EVOLVE_COUNT_FS_OPS === '1') process.on('exit', () => process.stderr.write(`FSOPS ${n}\n`));
