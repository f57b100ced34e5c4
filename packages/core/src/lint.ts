import { assertChangeSet } from './assert-change-set.ts';
import type { Change, ChangeSet } from './change-types.ts';
import { changePath, typeText } from './describe-change.ts';
import {
  INTEGER_KEYS_ALWAYS_FILLED,
  ONLINE_FOREIGN_KEY,
  ONLINE_UNIQUE_INDEX,
} from './dialects/engine-facts.ts';
import { pathText } from './field-tree.ts';
import { typeRelation } from './type-relation.ts';

/** Stable rule ids: tools, CI annotations and acknowledgements match on them. */
export type LintRule =
  | 'destructive-drop-model'
  | 'destructive-drop-field'
  | 'narrowing-type-change'
  | 'incompatible-type-change'
  | 'type-change-rewrites-data'
  | 'required-without-default'
  | 'unique-on-existing-data'
  | 'enum-value-removed'
  | 'rename-breaks-readers'
  | 'primary-key-change'
  | 'foreign-key-on-existing-data'
  | 'generated-key-removed';

/** One lint finding: what is risky, where, and the safer way to do it. */
export interface Finding {
  rule: LintRule;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** `Model` or `Model.field.path`. */
  path: string;
  suggestion?: string;
}

interface Context {
  created: ReadonlySet<string>;
  /** Whether an index / foreign key of the same meaning was dropped in the same set (a re-creation). */
  recreated: (change: Change) => boolean;
}

type Rule = (change: Change, context: Context) => Finding | undefined;

/**
 * Index and foreign key definitions name fields and models, so a rename re-creates them under new
 * names. Such a re-creation holds on existing data exactly when the old one did.
 */
function recreation(changes: readonly Change[]): (change: Change) => boolean {
  const modelName = new Map<string, string>();
  const fieldName = new Map<string, string>();
  for (const c of changes) {
    if (c.kind === 'renameModel') modelName.set(c.from, c.model);
    if (c.kind === 'renameField' && c.from.length === 1 && c.path.length === 1) {
      fieldName.set(`${c.model}.${c.from[0]}`, c.path[0] as string);
    }
  }
  const model = (m: string) => modelName.get(m) ?? m;
  const fields = (m: string, fs: readonly string[]) =>
    fs.map((f) => fieldName.get(`${m}.${f}`) ?? f).join(',');
  const dropped = new Set<string>();
  for (const c of changes) {
    if (c.kind === 'dropIndex' && c.index.unique)
      dropped.add(`i ${model(c.model)} ${fields(model(c.model), c.index.fields)}`);
    if (c.kind === 'dropForeignKey') {
      const to = model(c.foreignKey.references.model);
      dropped.add(
        `f ${model(c.model)} ${fields(model(c.model), c.foreignKey.fields)} ${to} ${fields(to, c.foreignKey.references.fields)}`,
      );
    }
  }
  return (c) => {
    if (c.kind === 'addIndex') return dropped.has(`i ${c.model} ${c.index.fields.join(',')}`);
    if (c.kind === 'addForeignKey') {
      const fk = c.foreignKey;
      return dropped.has(
        `f ${c.model} ${fk.fields.join(',')} ${fk.references.model} ${fk.references.fields.join(',')}`,
      );
    }
    return false;
  };
}

const rules: Rule[] = [
  (c) =>
    c.kind === 'dropModel'
      ? {
          rule: 'destructive-drop-model',
          severity: 'error',
          path: c.model,
          message: `model ${c.model} (table ${c.previous.table}) is dropped with all its data`,
          suggestion: `stop reading and writing ${c.model} in one release, back up or archive its data, then drop it in a later migration (acknowledge '${c.model}')`,
        }
      : undefined,
  (c) =>
    c.kind === 'dropField'
      ? {
          rule: 'destructive-drop-field',
          severity: 'error',
          path: changePath(c),
          message: `${changePath(c)} is dropped with its data`,
          suggestion: c.previous.optional
            ? `make sure no reader needs ${changePath(c)} any more, then acknowledge '${changePath(c)}'`
            : `first make ${changePath(c)} optional and deploy readers that do not need it, then drop it in a later migration`,
        }
      : undefined,
  (c) => {
    if (c.kind !== 'changeType') return undefined;
    const { relation, convert } = typeRelation(c.from, c.to);
    const at = changePath(c);
    const types = `${typeText(c.from)} -> ${typeText(c.to)}`;
    if (relation === 'narrowing') {
      return {
        rule: 'narrowing-type-change',
        severity: 'warning',
        path: at,
        message: `${at} narrows from ${types}: existing values may not fit`,
        suggestion: `add a new field of type ${typeText(c.to)}, backfill it with a transform that converts or rejects each value, then switch readers and drop ${at}`,
      };
    }
    if (relation === 'unrelated') {
      return {
        rule: 'incompatible-type-change',
        severity: 'error',
        path: at,
        message: `${at} changes to an unrelated type (${types}): existing values cannot be read as the new type`,
        suggestion: `add a new field with the new type, fill it with a transform from ${at}, move readers over, then drop the old field`,
      };
    }
    if (relation === 'widening' && convert) {
      return {
        rule: 'type-change-rewrites-data',
        severity: 'info',
        path: at,
        message: `${at} widens (${types}) but every stored value is rewritten`,
        suggestion: 'on large tables, run it as add column + batched backfill + swap instead of one ALTER',
      };
    }
    return undefined;
  },
  (c) => {
    const at = changePath(c);
    const suggestion = `give ${at} a default, or keep it optional and backfill existing rows with a transform before requiring it`;
    if (c.kind === 'addField' && !c.field.optional && !c.field.nullable && c.field.default === undefined) {
      return {
        rule: 'required-without-default',
        severity: 'warning',
        path: at,
        message: `${at} is added as required without a default: existing rows and documents have no value`,
        suggestion,
      };
    }
    if ((c.kind === 'changeNullable' || c.kind === 'changeOptional') && c.from && !c.to) {
      const was = c.kind === 'changeNullable' ? 'nullable' : 'optional';
      return {
        rule: 'required-without-default',
        severity: 'warning',
        path: at,
        message: `${at} was ${was} and becomes required: existing rows may hold no value`,
        suggestion,
      };
    }
    return undefined;
  },
  (c, { created, recreated }) =>
    c.kind === 'addIndex' && c.index.unique && !created.has(c.model) && !recreated(c)
      ? {
          rule: 'unique-on-existing-data',
          severity: 'warning',
          path: c.model,
          message: `unique index ${c.index.name} on ${c.model} (${c.index.fields.join(', ')}) fails if existing rows hold duplicates`,
          suggestion: `check for duplicates first (and clean them up in a transform); ${ONLINE_UNIQUE_INDEX}`,
        }
      : undefined,
  (c) =>
    c.kind === 'removeEnumValues'
      ? {
          rule: 'enum-value-removed',
          severity: 'warning',
          path: changePath(c),
          message: `${changePath(c)} loses enum values ${c.values.join(', ')}: rows holding them become invalid`,
          suggestion: `map ${c.values.join(', ')} to a remaining value with a transform first, and stop writing them before removing them`,
        }
      : undefined,
  (c) => {
    if (c.kind !== 'renameField' && c.kind !== 'renameModel' && c.kind !== 'renameTable') return undefined;
    const old = c.kind === 'renameField' ? pathText(c.from, c.model) : c.from;
    const now = c.kind === 'renameTable' ? c.to : changePath(c);
    return {
      rule: 'rename-breaks-readers',
      severity: 'warning',
      path: changePath(c),
      message: `${old} is renamed to ${now}: readers and writers that use the old name break`,
      suggestion: `deploy code that accepts both ${old} and ${now} first (expand), migrate, then remove the old name (contract)`,
    };
  },
  (c) =>
    c.kind === 'changePrimaryKey'
      ? {
          rule: 'primary-key-change',
          severity: 'warning',
          path: c.model,
          message: `${c.model}'s primary key changes from (${c.from.join(', ')}) to (${c.to.join(', ')}): the table is rebuilt and references to it must follow`,
          suggestion:
            'add a unique index on the new key first, check that it holds, then switch the primary key',
        }
      : undefined,
  (c, { created, recreated }) =>
    c.kind === 'addForeignKey' && !created.has(c.model) && !recreated(c)
      ? {
          rule: 'foreign-key-on-existing-data',
          severity: 'warning',
          path: c.model,
          message: `foreign key ${c.foreignKey.name} on ${c.model} (${c.foreignKey.fields.join(', ')}) fails if existing rows reference missing ${c.foreignKey.references.model} rows`,
          suggestion: `find and fix orphan rows first; ${ONLINE_FOREIGN_KEY}`,
        }
      : undefined,
  (c) =>
    c.kind === 'changeGenerated' && c.from && !c.to
      ? {
          rule: 'generated-key-removed',
          severity: 'warning',
          path: changePath(c),
          message: `${changePath(c)} is no longer generated: inserts that leave it out fail from then on (except ${INTEGER_KEYS_ALWAYS_FILLED})`,
          suggestion: `deploy writers that give ${changePath(c)} a value before this migration runs`,
        }
      : undefined,
];

/**
 * Findings for the risky changes of a change set, each with a stable rule id, the model/field path,
 * a message and the safer way to make the change.
 *
 * @example
 * lint(diff(v1, v2)); // [{ rule: 'destructive-drop-field', severity: 'error', path: 'User.age', ... }]
 */
export function lint(changeSet: ChangeSet): Finding[] {
  assertChangeSet(changeSet, 'changeSet');
  const created = new Set(changeSet.changes.filter((c) => c.kind === 'createModel').map((c) => c.model));
  const context: Context = { created, recreated: recreation(changeSet.changes) };
  const findings: Finding[] = [];
  for (const change of changeSet.changes) {
    for (const rule of rules) {
      const finding = rule(change, context);
      if (finding) findings.push(finding);
    }
  }
  return findings;
}
