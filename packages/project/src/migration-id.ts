import type { Change } from '@evolve/core';

/** `Split Name!` -> `split_name` (at most 48 characters). */
export function slug(name: string | undefined): string {
  return (name ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 48)
    .replace(/_+$/, '');
}

/**
 * The id of the next migration: its zero-padded sequence number and a slug of the given name, or of the
 * changes when there is none (`0003_add_user_email_and_more`).
 *
 * @example
 * migrationId(2, { changes, name: 'split name' }); // '0002_split_name'
 */
export function migrationId(
  sequence: number,
  options: { changes: readonly Change[]; name?: string },
): string {
  return `${String(sequence).padStart(4, '0')}_${slug(options.name) || slugFromChanges(options.changes)}`;
}

function slugFromChanges(changes: readonly Change[]): string {
  const first = changes[0];
  if (!first) return 'update';
  const verb: Record<string, string> = {
    createModel: 'create',
    dropModel: 'drop',
    renameModel: 'rename',
    addField: 'add',
    dropField: 'drop',
    renameField: 'rename',
    changeType: 'change',
    addIndex: 'index',
    dropIndex: 'drop index',
  };
  const models = [...new Set(changes.map((c) => c.model))];
  const creates = changes.some((c) => c.kind === 'createModel');
  if (
    creates &&
    changes.every((c) => c.kind === 'createModel' || c.kind === 'addIndex' || c.kind === 'addForeignKey')
  ) {
    return slug(`create ${models.join(' ')}`) || 'init';
  }
  const what =
    first.kind === 'renameField'
      ? `${first.model} ${first.from.join(' ')} to ${first.path.join(' ')}`
      : first.kind === 'renameModel'
        ? `${first.from} to ${first.model}`
        : [first.model, ...first.path].join(' ');
  return slug(`${verb[first.kind] ?? 'update'} ${what}${changes.length > 1 ? ' and more' : ''}`) || 'update';
}
