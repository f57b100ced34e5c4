import { canonicalJson } from './canonical-json.ts';
import { withoutFieldOrder } from './field-order.ts';
import { type ModelSnapshot, SNAPSHOT_FORMAT } from './snapshot-types.ts';

/**
 * The canonical JSON of each model of a snapshot evolve made (without its field order, as in the hash), kept
 * beside the frozen model: two models with the same text are equal in every part but the field order, so
 * `diff` passes over an unchanged model in one string comparison instead of walking its fields.
 */
const fingerprints = new WeakMap<ModelSnapshot, string>();

/** A model's recorded fingerprint (`undefined` for a model evolve did not make and freeze). */
export function modelFingerprint(model: ModelSnapshot): string | undefined {
  return fingerprints.get(model);
}

/** Whether two models are known to be equal but for their field order (false: not known, compare them). */
export function sameFingerprint(a: ModelSnapshot, b: ModelSnapshot): boolean {
  const x = fingerprints.get(a);
  return x !== undefined && x === fingerprints.get(b);
}

// a key JSON.stringify writes before the others whatever the insertion order (an array index)
const indexLike = (key: string) => /^(?:0|[1-9]\d*)$/.test(key);

/**
 * The canonical JSON the snapshot hash is taken of, `{"format":1,"models":{...}}`, assembled from each
 * model's own canonical JSON; with `record`, each model's text is kept as its fingerprint (the models
 * must be frozen, so that the text stays true).
 *
 * @example
 * sha256(hashedContent(snapshot.models)); // snapshot.hash
 */
export function hashedContent(models: Record<string, ModelSnapshot>, record = false): string {
  const names = Object.keys(models).sort();
  const texts = names.map((name) => canonicalJson(withoutFieldOrder(models[name] as ModelSnapshot)));
  if (record) {
    for (let i = 0; i < names.length; i++) {
      fingerprints.set(models[names[i] as string] as ModelSnapshot, texts[i] as string);
    }
  }
  if (names.some(indexLike)) {
    // JSON.stringify moves index-like keys first: let it order the members as canonicalJson does
    const content = Object.fromEntries(names.map((name, i) => [name, JSON.parse(texts[i] as string)]));
    return canonicalJson({ format: SNAPSHOT_FORMAT, models: content });
  }
  const members = names.map((name, i) => `${JSON.stringify(name)}:${texts[i]}`);
  return `{"format":${JSON.stringify(SNAPSHOT_FORMAT)},"models":{${members.join(',')}}}`;
}
