import { type Change, EvolveError, type FieldSnapshot, type JsonValue } from '@evolve/core';
import { moveScope } from './doc-ops/move-in.ts';
import { applyFieldChange, type FieldRecord, fieldAt } from './field-state.ts';
import { planConversion } from './plan-conversion.ts';
import type { DocOp, StepPlan, ValuePlan } from './step-plan.ts';

const dotted = (path: readonly string[]) => path.join('.');

function constantDefault(field: FieldSnapshot): ValuePlan | undefined {
  return field.default && 'value' in field.default
    ? { kind: 'constant', value: field.default.value, type: field.type }
    : undefined;
}

/** An object whose members all have a constant default, or are nullable or optional. */
function derivedObject(field: FieldSnapshot): JsonValue | undefined {
  if (field.type.kind !== 'object') return undefined;
  const out: Record<string, JsonValue> = {};
  for (const [name, member] of Object.entries(field.type.fields)) {
    if (
      member.default &&
      'value' in member.default &&
      member.type.kind !== 'date' &&
      member.type.kind !== 'bigint'
    ) {
      out[name] = member.default.value;
    } else if (member.optional) continue;
    else if (member.nullable) out[name] = null;
    else {
      const inner = derivedObject(member);
      if (inner === undefined) return undefined;
      out[name] = inner;
    }
  }
  return out;
}

/** The value of a newly added field when no transform is given. */
function addedValue(field: FieldSnapshot, path: string): ValuePlan {
  const object = field.optional || field.nullable ? undefined : derivedObject(field);
  return (
    constantDefault(field) ??
    (object !== undefined ? { kind: 'constant', value: object, type: field.type } : undefined) ??
    (field.optional
      ? { kind: 'absent' }
      : field.nullable
        ? { kind: 'null' }
        : { kind: 'todo', hint: `${path} is required and has no constant default` })
  );
}

/** What `down` writes back for a field whose value the newer version no longer has. */
function restoredValue(field: FieldSnapshot): ValuePlan {
  return (
    constantDefault(field) ??
    (field.optional
      ? { kind: 'absent' }
      : field.nullable
        ? { kind: 'null' }
        : { kind: 'zero', type: field.type })
  );
}

function describe(plan: ValuePlan): string {
  switch (plan.kind) {
    case 'constant':
      return `the default ${JSON.stringify(plan.value)}`;
    case 'null':
      return 'null';
    case 'absent':
      return 'nothing (optional)';
    case 'zero':
      return "the type's empty value (the original value is lost)";
    case 'todo':
      return 'a transform (TODO)';
  }
}

interface Planned {
  up: DocOp;
  down: DocOp;
  lossless: boolean;
}

/** Where a change applies: its path, `Model.path` for messages, its dotted key, and a note op there. */
interface ChangeSite {
  path: string[];
  at: string;
  key: string;
  note(text: string): DocOp;
}

function siteOf(change: Change, model: string): ChangeSite {
  const path = change.path;
  return {
    path,
    at: `${model}.${dotted(path)}`,
    key: dotted(path),
    note: (text) => ({ op: 'note', path, note: text }),
  };
}

function planMove(change: Extract<Change, { kind: 'renameField' }>, site: ChangeSite): Planned | undefined {
  const { path, key } = site;
  const from = change.from;
  if (!moveScope(from, path)) {
    const why = `moving ${dotted(from)} to ${key} crosses arrays: write this step by hand`;
    return {
      up: { op: 'unsupported', path: from, note: why },
      down: { op: 'unsupported', path, note: why },
      lossless: false,
    };
  }
  const verb = from.length === path.length ? 'rename' : from.length > path.length ? 'hoist' : 'plunge';
  return {
    up: { op: 'move', from, to: path, note: `${verb} ${dotted(from)} -> ${key}` },
    down: { op: 'move', from: path, to: from, note: `undo: ${key} -> ${dotted(from)}` },
    lossless: true,
  };
}

function planTypeChange(
  change: Extract<Change, { kind: 'changeType' }>,
  site: ChangeSite,
): Planned | undefined {
  const { path, key } = site;
  const up = planConversion(change.from, change.to);
  const down = planConversion(change.to, change.from);
  const what = `${change.from.kind} -> ${change.to.kind}`;
  return {
    up: {
      op: 'convert',
      path,
      key,
      ...(up ? { steps: up.steps } : {}),
      note: up ? `${key}: ${what}` : `${key}: ${what} has no safe conversion: needs a transform (TODO)`,
    },
    down: {
      op: 'convert',
      path,
      ...(down ? { steps: down.steps } : {}),
      note: down ? `${key}: back ${change.to.kind} -> ${change.from.kind}` : `${key}: no way back (TODO)`,
    },
    lossless: Boolean(up?.total && up.lossless && down),
  };
}

/** How a field's null or missing value is named and filled: what `changeNullable` / `changeOptional` plan. */
const PRESENCE = {
  changeNullable: {
    flag: 'nullable',
    when: 'null',
    relaxed: (key: string) => `${key} may now be null`,
    restored: (key: string, value: string) => `${key}: null becomes ${value}`,
    tightened: (key: string, value: string) => `${key} is no longer nullable: null becomes ${value}`,
    reverted: (key: string) => `${key} may be null again`,
    // a field that may be missing can drop a null instead of needing a value
    fallback: (field: FieldSnapshot): ValuePlan | undefined =>
      field.optional ? { kind: 'absent' } : undefined,
  },
  changeOptional: {
    flag: 'optional',
    when: 'missing',
    relaxed: (key: string) => `${key} is now optional`,
    restored: (key: string, value: string) => `${key}: a missing value becomes ${value}`,
    tightened: (key: string, value: string) => `${key} is now required: fill ${value}`,
    reverted: (key: string) => `${key} is optional again`,
    fallback: (field: FieldSnapshot): ValuePlan | undefined =>
      field.nullable ? { kind: 'null' } : undefined,
  },
} as const;

/**
 * A field that may now be null or missing (`to` true: nothing to do up, a value restored down), or no longer
 * (a constant default, the other way of being empty, or a TODO fills it up; nothing to undo down).
 */
function planPresence(
  change: Extract<Change, { kind: 'changeNullable' | 'changeOptional' }>,
  before: FieldRecord,
  after: FieldRecord,
  site: ChangeSite,
): Planned | undefined {
  const { path, at, key, note } = site;
  const words = PRESENCE[change.kind];
  const field = fieldAt(change.to ? before : after, path);
  if (!field) return undefined;
  if (change.to) {
    const value = restoredValue({ ...field, [words.flag]: false });
    return {
      up: note(words.relaxed(key)),
      down: { op: 'fill', path, when: words.when, value, note: words.restored(key, describe(value)) },
      lossless: true,
    };
  }
  const value = constantDefault(field) ?? words.fallback(field) ?? todoFor(at, words.when);
  return {
    up: { op: 'fill', path, when: words.when, key, value, note: words.tightened(key, describe(value)) },
    down: note(words.reverted(key)),
    lossless: false,
  };
}

function planChange(
  change: Change,
  before: FieldRecord,
  after: FieldRecord,
  model: string,
): Planned | undefined {
  const site = siteOf(change, model);
  const { path, at, key, note } = site;
  switch (change.kind) {
    case 'addField': {
      const value = addedValue(change.field, at);
      return {
        up: { op: 'add', path, key, value, note: `add ${key}: the transform, else ${describe(value)}` },
        down: { op: 'remove', path, note: `remove ${key} (added in this step)` },
        lossless: true,
      };
    }
    case 'dropField': {
      const value = restoredValue(change.previous);
      return {
        up: { op: 'remove', path, note: `drop ${key}` },
        down: {
          op: 'add',
          path,
          value,
          note: `restore ${key} as ${describe(value)}: the dropped value itself cannot be restored`,
        },
        lossless: false,
      };
    }
    case 'renameField':
      return planMove(change, site);
    case 'changeType':
      return planTypeChange(change, site);
    case 'changeNullable':
    case 'changeOptional':
      return planPresence(change, before, after, site);
    case 'changeDefault':
      return {
        up: note(`${key}: new default (applies on write)`),
        down: note(`${key}: old default`),
        lossless: true,
      };
    case 'addEnumValues':
      return {
        up: note(`${key}: adds ${change.values.join(', ')}`),
        down: {
          op: 'mapValues',
          path,
          values: change.values,
          note: `${key}: ${change.values.join(', ')} do not exist at the older version (TODO: map them)`,
        },
        lossless: true,
      };
    case 'removeEnumValues':
      return {
        up: {
          op: 'mapValues',
          path,
          key,
          values: change.values,
          note: `${key}: ${change.values.join(', ')} are removed: the transform maps them`,
        },
        down: note(`${key}: ${change.values.join(', ')} are allowed again`),
        lossless: false,
      };
    default:
      return undefined;
  }
}

function todoFor(at: string, what: string): ValuePlan {
  return { kind: 'todo', hint: `${at} has no default for ${what} values` };
}

/**
 * Plans the document edits of one model's version step: the ops for `up` (in change order) and `down`
 * (inverse ops, in reverse order). `before` is the model's fields at the step's start.
 *
 * @example
 * const plan = planDocumentStep({ model: 'Event', changes, before: snapshot.models.Event!.fields });
 */
export function planDocumentStep(options: {
  model: string;
  previousModel?: string;
  changes: readonly Change[];
  before: Readonly<FieldRecord>;
}): StepPlan {
  const { model, changes } = options;
  const state: FieldRecord = structuredClone(options.before) as FieldRecord;
  const up: DocOp[] = [];
  const down: DocOp[] = [];
  let lossless = true;
  for (const change of changes) {
    if (change.model !== model) continue;
    if (change.kind === 'createModel' || change.kind === 'dropModel') {
      throw new EvolveError(
        'UNSUPPORTED_CHANGE',
        `${change.kind} ${model} is not a document step: upgraders start after the model is created`,
        { path: model },
      );
    }
    const prev = structuredClone(state);
    applyFieldChange(state, change);
    const planned = planChange(change, prev, state, model);
    if (!planned) continue;
    up.push(planned.up);
    down.unshift(planned.down);
    lossless &&= planned.lossless;
  }
  return {
    model,
    previousModel: options.previousModel ?? model,
    up,
    down,
    lossless,
    before: structuredClone(options.before) as FieldRecord,
    after: state,
  };
}
