import { z } from 'zod';
import { EvolveError } from './errors.ts';
import { listsEachField } from './field-order.ts';
import { SNAPSHOT_FORMAT, type Snapshot } from './snapshot-types.ts';
import { isMadeSnapshot, makeSnapshot } from './to-snapshot.ts';

let snapshotFile: ReturnType<typeof buildSnapshotFileSchema> | undefined;

/**
 * The zod schema of a snapshot file, built on first use: building it takes longer than the rest of this
 * package's import, and a command that finds the models unchanged never parses a snapshot.
 */
function buildSnapshotFileSchema() {
  const ident = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/);
  const json: z.ZodType = z.lazy(() =>
    z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(json), z.record(z.string(), json)]),
  );
  const defaultSnapshot = z.union([
    z.strictObject({ value: json }),
    z.strictObject({ dynamic: z.literal(true) }),
  ]);

  const field: z.ZodType = z.lazy(() =>
    z.strictObject({
      type: typeSnapshot,
      nullable: z.boolean(),
      optional: z.boolean(),
      default: defaultSnapshot.optional(),
      column: ident.optional(),
      sqlType: z.string().min(1).optional(),
      generated: z.literal('identity').optional(),
    }),
  );
  const typeSnapshot = z.discriminatedUnion('kind', [
    z.strictObject({
      kind: z.literal('string'),
      maxLength: z.number().int().positive().optional(),
      format: z.enum(['uuid', 'email', 'url', 'datetime']).optional(),
      unbounded: z.literal(true).optional(),
    }),
    z.strictObject({ kind: z.literal('number'), integer: z.boolean() }),
    z.strictObject({ kind: z.literal('bigint') }),
    z.strictObject({ kind: z.literal('boolean') }),
    z.strictObject({ kind: z.literal('date') }),
    z.strictObject({ kind: z.literal('enum'), values: z.array(z.string()).min(1) }),
    z.strictObject({ kind: z.literal('literal'), value: z.union([z.string(), z.number(), z.boolean()]) }),
    z.strictObject({ kind: z.literal('array'), element: field }),
    z.strictObject({ kind: z.literal('object'), fields: z.record(ident, field) }),
    z.strictObject({ kind: z.literal('json') }),
  ]);
  const model = z.strictObject({
    name: ident,
    target: z.enum(['sql', 'document']),
    table: ident,
    primaryKey: z.array(z.string()).min(1),
    fields: z.record(ident, field),
    fieldOrder: z.array(ident).optional(),
    indexes: z.array(
      z.strictObject({ name: ident, fields: z.array(z.string()).min(1), unique: z.boolean() }),
    ),
    foreignKeys: z.array(
      z.strictObject({
        name: ident,
        fields: z.array(z.string()).min(1),
        references: z.strictObject({ model: ident, fields: z.array(z.string()).min(1) }),
        onDelete: z.enum(['cascade', 'restrict', 'set null', 'no action']),
      }),
    ),
  });
  return z.strictObject({
    format: z.literal(SNAPSHOT_FORMAT),
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    models: z.record(ident, model),
  });
}

/**
 * Reads a snapshot back from file text or parsed JSON, validating its shape and its hash.
 * A hand-edited, truncated or foreign file is an EvolveError `INVALID_SNAPSHOT` naming the file and path.
 *
 * @example
 * import { readFileSync } from 'node:fs';
 * const snap = parseSnapshot(readFileSync('migrations/snapshot.json', 'utf8'), 'migrations/snapshot.json');
 */
export function parseSnapshot(input: string | unknown, source = 'snapshot'): Snapshot {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (error) {
      throw new EvolveError('INVALID_SNAPSHOT', `${source} is not valid JSON: ${(error as Error).message}`, {
        path: source,
      });
    }
  }
  snapshotFile ??= buildSnapshotFileSchema();
  const parsed = snapshotFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const at = issue?.path.join('.') ?? '';
    throw new EvolveError(
      'INVALID_SNAPSHOT',
      `${source} is not a valid snapshot: ${issue?.message} at "${at}"`,
      {
        path: at ? `${source}#${at}` : source,
      },
    );
  }
  for (const [name, m] of Object.entries(parsed.data.models)) {
    if (m.name !== name) {
      throw new EvolveError('INVALID_SNAPSHOT', `${source}: model key ${name} holds model ${m.name}`, {
        path: `${source}#models.${name}`,
      });
    }
    if (m.fieldOrder && !listsEachField(m.fieldOrder, m.fields)) {
      throw new EvolveError(
        'INVALID_SNAPSHOT',
        `${source}: fieldOrder of model ${name} does not list each of its fields once`,
        { path: `${source}#models.${name}.fieldOrder` },
      );
    }
  }
  const snapshot = makeSnapshot(parsed.data.models as Snapshot['models']);
  if (snapshot.hash !== parsed.data.hash) {
    throw new EvolveError(
      'INVALID_SNAPSHOT',
      `${source}: content does not match its hash (edited by hand?); regenerate it with evolve`,
      { path: source },
    );
  }
  return snapshot;
}

/**
 * Checks an argument of a public function is a snapshot: one evolve made passes at once; anything else is
 * validated like a file (shape and hash), so that a foreign object is INVALID_SNAPSHOT naming `argument`,
 * never a TypeError from deep inside.
 *
 * @example
 * assertSnapshot(prev, 'prev'); // in diff()
 */
export function assertSnapshot(value: unknown, argument: string): asserts value is Snapshot {
  if (isMadeSnapshot(value)) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new EvolveError(
      'INVALID_SNAPSHOT',
      `${argument} is not a snapshot (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}); pass what toSnapshot or parseSnapshot returns`,
      { path: argument },
    );
  }
  parseSnapshot(value, argument);
}
