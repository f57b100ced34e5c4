import type { Change } from './change-types.ts';
import { pathText } from './field-tree.ts';
import type { TypeSnapshot } from './snapshot-types.ts';

/**
 * A change's path as acknowledgements and findings name it: `User.address.city` for field changes, `User`
 * for model-level ones.
 *
 * @example
 * changePath({ kind: 'dropField', model: 'User', path: ['email'] } as Change); // 'User.email'
 */
export const changePath = (change: Change): string => pathText(change.path, change.model);

/**
 * A short human-readable type: `string(max 50)`, `int`, `enum(a|b)`, `array<int>`.
 *
 * @example
 * typeText({ kind: 'enum', values: ['open', 'closed'] }); // 'enum(open|closed)'
 */
export function typeText(type: TypeSnapshot): string {
  switch (type.kind) {
    case 'string': {
      const extra = [
        type.format,
        type.maxLength !== undefined ? `max ${type.maxLength}` : undefined,
        type.unbounded ? 'unbounded' : undefined,
      ].filter(Boolean);
      return extra.length > 0 ? `string(${extra.join(', ')})` : 'string';
    }
    case 'number':
      return type.integer ? 'int' : 'number';
    case 'enum':
      return `enum(${type.values.join('|')})`;
    case 'literal':
      return `literal(${JSON.stringify(type.value)})`;
    case 'array':
      return `array<${typeText(type.element.type)}>`;
    case 'object':
      return `object{${Object.keys(type.fields).join(', ')}}`;
    default:
      return type.kind;
  }
}

/**
 * One line saying what a change does, e.g. `User.age: type int -> string`.
 *
 * @example
 * for (const change of diff(prev, next).changes) console.log(`${describeChange(change)} (${change.risk})`);
 */
export function describeChange(change: Change): string {
  const at = changePath(change);
  switch (change.kind) {
    case 'createModel':
      return `model ${change.model} is created`;
    case 'dropModel':
      return `model ${change.model} is dropped`;
    case 'renameModel':
      return `model ${change.from} is renamed to ${change.model}`;
    case 'renameTable':
      return `${change.model}: table ${change.from} is renamed to ${change.to}`;
    case 'changePrimaryKey':
      return `${change.model}: primary key (${change.from.join(', ')}) becomes (${change.to.join(', ')})`;
    case 'addField':
      return `${at} is added`;
    case 'dropField':
      return `${at} is dropped`;
    case 'renameField':
      return `${pathText(change.from, change.model)} is renamed to ${at}`;
    case 'changeType':
      return `${at}: type ${typeText(change.from)} -> ${typeText(change.to)}`;
    case 'changeNullable':
      return `${at} becomes ${change.to ? 'nullable' : 'not nullable'}`;
    case 'changeOptional':
      return `${at} becomes ${change.to ? 'optional' : 'required'}`;
    case 'changeDefault':
      return `${at}: default changes`;
    case 'changeColumn':
      return `${at}: column name or SQL type changes`;
    case 'addEnumValues':
      return `${at}: enum values ${change.values.join(', ')} are added`;
    case 'removeEnumValues':
      return `${at}: enum values ${change.values.join(', ')} are removed`;
    case 'addIndex':
      return `${change.model}: ${change.index.unique ? 'unique ' : ''}index ${change.index.name} (${change.index.fields.join(', ')}) is added`;
    case 'dropIndex':
      return `${change.model}: index ${change.index.name} is dropped`;
    case 'addForeignKey':
      return `${change.model}: foreign key ${change.foreignKey.name} is added`;
    case 'dropForeignKey':
      return `${change.model}: foreign key ${change.foreignKey.name} is dropped`;
  }
}
