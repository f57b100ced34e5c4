import { EvolveError, type FieldSnapshot, type Migration, type Model, type TypeSnapshot } from '@evolve/core';
import { modelHistory } from './model-history.ts';

/** A MongoDB `$jsonSchema` node (the subset MongoDB supports: `bsonType`, no `format`, `$ref` or `default`). */
export type JsonSchemaNode = Record<string, unknown>;

export interface DocumentValidatorOptions {
  model: Model | string;
  migrations: readonly Migration[];
  /**
   * Versions whose documents may still be stored (during a transition, before a sweep has upgraded
   * everything). Default: only the latest.
   */
  live?: readonly number[];
  versionField?: string;
}

const NUMBER = ['int', 'long', 'double', 'decimal'];

function typeNode(type: TypeSnapshot, nullable: boolean): JsonSchemaNode {
  const withNull = (bsonType: string | string[]) => {
    const list = Array.isArray(bsonType) ? bsonType : [bsonType];
    return nullable ? [...list, 'null'] : list.length === 1 ? list[0] : list;
  };
  switch (type.kind) {
    case 'string':
      return {
        bsonType: withNull('string'),
        ...(type.maxLength === undefined ? {} : { maxLength: type.maxLength }),
      };
    case 'number':
      return { bsonType: withNull(type.integer ? ['int', 'long', 'double'] : NUMBER) };
    case 'bigint':
      return { bsonType: withNull('long') };
    case 'boolean':
      return { bsonType: withNull('bool') };
    case 'date':
      return { bsonType: withNull('date') };
    case 'enum':
      return { enum: nullable ? [...type.values, null] : [...type.values] };
    case 'literal':
      return { enum: nullable ? [type.value, null] : [type.value] };
    case 'json':
      return {};
    case 'array':
      return { bsonType: withNull('array'), items: fieldNode(type.element) };
    case 'object':
      return { bsonType: withNull('object'), ...objectMembers(type.fields) };
  }
}

function fieldNode(field: FieldSnapshot): JsonSchemaNode {
  return typeNode(field.type, field.nullable);
}

function objectMembers(fields: Record<string, FieldSnapshot>): JsonSchemaNode {
  const required = Object.keys(fields).filter(
    (k) => !fields[k]?.optional && fields[k]?.default === undefined,
  );
  const properties: Record<string, JsonSchemaNode> = {};
  for (const [name, f] of Object.entries(fields)) properties[name] = fieldNode(f);
  return { ...(required.length > 0 ? { required } : {}), properties };
}

/**
 * A MongoDB collection validator (`{ $jsonSchema }`) generated from the model history. During a
 * transition it accepts every live version (one `anyOf` branch per version, told apart by the version
 * field; documents of the creating version may lack it); afterwards, with `live` left out, only the latest.
 *
 * @example
 * await client.db('app').command({ collMod: 'events', validator: documentValidator({ model: Event, migrations, live: [2, 3] }) });
 */
export function documentValidator(options: DocumentValidatorOptions): { $jsonSchema: JsonSchemaNode } {
  const name = typeof options.model === 'string' ? options.model : options.model.name;
  const history = modelHistory(options.migrations, name);
  const versionField = options.versionField ?? '_v';
  const live = [...new Set(options.live ?? [history.latestVersion])].sort((a, b) => b - a);
  const branches = live.map((version) => {
    const shape = history.shapes.get(version);
    if (!shape) {
      throw new EvolveError(
        'NOT_FOUND',
        `${name} has no version ${version} (known: ${history.versions.join(', ')})`,
        { path: name },
      );
    }
    const members = objectMembers(shape.fields);
    const required = [...((members.required as string[] | undefined) ?? [])];
    if (version !== history.createdVersion) required.push(versionField);
    return {
      bsonType: 'object',
      title: `${name} v${version}`,
      ...(required.length > 0 ? { required } : {}),
      properties: { ...(members.properties as object), [versionField]: { enum: [version] } },
    };
  });
  const only = branches.length === 1 ? branches[0] : undefined;
  return { $jsonSchema: only ?? { anyOf: branches } };
}
