// Reads and writes: the commands behind the driver's CRUD API.

import { Aggregator } from 'mingo';
import { collName, cursorReply, docArray, idFirst, optDoc, optNumber, queryOptions, shape, sortSpec } from './command-args.js';
import type { Handler } from './context.js';
import { CommandError, toCommandError } from './errors.js';
import { collectValues } from './indexes.js';
import { BSON_TYPE_CONTEXT, rewritePipeline } from './bson-type.js';
import { mingoOptions } from './query.js';
import { validateCollectionName, type Collection, type Store } from './store.js';
import { unimplementedField } from './strict-params.js';
import { applyUpdate, buildUpsert, validateUpdate, withId, type UpdateResult, type UpdateSpec } from './updates.js';
import { cloneValue, isPlainObject, keyOf, type Doc } from './values.js';

/**
 * Runs one write per item of a batch; a failing item becomes a write error,
 * and an ordered batch stops at the first one. Returns the write errors.
 */
function eachWrite(items: Doc[], ordered: boolean, write: (item: Doc, index: number) => void): Doc[] {
  const writeErrors: Doc[] = [];
  for (let i = 0; i < items.length; i++) {
    try {
      write(items[i] as Doc, i);
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors;
}

export const insert: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'insert');
  const docs = docArray(cmd.documents, 'documents');
  let n = 0;
  if (docs.length === 0) return { n: 0, ok: 1 };
  const { coll } = ctx.store.ensureCollection(db, name);
  const writeErrors = eachWrite(docs, cmd.ordered !== false, (doc) => {
    coll.insert(withId(doc));
    n++;
  });
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

export const find: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'find');
  const filter = optDoc(cmd.filter, 'filter') ?? {};
  const sort = optDoc(cmd.sort, 'sort');
  const projection = optDoc(cmd.projection, 'projection');
  const skip = optNumber(cmd.skip, 'skip') ?? 0;
  let limit = optNumber(cmd.limit, 'limit') ?? 0;
  let singleBatch = cmd.singleBatch === true;
  if (skip < 0) throw new CommandError('BadValue', 'skip value must be non-negative');
  if (limit < 0) {
    // Legacy negative limit: return that many in one batch and close.
    limit = -limit;
    singleBatch = true;
  }
  const batchSize = optNumber(cmd.batchSize, 'batchSize');
  if (batchSize !== undefined && batchSize < 0) throw new CommandError('BadValue', 'batchSize must be non-negative');
  const query = queryOptions(cmd);
  const coll = ctx.store.collection(db, name);
  let docs: Doc[] = [];
  if (coll) {
    const order = sortSpec(sort);
    // Without an ordering the first skip+limit matches are the answer; stop scanning there.
    const early = !order.spec && !order.reverse && limit > 0 ? skip + limit : undefined;
    docs = shape(coll.select(filter, { limit: early, query }), { sort: order, skip, limit, projection }, query);
  }
  const { id, batch } = ctx.cursors.open(`${db}.${name}`, docs, batchSize, singleBatch);
  return cursorReply(id, `${db}.${name}`, 'firstBatch', batch);
};

/** Command cursors (listCollections) live on `$cmd.…` namespaces. */
const COMMAND_CURSOR_NS = /^\$cmd\.[A-Za-z]+$/;

export const getMore: Handler = (ctx, db, cmd) => {
  const name = typeof cmd.collection === 'string' && COMMAND_CURSOR_NS.test(cmd.collection) ? cmd.collection : collName(cmd, 'collection');
  const batchSize = optNumber(cmd.batchSize, 'batchSize');
  const { id, batch, ns } = ctx.cursors.more(cmd.getMore, `${db}.${name}`, batchSize);
  return cursorReply(id, ns, 'nextBatch', batch);
};

export const killCursors: Handler = (ctx, _db, cmd) => {
  collName(cmd, 'killCursors');
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

/** One update as update and findAndModify share it: which documents, the change, and `arrayFilters`. */
interface UpdateOp {
  filter: Doc;
  spec: UpdateSpec;
  arrayFilters: Doc[] | undefined;
}

function optArrayFilters(v: unknown): Doc[] | undefined {
  return v === undefined ? undefined : docArray(v, 'arrayFilters');
}

/** Applies the update to a stored document, swapping in the new version when it changed. */
function updateStored(coll: Collection, doc: Doc, op: UpdateOp): UpdateResult {
  const result = applyUpdate(doc, op.spec, { filter: op.filter, arrayFilters: op.arrayFilters, inserting: false });
  if (result.changed) coll.replace(doc, result.doc);
  return result;
}

/** Inserts the document an upsert builds (creating the collection) and returns it. */
function insertUpsert(store: Store, db: string, name: string, op: UpdateOp): Doc {
  const doc = buildUpsert(op.filter, op.spec, op.arrayFilters);
  store.ensureCollection(db, name).coll.insert(doc);
  return doc;
}

export const update: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'update');
  const updates = docArray(cmd.updates, 'updates');
  // FerretDB parses every `u` as a document before running any: a pipeline fails the whole command.
  if (updates.some((u) => Array.isArray(u.u))) {
    throw new CommandError('TypeMismatch', "BSON field 'update.updates.u' is the wrong type 'array', expected type 'object'");
  }
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  const writeErrors = eachWrite(updates, cmd.ordered !== false, (u, i) => {
    const filter = optDoc(u.q, 'q') ?? {};
    const spec = validateUpdate(u.u);
    const multi = u.multi === true;
    if (multi && !spec.operators) {
      throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
    }
    const op: UpdateOp = { filter, spec, arrayFilters: optArrayFilters(u.arrayFilters) };
    const query = queryOptions({ ...u, let: cmd.let });
    const coll = ctx.store.collection(db, name);
    const matched = coll ? coll.select(filter, { limit: multi ? undefined : 1, query }) : [];
    if (matched.length === 0) {
      if (u.upsert === true) {
        const doc = insertUpsert(ctx.store, db, name, op);
        n++;
        upserted.push({ index: i, _id: doc._id });
      }
      return;
    }
    for (const doc of matched) {
      const { changed } = updateStored(coll as Collection, doc, op);
      n++;
      if (changed) nModified++;
    }
  });
  const reply: Doc = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};

export const deleteCmd: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'delete');
  const deletes = docArray(cmd.deletes, 'deletes');
  let n = 0;
  const coll = ctx.store.collection(db, name);
  const writeErrors = eachWrite(deletes, cmd.ordered !== false, (d) => {
    const filter = optDoc(d.q, 'q') ?? {};
    const limit = optNumber(d.limit, 'limit') ?? 0;
    if (limit !== 0 && limit !== 1) throw new CommandError('FailedToParse', 'The limit field in delete objects must be 0 or 1');
    if (!coll) return;
    for (const doc of coll.select(filter, { limit: limit === 1 ? 1 : undefined, query: queryOptions(d) })) {
      coll.remove(doc);
      n++;
    }
  });
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

/**
 * The whole command runs synchronously, so the read-modify-write on the
 * chosen document is atomic with respect to every other connection: two
 * conditional increments on the same version cannot both match. A `fields`
 * projection never gets here: FerretDB refuses it (see strict-params.ts).
 */
export const findAndModify: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, Object.keys(cmd)[0] as string);
  const filter = optDoc(cmd.query, 'query') ?? {};
  const sort = optDoc(cmd.sort, 'sort');
  const remove = cmd.remove === true;
  const upsert = cmd.upsert === true;
  const returnNew = cmd.new === true;
  if (remove && cmd.update !== undefined) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && cmd.update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && upsert) throw new CommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  const arrayFilters = optArrayFilters(cmd.arrayFilters);
  const query = queryOptions(cmd);
  const coll = ctx.store.collection(db, name);
  const order = sortSpec(sort);
  const needsOrder = order.spec !== undefined || order.reverse;
  let target: Doc | undefined;
  if (coll) {
    const matches = coll.select(filter, { limit: needsOrder ? undefined : 1, query });
    target = (needsOrder ? shape(matches, { sort: order, limit: 1 }, query) : matches)[0];
  }
  if (remove) {
    if (target && coll) coll.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: target ?? null, ok: 1 };
  }
  const op: UpdateOp = { filter, spec: validateUpdate(cmd.update), arrayFilters };
  if (target && coll) {
    const result = updateStored(coll, target, op);
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: returnNew ? result.doc : target,
      ok: 1,
    };
  }
  if (upsert) {
    const doc = insertUpsert(ctx.store, db, name, op);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: returnNew ? doc : null,
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

export const count: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'count');
  const filter = optDoc(cmd.query, 'query') ?? {};
  const skip = Math.max(0, optNumber(cmd.skip, 'skip') ?? 0);
  const limit = Math.abs(optNumber(cmd.limit, 'limit') ?? 0);
  const coll = ctx.store.collection(db, name);
  let n = 0;
  if (coll) {
    n = Object.keys(filter).length === 0 ? coll.docs.size : coll.select(filter, { query: queryOptions(cmd) }).length;
  }
  n = Math.max(0, n - skip);
  if (limit > 0) n = Math.min(n, limit);
  return { n, ok: 1 };
};

export const distinct: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'distinct');
  if (typeof cmd.key !== 'string' || cmd.key === '') throw new CommandError('TypeMismatch', "Field 'key' must be a string");
  const filter = optDoc(cmd.query, 'query') ?? {};
  const coll = ctx.store.collection(db, name);
  const values: unknown[] = [];
  const seen = new Set<string>();
  for (const doc of coll ? coll.select(filter, { query: queryOptions(cmd) }) : []) {
    for (const v of collectValues(doc, cmd.key)) {
      if (typeof v === 'symbol') continue; // field absent
      if (Array.isArray(v) && v.length === 0) continue;
      const k = keyOf(v);
      if (seen.has(k)) continue;
      seen.add(k);
      values.push(v);
    }
  }
  return { values, ok: 1 };
};

/** Stages that only pass stored documents through or build new ones; anything else may mutate input. */
const NON_MUTATING_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$count', '$group']);
/** The stages FerretDB 1.24.2 implements, less `$collStats`, which only the embedded server lacks. */
const FERRETDB_STAGES = new Set(['$match', '$group', '$sort', '$limit', '$skip', '$count', '$project', '$unwind', '$unset', '$addFields', '$set']);
/**
 * Stages FerretDB 1.24.2 knows but has not implemented (its unsupportedStages):
 * NotImplemented. Any other unknown name is "Unrecognized pipeline stage name".
 */
const FERRETDB_UNIMPLEMENTED_STAGES = new Set([
  '$bucket', '$bucketAuto', '$changeStream', '$currentOp', '$densify', '$documents', '$facet', '$fill', '$geoNear',
  '$graphLookup', '$indexStats', '$listLocalSessions', '$listSessions', '$lookup', '$merge', '$out', '$planCacheStats',
  '$redact', '$replaceRoot', '$replaceWith', '$sample', '$search', '$searchMeta', '$setWindowFields',
  '$sharedDataDistribution', '$sortByCount', '$unionWith',
]);

function stageName(stage: Doc): string {
  const keys = Object.keys(stage);
  if (keys.length !== 1) throw new CommandError('Location40323', 'A pipeline stage specification object must contain exactly one field.');
  return keys[0] as string;
}

/** Refuses the first stage FerretDB would refuse, with its code; true if some stage may change its input. */
function pipelineMutates(pipeline: Doc[]): boolean {
  let mutates = false;
  for (const stage of pipeline) {
    const op = stageName(stage);
    if (op === '$collStats') {
      throw new CommandError('NotImplemented', '`aggregate` stage "$collStats" is not implemented by the embedded dev server (FerretDB has it)');
    }
    if (FERRETDB_UNIMPLEMENTED_STAGES.has(op)) throw new CommandError('NotImplemented', `\`aggregate\` stage "${op}" is not implemented yet`);
    if (!FERRETDB_STAGES.has(op)) throw new CommandError('Location40234', `Unrecognized pipeline stage name: "${op}"`);
    if (!NON_MUTATING_STAGES.has(op)) mutates = true;
  }
  return mutates;
}

export const aggregate: Handler = (ctx, db, cmd) => {
  // FerretDB checks these three by presence, in this order, whatever their value.
  for (const field of ['explain', 'collation', 'let']) {
    if (field in cmd) throw unimplementedField('aggregate', field, cmd[field]);
  }
  // FerretDB has no collection-less pipelines ({aggregate: 1}); its message says "or 1" all the same.
  if (typeof cmd.aggregate !== 'string') {
    throw new CommandError('FailedToParse', "Invalid command format: the 'aggregate' field must specify a collection name or 1");
  }
  const name = validateCollectionName(cmd.aggregate);
  const pipeline = docArray(cmd.pipeline, 'pipeline');
  const mutates = pipelineMutates(pipeline);
  if (!isPlainObject(cmd.cursor)) throw new CommandError('FailedToParse', "The 'cursor' option is required, except for aggregate with the explain argument");
  const batchSize = optNumber(cmd.cursor.batchSize, 'cursor.batchSize');
  const query = queryOptions(cmd);
  const ns = `${db}.${name}`;
  const coll = ctx.store.collection(db, name);
  let docs: Doc[];
  let stages = pipeline;
  const first = pipeline[0];
  // A leading $match can use the hash indexes; mingo would scan everything.
  if (first && isPlainObject(first.$match)) {
    docs = coll ? coll.select(first.$match, { query }) : [];
    stages = pipeline.slice(1);
  } else {
    docs = coll ? [...coll.docs.values()] : [];
  }
  if (mutates) docs = docs.map(cloneValue);
  const typed = rewritePipeline(stages);
  const options = mingoOptions({ ...query, ...(typed.changed ? { context: BSON_TYPE_CONTEXT } : {}) });
  let results = new Aggregator(typed.pipeline, options).run(docs) as Doc[];
  if (pipeline.some((stage) => '$project' in stage)) results = results.map(idFirst);
  const { id, batch } = ctx.cursors.open(ns, results, batchSize, false);
  return cursorReply(id, ns, 'firstBatch', batch);
};
