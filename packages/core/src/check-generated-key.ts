import { EvolveError } from './errors.ts';
import { readField } from './read-field.ts';

/**
 * The rule for a generated field (`.meta({ generated: 'identity' })`): it is the whole primary key of an sql
 * model, an integer (`z.number().int()`) or a `z.bigint()`, neither nullable, optional nor defaulted (the
 * database supplies the value), and takes its SQL type from that zod type (no `sqlType`: a rowid alias needs the
 * type `INTEGER` exactly). Anything else is INVALID_MODEL at `Model.field`.
 *
 * @example
 * defineModel('User', { shape: { id: z.number().int().meta({ generated: 'identity' }) } }); // passes the check
 * defineModel('User', { shape: { id: z.string().meta({ generated: 'identity' }) } }); // INVALID_MODEL at User.id
 */
export function checkGeneratedKey(at: {
  model: string;
  target: 'sql' | 'document';
  primaryKey: readonly string[];
  field: string;
  schema: unknown;
}): void {
  const path = `${at.model}.${at.field}`;
  const refuse = (why: string): never => {
    throw new EvolveError('INVALID_MODEL', `${path} cannot be generated: ${why}`, { path });
  };
  if (at.target !== 'sql') refuse('generated keys are for sql models (a document store assigns its own _id)');
  if (at.primaryKey.length !== 1 || at.primaryKey[0] !== at.field) {
    refuse(`only a single-column primary key can be generated (the key is ${at.primaryKey.join(', ')})`);
  }
  const { field } = readField(at.schema as never, path);
  const integer = (field.type.kind === 'number' && field.type.integer) || field.type.kind === 'bigint';
  if (!integer) refuse('a generated key must be z.number().int() or z.bigint()');
  if (field.nullable || field.optional) refuse('a generated key is never null or missing in a stored row');
  if (field.default !== undefined) refuse('the database supplies its value, so it takes no default');
  if (field.sqlType !== undefined) {
    refuse('its SQL type follows the zod type (integer or bigint); remove the sqlType override');
  }
}
