import { afterAll, describe, expect, it } from 'vitest';
import { accountModels, createProject, evolveCli } from './support/cli-project.ts';

// Port 1 refuses connections: every command fails while connecting, the path where URLs used to be printed.
const SECRET = 'Pw9s3cr3tXq';
const URLS = [
  `postgres://app:${SECRET}@127.0.0.1:1/app`,
  `postgres://app:${SECRET}@x@127.0.0.1:1/app`,
  `postgres://app@127.0.0.1:1/app?password=${SECRET}`,
  `postgres://app@127.0.0.1:1/app?sslmode=disable&sslpassword=${SECRET}`,
  `postgres://app@127.0.0.1:1/app?pass=${SECRET}`,
  `mysql://app:${SECRET}@127.0.0.1:1/app`,
  // percent-encoded characters in the password: neither the encoded nor the decoded form may show
  `postgres://app:${SECRET}%40%2F%3A@127.0.0.1:1/app`,
];
const COMMANDS = [
  ['status'],
  ['status', '--json'],
  ['check', '--db', '--format', 'json'],
  ['check', '--db', '--format', 'github'],
  ['up', '--debug'],
];

describe('secrets: no output of any command contains the database password', () => {
  const p = createProject(accountModels());
  afterAll(() => p.remove());

  for (const url of URLS) {
    it(`${url.replace(SECRET, '<password>')}: status, status --json, check --db --format json|github, up --debug`, async () => {
      for (const args of COMMANDS) {
        const run = await evolveCli(p, [...args, '--url', url]);
        expect(run.code, `${args.join(' ')} exits non-zero`).not.toBe(0);
        expect(`${run.stdout}\n${run.stderr}`, args.join(' ')).not.toContain(SECRET);
        // a refused connection is reported as such, and `up` claims nothing before its error
        if (!args.includes('--json') && args[0] !== 'check')
          expect(run.stderr).toContain('CONNECTION_FAILED');
        expect(run.stdout).not.toMatch(/applied 0 migration/);
      }
    }, 120_000);
  }
});
