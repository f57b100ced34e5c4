import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../src/project/redact-secrets.ts';

const S = 'Pw9s3cr3tXq';

describe('redactSecrets: the one redaction rule for CLI output', () => {
  it.each([
    `postgres://app:${S}@db:5432/app`,
    `postgres://app:${S}@x@db/app`,
    `postgres://app@db/app?password=${S}`,
    `postgres://app@db/app?sslmode=require&sslpassword=${S}`,
    `mysql://app@db/app?pass=${S}`,
    `error CONNECTION_FAILED at postgres://app:${S}@db/app: connect ECONNREFUSED`,
    `{"database":"postgres://app:${S}@db/app"}`,
    `{ host: 'db', user: 'app', password: '${S}' }`,
    `{"password":"${S}","user":"app"}`,
    `host=db user=app password=${S} dbname=app`,
  ])('%s loses its password', (text) => {
    const out = redactSecrets(text);
    expect(out).not.toContain(S);
    expect(out).toContain('***');
  });

  it('leaves text without credentials alone', () => {
    const text = 'postgres://app@db/app?sslmode=require and a@b.c';
    expect(redactSecrets(text)).toBe(text);
  });
});
