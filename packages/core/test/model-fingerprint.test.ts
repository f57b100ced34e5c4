import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../src/canonical-json.ts';
import { diff, type ModelSnapshot, SNAPSHOT_FORMAT } from '../src/index.ts';
import { hashedContent, modelFingerprint, sameFingerprint } from '../src/model-fingerprint.ts';
import { f, int, m, snap, str } from './builders.ts';

/** The snapshot hash as it was computed before fingerprints: one canonical JSON of every model. */
const hashOfWhole = (models: Record<string, ModelSnapshot>) => {
  const content = Object.fromEntries(
    Object.entries(models).map(([name, { fieldOrder: _, ...rest }]) => [name, rest]),
  );
  return sha256(canonicalJson({ format: SNAPSHOT_FORMAT, models: content }));
};

const fk = (model: string) => ({
  name: 'Post_clientId_fkey',
  fields: ['clientId'],
  references: { model, fields: ['id'] },
  onDelete: 'no action' as const,
});

describe('model fingerprints', () => {
  it('assemble the same hashed text as the whole canonical JSON, also for index-like model names', () => {
    for (const names of [
      ['User', 'Post'],
      ['10', '2', 'a', 'B'],
      ['0', 'x'],
    ]) {
      const s = snap(names.map((name) => m(name, { title: f(str()) })));
      expect(hashedContent(s.models)).toBe(
        canonicalJson({ format: SNAPSHOT_FORMAT, models: s.models }).replaceAll(
          /,"fieldOrder":\[[^\]]*\]/g,
          '',
        ),
      );
      expect(s.hash).toBe(hashOfWhole(s.models));
    }
  });

  it('are recorded for made snapshots only, and equal for equal models of different snapshots', () => {
    const a = snap([m('User', { name: f(str()) }), m('Post', {})]);
    const b = snap([m('User', { name: f(str()) }), m('Post', { title: f(str()) })]);
    expect(a.models.User).not.toBe(b.models.User);
    expect(sameFingerprint(a.models.User!, b.models.User!)).toBe(true);
    expect(sameFingerprint(a.models.Post!, b.models.Post!)).toBe(false);
    expect(modelFingerprint(structuredClone(a.models.User!))).toBeUndefined();
    expect(sameFingerprint(structuredClone(a.models.User!), structuredClone(b.models.User!))).toBe(false);
  });

  it('do not hide a foreign key whose model was renamed away while a new model took its name', () => {
    // Post is unchanged, but the Client it references is now Customer: the new Client is another model
    const post = () => m('Post', { clientId: f(int) }, { foreignKeys: [fk('Client')] });
    const a = snap([m('Client', {}), post()]);
    const b = snap([m('Customer', {}), m('Client', { code: f(str()) }), post()]);
    expect(sameFingerprint(a.models.Post!, b.models.Post!)).toBe(true);
    const kinds = diff(a, b, { renames: { Client: 'Customer' } }).changes.map((c) => `${c.kind} ${c.model}`);
    expect(kinds).toContain('dropForeignKey Post');
    expect(kinds).toContain('addForeignKey Post');
  });
});
