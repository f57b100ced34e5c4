import type {
  DefaultSnapshot,
  DiffOptions,
  FieldSnapshot,
  ModelSnapshot,
  RenameHints,
  Snapshot,
  TypeSnapshot,
} from '../src/index.ts';
import { makeSnapshot, typeRelation } from '../src/index.ts';

/** A small seeded PRNG (mulberry32), so fast-check only has to produce a seed. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)] as T;
  }
  shuffle<T>(xs: readonly T[]): T[] {
    const out = [...xs];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

const FIELD_NAMES = ['a', 'b', 'c', 'd', 'e', 'f'];
const MODEL_NAMES = ['User', 'Post', 'Order', 'Item', 'Tag'];
const ENUM_VALUES = ['red', 'green', 'blue', 'cyan', 'pink'];
const DEFAULTS: DefaultSnapshot[] = [{ value: 'x' }, { value: 2 }, { value: null }, { dynamic: true }];

function scalarType(r: Rng): TypeSnapshot {
  switch (r.int(9)) {
    case 0: {
      const t: TypeSnapshot = { kind: 'string' };
      if (r.chance(0.3)) t.maxLength = r.pick([10, 50, 255]);
      if (r.chance(0.2)) t.format = r.pick(['uuid', 'email', 'url', 'datetime'] as const);
      return t;
    }
    case 1:
      return { kind: 'number', integer: true };
    case 2:
      return { kind: 'number', integer: false };
    case 3:
      return { kind: 'bigint' };
    case 4:
      return { kind: 'boolean' };
    case 5:
      return { kind: 'date' };
    case 6:
      return { kind: 'enum', values: r.shuffle(ENUM_VALUES).slice(0, 1 + r.int(4)) };
    case 7:
      return { kind: 'literal', value: r.pick(['x', 1, true]) };
    default:
      return { kind: 'json' };
  }
}

/** A random value type; containers (arrays, objects) down to depth 3. */
export function randomType(r: Rng, depth: number): TypeSnapshot {
  const k = r.int(depth < 3 ? 12 : 9);
  if (k < 9) return scalarType(r);
  if (k === 9) return { kind: 'array', element: randomField(r, depth + 1, true) };
  return { kind: 'object', fields: randomFields(r, depth + 1, 1 + r.int(3)) };
}

export function randomField(r: Rng, depth: number, element = false): FieldSnapshot {
  const field: FieldSnapshot = { type: randomType(r, depth), nullable: r.chance(0.2), optional: false };
  if (!element) field.optional = r.chance(0.2);
  if (r.chance(0.15)) field.default = r.pick(DEFAULTS);
  if (!element && r.chance(0.1)) field.sqlType = 'text';
  return field;
}

function randomFields(r: Rng, depth: number, count: number): Record<string, FieldSnapshot> {
  const out: Record<string, FieldSnapshot> = {};
  for (const name of r.shuffle(FIELD_NAMES).slice(0, count)) out[name] = randomField(r, depth);
  return out;
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

const indexName = (table: string, fields: string[], unique: boolean) =>
  `${table}_${fields.join('_')}_${unique ? 'key' : 'idx'}`;

function randomModel(r: Rng, name: string, target: 'sql' | 'document'): ModelSnapshot {
  const pk = target === 'sql' ? 'id' : '_id';
  const fields: Record<string, FieldSnapshot> = {
    [pk]: {
      type: target === 'sql' ? { kind: 'number', integer: true } : { kind: 'string' },
      nullable: false,
      optional: false,
    },
    ...randomFields(r, 0, 1 + r.int(5)),
  };
  const model: ModelSnapshot = {
    name,
    target,
    table: name.toLowerCase(),
    primaryKey: [pk],
    fields,
    indexes: [],
    foreignKeys: [],
  };
  if (target === 'sql' && r.chance(0.3)) (fields[pk] as FieldSnapshot).generated = 'identity';
  if (target === 'sql') {
    // columns as toSnapshot marks them: a string without a max length (nor a short format) is unbounded
    for (const field of Object.values(fields)) {
      const t = field.type;
      const short = t.kind === 'string' && t.format !== undefined && t.format !== 'url';
      if (t.kind === 'string' && t.maxLength === undefined && !short && field.sqlType === undefined) {
        field.type = { ...t, unbounded: true };
      }
    }
  }
  const roots = Object.keys(fields).filter((f) => f !== pk);
  for (let i = r.int(3); i > 0 && roots.length > 0; i--) {
    const cols = r.shuffle(roots).slice(0, 1 + r.int(2));
    const unique = r.chance(0.3);
    const index = { name: indexName(model.table, cols, unique), fields: cols, unique };
    if (!model.indexes.some((x) => x.name === index.name)) model.indexes.push(index);
  }
  model.indexes.sort(byName);
  return model;
}

function addForeignKey(r: Rng, model: ModelSnapshot, targets: readonly ModelSnapshot[], field: string): void {
  const target = r.pick(targets);
  model.fields[field] = { type: { kind: 'number', integer: true }, nullable: r.chance(0.5), optional: false };
  model.foreignKeys.push({
    name: `${model.table}_${field}_fkey`,
    fields: [field],
    references: { model: target.name, fields: ['id'] },
    onDelete: r.pick(['cascade', 'restrict', 'set null', 'no action'] as const),
  });
  model.foreignKeys.sort(byName);
}

/** A random schema: 1-4 models (mostly sql), nested fields, indexes, foreign keys between sql models. */
export function randomModels(r: Rng): Record<string, ModelSnapshot> {
  const models = r
    .shuffle(MODEL_NAMES)
    .slice(0, 1 + r.int(4))
    .map((name) => randomModel(r, name, r.chance(0.7) ? 'sql' : 'document'));
  const sql = models.filter((m) => m.target === 'sql');
  for (const model of sql) if (r.chance(0.4)) addForeignKey(r, model, sql, `ref_${r.int(3)}`);
  return Object.fromEntries(models.map((m) => [m.name, m]));
}

/** A related pair: `b` is `a` after random edits, with the answers a caller would give to diff. */
export interface RandomPair {
  a: Snapshot;
  b: Snapshot;
  options: DiffOptions;
  /** Whether some scope has a drop nobody answered and a new name it could be renamed to: diff must refuse. */
  ambiguous: boolean;
}

const clone = <T>(x: T): T => structuredClone(x);

/** What vanished without an answer and what appeared in one scope (their types decide the candidates). */
interface Scope {
  unanswered: TypeSnapshot[];
  added: TypeSnapshot[];
}

/** The rename rule, stated here for the test: same kind of value, or kinds that convert (typeRelation). */
const plausible = (from: TypeSnapshot, to: TypeSnapshot) =>
  from.kind === to.kind || typeRelation(from, to).relation !== 'unrelated';
const ambiguousScope = (s: Scope) => s.unanswered.some((a) => s.added.some((b) => plausible(a, b)));

/** Random edits of a schema: drops, adds, renames (hints or answers), moves, type and flag changes. */
export function randomPair(r: Rng): RandomPair {
  const aModels = randomModels(r);
  const renames: Record<string, string> = {};
  const drops: string[] = [];
  const hints: RenameHints = { models: {}, fields: {} };
  const scopes: Scope[] = [];
  let fresh = 0;
  const freshName = (prefix = 'n') => `${prefix}${++fresh}`;
  const bModels: Record<string, ModelSnapshot> = {};
  const newName = new Map<string, string | null>();
  const unansweredModelDrops: ModelSnapshot['target'][] = [];
  const rootScopes = new Map<string, Scope>();

  for (const old of Object.values(aModels)) {
    const x = r.int(100);
    if (x < 8) {
      newName.set(old.name, null);
      if (r.chance(0.8)) drops.push(old.name);
      else unansweredModelDrops.push(old.target);
    } else if (x < 16) {
      const name = freshName('M');
      newName.set(old.name, name);
      if (r.chance(0.5)) renames[old.name] = name;
      else hints.models[name] = old.name;
    } else newName.set(old.name, old.name);
  }

  for (const old of Object.values(aModels)) {
    const name = newName.get(old.name);
    if (!name) continue;
    const model: ModelSnapshot = clone(old);
    model.name = name;
    if (r.chance(0.1)) model.table = freshName('t');
    const protect = new Set([...old.primaryKey, ...old.foreignKeys.flatMap((fk) => fk.fields)]);
    const renamedRoots = new Map<string, string | null>();
    const nestedCandidates: Array<{
      record: Record<string, FieldSnapshot>;
      name: string;
      oldPath: string[];
      newPath: string[];
    }> = [];
    /** Hints under a moved node name it by its new path, as toSnapshot's would. */
    const relocate = (from: string[], to: string[]) => {
      const prefix = `${name}.${from.join('.')}.`;
      for (const [k, v] of Object.entries(hints.fields)) {
        if (!k.startsWith(prefix)) continue;
        delete hints.fields[k];
        const rest = k.slice(prefix.length);
        const sibling = v.split('.').slice(0, -1).join('.') === k.split('.').slice(1, -1).join('.');
        const value =
          sibling && v.startsWith(`${from.join('.')}.`)
            ? `${to.join('.')}.${v.slice(from.join('.').length + 1)}`
            : v;
        hints.fields[`${name}.${to.join('.')}.${rest}`] = value;
      }
    };
    const objectRoots: string[] = [];

    const mutateScope = (
      oldFields: Record<string, FieldSnapshot>,
      oldPath: string[],
      newPath: string[],
      depth: number,
      underArray: boolean,
    ): Record<string, FieldSnapshot> => {
      const scope: Scope = { unanswered: [], added: [] };
      scopes.push(scope);
      const out: Record<string, FieldSnapshot> = {};
      for (const fieldName of Object.keys(oldFields).sort()) {
        const node = oldFields[fieldName] as FieldSnapshot;
        const op = [...oldPath, fieldName];
        const locked = depth === 0 && protect.has(fieldName);
        const x = r.int(100);
        if (!locked && x < 8) {
          if (r.chance(0.85)) drops.push(`${r.chance(0.8) ? old.name : name}.${op.join('.')}`);
          else scope.unanswered.push(node.type);
          if (depth === 0) renamedRoots.set(fieldName, null);
          continue;
        }
        let target = fieldName;
        if (!locked && x < 16) {
          target = freshName();
          // the model part of a rename key may be the old or the new model name
          if (r.chance(0.5)) renames[`${r.chance(0.7) ? old.name : name}.${op.join('.')}`] = target;
          else hints.fields[`${name}.${[...newPath, target].join('.')}`] = [...newPath, fieldName].join('.');
          if (depth === 0) renamedRoots.set(fieldName, target);
        }
        const np = [...newPath, target];
        const { field, recursedObject } = mutateNode(node, op, np, depth, false, underArray);
        out[target] = field;
        if (depth > 0 && !underArray && target === fieldName) {
          nestedCandidates.push({ record: out, name: fieldName, oldPath: op, newPath: np });
        }
        if (depth === 0 && recursedObject) objectRoots.push(target);
      }
      if (r.chance(0.2)) {
        const added = randomField(r, depth + 1);
        out[freshName()] = added;
        scope.added.push(added.type);
      }
      return out;
    };

    const mutateNode = (
      node: FieldSnapshot,
      op: string[],
      np: string[],
      depth: number,
      element: boolean,
      underArray: boolean,
    ): { field: FieldSnapshot; recursedObject: boolean } => {
      const field = clone(node);
      let recursedObject = false;
      const x = r.int(100);
      if (x < 10) {
        // containers only become scalars, so no new scope appears where diff would compare names
        field.type =
          node.type.kind === 'object' || node.type.kind === 'array'
            ? scalarType(r)
            : randomType(r, depth + 1);
      } else if (node.type.kind === 'object') {
        field.type = { kind: 'object', fields: mutateScope(node.type.fields, op, np, depth + 1, underArray) };
        recursedObject = true;
      } else if (node.type.kind === 'array') {
        const el = mutateNode(node.type.element, [...op, '[]'], [...np, '[]'], depth + 1, true, true);
        field.type = { kind: 'array', element: el.field };
      } else if (node.type.kind === 'enum' && x < 35) {
        const kept = node.type.values.filter(() => r.chance(0.7));
        const extra = r.shuffle(ENUM_VALUES.filter((v) => !kept.includes(v))).slice(0, r.int(2));
        const values = [...new Set([...kept, ...extra])];
        field.type = { kind: 'enum', values: values.length > 0 ? values : ['red'] };
      }
      if (r.chance(0.1)) field.nullable = !field.nullable;
      if (!element && r.chance(0.1)) field.optional = !field.optional;
      if (r.chance(0.1)) {
        const d = r.pick([undefined, ...DEFAULTS]);
        if (d) field.default = d;
        else delete field.default;
      }
      if (!element && r.chance(0.05)) {
        if (field.column) delete field.column;
        else field.column = `${np[np.length - 1]}_col`;
      }
      return { field, recursedObject };
    };

    const rootAt = scopes.length;
    model.fields = mutateScope(old.fields, [], [], 0, false);
    const rootScope = scopes[rootAt] as Scope;
    rootScopes.set(name, rootScope);

    // one move per model at most: hoist a nested field to the root, or plunge a root field into an object
    const movable = Object.keys(model.fields).filter(
      (f) =>
        !protect.has(f) && !model.indexes.some((i) => i.fields.includes(f)) && Object.hasOwn(old.fields, f),
    );
    const m = r.int(100);
    if (m < 12 && nestedCandidates.length > 0) {
      const c = r.pick(nestedCandidates);
      const node = c.record[c.name] as FieldSnapshot;
      delete c.record[c.name];
      const target = freshName('h');
      model.fields[target] = node;
      relocate(c.newPath, [target]);
      if (r.chance(0.5)) renames[`${old.name}.${c.oldPath.join('.')}`] = target;
      else hints.fields[`${name}.${target}`] = c.oldPath.join('.');
    } else if (m < 24 && movable.length > 0) {
      const moved = r.pick(movable);
      const node = model.fields[moved] as FieldSnapshot;
      const into = objectRoots.filter((f) => f !== moved);
      const target = freshName('p');
      delete model.fields[moved];
      let parent: string;
      if (into.length > 0 && r.chance(0.6)) {
        parent = r.pick(into);
        const holder = model.fields[parent] as FieldSnapshot & { type: { kind: 'object' } };
        holder.type.fields[target] = node;
      } else {
        parent = freshName('o');
        model.fields[parent] = {
          type: { kind: 'object', fields: { [target]: node } },
          nullable: false,
          optional: r.chance(0.5),
        };
        rootScope.added.push({ kind: 'object', fields: {} });
      }
      relocate([moved], [parent, target]);
      if (r.chance(0.5)) renames[`${old.name}.${moved}`] = `${parent}.${target}`;
      else hints.fields[`${name}.${parent}.${target}`] = moved;
    }

    // keys follow renamed root fields and lose dropped ones
    const follow = (fields: string[]) => fields.map((f) => (renamedRoots.has(f) ? renamedRoots.get(f) : f));
    model.indexes = model.indexes
      .map((i) => ({ ...i, fields: follow(i.fields) }))
      .filter((i): i is typeof i & { fields: string[] } => i.fields.every((f) => typeof f === 'string'))
      .filter(() => !r.chance(0.1))
      .map((i) => (r.chance(0.1) ? { ...i, unique: !i.unique } : i));
    const roots = Object.keys(model.fields).filter((f) => !model.primaryKey.includes(f));
    if (roots.length > 0 && r.chance(0.15)) {
      const f = r.pick(roots);
      model.indexes.push({ name: freshName(`${model.table}_i`), fields: [f], unique: r.chance(0.3) });
    }
    model.indexes.sort(byName);
    model.foreignKeys = model.foreignKeys.filter((fk) => newName.get(fk.references.model) && !r.chance(0.1));
    for (const fk of model.foreignKeys) fk.references.model = newName.get(fk.references.model) as string;
    if (model.target === 'sql' && roots.length > 0 && r.chance(0.1)) model.primaryKey = [r.pick(roots)];
    // a generated key is added or removed (and goes with the key to another field)
    const id = model.fields.id;
    if (id?.generated && model.primaryKey[0] !== 'id') delete id.generated;
    else if (id && model.primaryKey[0] === 'id' && r.chance(0.15)) {
      if (id.generated) delete id.generated;
      else id.generated = 'identity';
    }
    bModels[name] = model;
  }

  let created: ModelSnapshot['target'] | undefined;
  if (r.chance(0.25)) {
    const model = randomModel(r, freshName('C'), r.chance(0.6) ? 'sql' : 'document');
    const sqlTargets = Object.values(bModels).filter((x) => x.target === 'sql');
    if (model.target === 'sql' && sqlTargets.length > 0 && r.chance(0.5))
      addForeignKey(r, model, sqlTargets, 'ref_new');
    bModels[model.name] = model;
    created = model.target;
  }
  const sqlB = Object.values(bModels).filter((x) => x.target === 'sql');
  for (const model of sqlB) {
    const scope = rootScopes.get(model.name);
    if (!scope || !r.chance(0.1)) continue;
    addForeignKey(r, model, sqlB, freshName('fk'));
    scope.added.push({ kind: 'number', integer: true });
  }

  // a vanished model can be renamed to a new one of the same target (a table to a table)
  const ambiguous = unansweredModelDrops.some((t) => t === created) || scopes.some(ambiguousScope);
  return {
    a: makeSnapshot(aModels),
    b: makeSnapshot(bModels, hints),
    options: { renames, drops },
    ambiguous,
  };
}
