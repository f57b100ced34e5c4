import type { ChangeSet, FieldSnapshot, Snapshot } from '@evolve/core';
import { access, objectType, propertyKey } from './emit-literal.ts';
import { emitOp, mentions, OPS } from './emit-step.ts';
import { planChangeSet } from './plan-change-set.ts';
import { stepKeys } from './step-keys.ts';
import type { DocOp, StepPlan } from './step-plan.ts';

export interface EmitDocumentSectionOptions {
  before: Snapshot;
  after: Snapshot;
  /** The version the step leads to (the migration's sequence number); names the shape types `EventV3`. */
  version?: number;
  /** The document version field (default `_v`), typed in each shape. */
  versionField?: string;
  /** Where generated modules import the document ops from (default `@evolve/document`). */
  importFrom?: string;
}

export interface DocumentSectionSource {
  /** An object literal for the migration's `documents:` member (empty `{}` when no document model changed). */
  code: string;
  /** Import lines the code needs. */
  imports: string[];
  /** Type declarations of each version's shape, for the module's top level. */
  types?: string;
  /** The planned steps (for tests and tooling). */
  plans: StepPlan[];
}

function shapeType(name: string, fields: Record<string, FieldSnapshot>, versionField: string, doc: string) {
  const extra: string[] = [];
  if (!Object.hasOwn(fields, '_id')) extra.push('_id?: unknown');
  if (!Object.hasOwn(fields, versionField)) extra.push(`${propertyKey(versionField)}?: number`);
  return `/** ${doc} */\nexport type ${name} = ${objectType(fields, '', extra)};`;
}

/** A step function's source: its signature names only the parameters its body uses (`_t` otherwise). */
function stepFunction(
  name: 'up' | 'down',
  types: { from: string; to: string },
  ops: readonly DocOp[],
  model: string,
  before: Record<string, FieldSnapshot>,
): string[] {
  const code = body(ops, model, before, '      ');
  const t = mentions(code, 't') ? 't' : '_t';
  return [
    `    ${name}(doc: ${types.from}, ${t}: StepTransforms = {}, owned = false): ${types.to} {`,
    code,
    `      return out as ${types.to};`,
    '    },',
  ];
}

function body(
  ops: readonly DocOp[],
  model: string,
  before: Record<string, FieldSnapshot>,
  indent: string,
): string {
  const { detached, fresh } = stepKeys(ops, before);
  const transforms = ops.some((op) => 'key' in op && op.key !== undefined);
  const declared = [...detached, ...fresh].map((k) => `${propertyKey(k)}: undefined`);
  // `owned`: the caller (createUpgrader) hands over its own working copy, so the step edits it in place.
  // Otherwise the step copies the document, declaring the members it removes or adds in the copy (adding
  // or deleting members on a copy is slow in V8). A member set to undefined is absent.
  const edits = ops.flatMap((op) => emitOp(op, model, detached));
  const lines = [
    // in place only when no transform may still read the document as it was before this step
    transforms ? `const inPlace = owned && !${OPS}.hasAny(t);` : 'const inPlace = owned;',
    ...(mentions(edits.join('\n'), 'old') ? ['const old: Record<string, unknown> = doc;'] : []),
    `const out: Record<string, unknown> = inPlace ? doc : { ...doc${declared.map((d) => `, ${d}`).join('')} };`,
    // in place too, the members the step creates start absent (a stored member of that name is replaced)
    ...(fresh.length > 0
      ? [`if (inPlace) { ${fresh.map((k) => `${access('out', k)} = undefined;`).join(' ')} }`]
      : []),
    ...edits,
  ];
  return lines.map((l) => `${indent}${l}`).join('\n');
}

/**
 * Writes the `documents` section of a migration module: for each document model the change set
 * changes, typed `up` and `down` functions (plain TypeScript over `docOps` helpers), and the types of the
 * model's shape before and after. `t` is the migration's transforms for that model, so a transform
 * edited in the file feeds both the SQL backfill and the document upgrade. A change without a safe
 * derivation becomes a call that throws `TODO_TRANSFORM` until the transform or code is written.
 *
 * @example
 * const { code, imports, types } = emitDocumentSection(changeSet, { before, after, version: 3 });
 * const source = `${imports.join('\n')}\n${types}\nexport default defineMigration({ ..., documents: ${code} });`;
 */
export function emitDocumentSection(
  changeSet: Pick<ChangeSet, 'changes'>,
  options: EmitDocumentSectionOptions,
): DocumentSectionSource {
  const versionField = options.versionField ?? '_v';
  const idle = (ops: readonly DocOp[]) => ops.every((op) => op.op === 'note');
  // a model whose step leaves documents as they are (a model rename, an index) needs no functions
  const plans = planChangeSet(changeSet, options).filter((p) => !idle(p.up) || !idle(p.down));
  if (plans.length === 0) return { code: '{}', imports: [], plans };
  const types: string[] = [];
  const members: string[] = [];
  for (const plan of plans) {
    const v = options.version;
    const beforeName = `${plan.previousModel}${v === undefined ? 'Before' : `V${v - 1}`}`;
    const afterName = `${plan.model}${v === undefined ? 'After' : `V${v}`}`;
    types.push(
      shapeType(
        beforeName,
        plan.before,
        versionField,
        `${plan.previousModel} ${v === undefined ? 'before this migration' : `at version ${v - 1}`}`,
      ),
      shapeType(
        afterName,
        plan.after,
        versionField,
        `${plan.model} ${v === undefined ? 'after this migration' : `at version ${v}`}`,
      ),
    );
    const lossy = plan.lossless ? '' : ' (lossy: see the comments in `down`)';
    members.push(
      [
        `  ${propertyKey(plan.model)}: {`,
        `    /** ${beforeName} -> ${afterName} */`,
        ...stepFunction('up', { from: beforeName, to: afterName }, plan.up, plan.model, plan.before),
        `    /** ${afterName} -> ${beforeName}${lossy} */`,
        ...stepFunction(
          'down',
          { from: afterName, to: beforeName },
          plan.down,
          plan.previousModel,
          plan.after,
        ),
        '  },',
      ].join('\n'),
    );
  }
  const from = options.importFrom ?? '@evolve/document';
  return {
    code: `{\n${members.join('\n')}\n}`,
    imports: [`import { docOps as ${OPS}, type StepTransforms } from '${from}';`],
    types: types.join('\n\n'),
    plans,
  };
}
