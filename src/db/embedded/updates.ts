import { ObjectId } from 'bson';
import { update as mingoUpdate } from 'mingo';
import type { Modifier } from 'mingo/updater';
import { idFirst } from './command-args.js';
import { CommandError } from './errors.js';
import { cloneValue, isPlainObject, keyOf, setPath, type Doc } from './values.js';
import { mingoOptions } from './query.js';
import { errorMessage } from '../../errors.js';

const SUPPORTED_OPERATORS = new Set([
  '$set',
  '$unset',
  '$inc',
  '$mul',
  '$push',
  '$pull',
  '$pullAll',
  '$addToSet',
  '$pop',
  '$min',
  '$max',
  '$currentDate',
  '$rename',
  '$bit',
  '$setOnInsert',
]);

/** A validated update, classified once: modifier document (`{$set: …}`) or whole-document replacement. */
export interface UpdateSpec {
  doc: Doc;
  operators: boolean;
}

export interface UpdateResult {
  doc: Doc;
  changed: boolean;
}

/** A modifier document (`{$set: …}`) as opposed to a whole-document replacement. */
function isOperatorUpdate(u: Doc): boolean {
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length > 0 && ops.length !== keys.length) {
    throw new CommandError('FailedToParse', 'Update document cannot mix update operators and plain fields');
  }
  return ops.length > 0;
}

/**
 * `$push` modifiers FerretDB 1.24.2 accepts and silently ignores: it appends
 * `$each` unsliced, unsorted, at the end. Deliberately stricter than FerretDB:
 * refused here, because code relying on them would be quietly wrong there.
 */
const FERRETDB_IGNORED_PUSH_MODIFIERS = ['$slice', '$sort', '$position'];

/** Update pipelines: `update` refuses them as a type error (see crud.ts), findAndModify with this. */
export function validateUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) throw new CommandError('NotImplemented', 'Aggregation pipelines are not supported yet');
  if (!isPlainObject(u)) throw new CommandError('FailedToParse', 'Update must be a document or a pipeline');
  const operators = isOperatorUpdate(u);
  if (operators) {
    for (const [op, arg] of Object.entries(u)) {
      if (!SUPPORTED_OPERATORS.has(op)) throw new CommandError('FailedToParse', `Unknown modifier: ${op}`);
      if (!isPlainObject(arg)) {
        throw new CommandError('FailedToParse', `Modifiers operate on fields but we found type ${typeof arg} instead`);
      }
      if (op === '$push') {
        for (const value of Object.values(arg)) {
          const ignored = isPlainObject(value) ? FERRETDB_IGNORED_PUSH_MODIFIERS.find((m) => m in value) : undefined;
          if (ignored) {
            throw new CommandError('NotImplemented', `$push with ${ignored}: FerretDB 1.24.2 ignores it and appends $each unchanged, so the embedded dev server refuses it`);
          }
        }
      }
    }
  }
  return { doc: u, operators };
}

/** Positional `$` needs the filter to find the array element. */
const POSITIONAL = /(^|\.)\$(\.|$)/;

/**
 * Applies an update to a copy of `doc`; the stored object is never mutated so
 * open cursors and the rollback path keep a consistent version.
 */
export function applyUpdate(
  doc: Doc,
  spec: UpdateSpec,
  opts: { filter: Doc; arrayFilters?: Doc[] | undefined; inserting: boolean },
): UpdateResult {
  let next: Doc;
  let changed: boolean;
  if (!spec.operators) {
    const { _id: replacementId, ...rest } = cloneValue(spec.doc);
    if (replacementId !== undefined && '_id' in doc && keyOf(replacementId) !== keyOf(doc._id)) {
      throw immutableId();
    }
    const id = '_id' in doc ? doc._id : replacementId;
    next = id === undefined ? rest : { _id: id, ...rest };
    changed = keyOf(next) !== keyOf(doc);
  } else {
    next = cloneValue(doc);
    const modifier: Doc = {};
    for (const [op, arg] of Object.entries(spec.doc)) {
      if (op === '$setOnInsert') continue;
      if (isPlainObject(arg) && Object.keys(arg).length > 0) modifier[op] = cloneValue(arg);
    }
    const onInsert = spec.doc.$setOnInsert;
    if (opts.inserting && isPlainObject(onInsert) && Object.keys(onInsert).length > 0) {
      modifier.$set = { ...(modifier.$set as Doc | undefined), ...cloneValue(onInsert) };
    }
    changed = false;
    if (Object.keys(modifier).length > 0) {
      const positional = Object.values(modifier).some((arg) =>
        Object.keys(arg as Doc).some((path) => POSITIONAL.test(path)),
      );
      let fields: string[];
      try {
        fields = mingoUpdate(
          next,
          modifier as Modifier<Doc>,
          opts.arrayFilters,
          positional && !opts.inserting ? opts.filter : undefined,
          { cloneMode: 'copy', queryOptions: mingoOptions() },
        );
      } catch (err) {
        // mingo refuses `_id` changes itself; report them with mongod's code.
        if (/immutable field '_id'/.test(errorMessage(err))) throw immutableId();
        throw err;
      }
      changed = fields.length > 0;
    }
  }
  if ('_id' in doc && keyOf(next._id) !== keyOf(doc._id)) throw immutableId();
  return { doc: next, changed };
}

function immutableId(): CommandError {
  return new CommandError(
    'ImmutableField',
    "Performing an update on the path '_id' would modify the immutable field '_id'",
  );
}

/**
 * The document an upsert starts from: the filter's equality conditions
 * (including those inside `$and`), as mongod does before applying the update.
 */
export function seedFromFilter(filter: Doc): Doc {
  const seed: Doc = {};
  const visit = (f: Doc): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const part of v) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (k.startsWith('$')) continue;
      if (v instanceof RegExp) continue;
      if (isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        if ('$eq' in v) setPath(seed, k, cloneValue(v.$eq));
        continue;
      }
      setPath(seed, k, cloneValue(v));
    }
  };
  visit(filter);
  return seed;
}

/** Builds the document an upsert inserts. */
export function buildUpsert(filter: Doc, spec: UpdateSpec, arrayFilters: Doc[] | undefined): Doc {
  const seed = seedFromFilter(filter);
  let doc: Doc;
  if (!spec.operators) {
    const { _id: replacementId, ...rest } = cloneValue(spec.doc);
    const id = seed._id ?? replacementId;
    doc = id === undefined ? rest : { _id: id, ...rest };
  } else {
    const { _id: seedId, ...seedRest } = seed;
    const start: Doc = seedId === undefined ? seedRest : { _id: seedId, ...seedRest };
    doc = applyUpdate(start, spec, { filter, arrayFilters, inserting: true }).doc;
  }
  return withId(doc);
}

/** Puts `_id` first, generating an ObjectId when the client did not send one. */
export function withId(doc: Doc): Doc {
  return doc._id === undefined ? { _id: new ObjectId(), ...doc } : idFirst(doc);
}
