import { calculateObjectSize, Long } from 'bson';
import { Aggregator, find as mingoFind } from 'mingo';
import type { Options } from 'mingo/types';
import { CommandError, toCommandError } from './errors.js';
import { CursorRegistry } from './cursors.js';
import { collectValues, defaultIndexName, type IndexSpec } from './indexes.js';
import { collationOption, mingoOptions } from './query.js';
import { ID_INDEX, validateCollectionName, type Collection, type Store } from './store.js';
import { applyUpdate, buildUpsert, validateUpdate, withId } from './updates.js';
import { cloneValue, isPlainObject, keyOf, type Doc } from './values.js';

export const SERVER_VERSION = '7.0.0';
export const MAX_WIRE_VERSION = 21;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;
export const MAX_WRITE_BATCH_SIZE = 100_000;
const SESSION_TIMEOUT_MINUTES = 30;

export interface ServerContext {
  store: Store;
  cursors: CursorRegistry;
  startedAt: number;
  address: string;
  /** Called after any command that may have changed data (drives the dev snapshot). */
  onWrite: () => void;
  connectionCount: () => number;
}

export interface ConnectionInfo {
  id: number;
  remote: string;
}

type Handler = (ctx: ServerContext, db: string, cmd: Doc, conn: ConnectionInfo) => Doc;

/** Runs one command; failures come back as `{ok: 0}` replies, never as throws. */
export function runCommand(ctx: ServerContext, db: string, cmd: Doc, conn: ConnectionInfo): Doc {
  const name = Object.keys(cmd)[0];
  if (name === undefined) return new CommandError('FailedToParse', 'empty command document').toReply();
  const handler = HANDLERS[name];
  if (!handler) {
    return new CommandError('CommandNotFound', `no such command: '${name}'`).toReply();
  }
  try {
    rejectTransactions(cmd);
    return handler(ctx, db, cmd, conn);
  } catch (err) {
    return toCommandError(err).toReply();
  } finally {
    if (WRITE_COMMANDS.has(name)) ctx.onWrite();
  }
}

const WRITE_COMMANDS = new Set([
  'insert',
  'update',
  'delete',
  'findAndModify',
  'findandmodify',
  'create',
  'drop',
  'dropDatabase',
  'createIndexes',
  'dropIndexes',
  'deleteIndexes',
]);

/**
 * Sessions are advertised (so the driver's implicit sessions and `lsid` work)
 * but transactions are not: fail loudly rather than pretend to be atomic.
 */
function rejectTransactions(cmd: Doc): void {
  if (cmd.startTransaction === true || cmd.autocommit === false) {
    throw new CommandError(
      'IllegalOperation',
      'Transaction numbers are only allowed on a replica set member or mongos (the embedded test server does not support transactions)',
    );
  }
}

// ---------------------------------------------------------------------------
// argument helpers

function collName(cmd: Doc, field: string): string {
  return validateCollectionName(cmd[field]);
}

function optNumber(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  throw new CommandError('TypeMismatch', `Field '${field}' must be a number`);
}

function optDoc(v: unknown, field: string): Doc | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new CommandError('TypeMismatch', `Field '${field}' must be an object`);
  return v;
}

function docArray(v: unknown, field: string): Doc[] {
  if (!Array.isArray(v) || !v.every(isPlainObject)) {
    throw new CommandError('TypeMismatch', `Field '${field}' must be an array of documents`);
  }
  return v;
}

function queryOptions(cmd: Doc): Partial<Options> {
  const opts: Partial<Options> = { ...collationOption(cmd.collation) };
  if (isPlainObject(cmd.let)) return { ...opts, variables: cmd.let };
  return opts;
}

/** mingo sort spec; `$natural` is insertion order, which candidates already follow. */
function sortSpec(sort: Doc | undefined): { spec: Record<string, 1 | -1> | undefined; reverse: boolean } {
  if (!sort) return { spec: undefined, reverse: false };
  const spec: Record<string, 1 | -1> = {};
  let reverse = false;
  for (const [k, v] of Object.entries(sort)) {
    const dir = typeof v === 'number' ? v : v instanceof Long ? v.toNumber() : NaN;
    if (dir !== 1 && dir !== -1) {
      throw new CommandError('BadValue', `$sort key ordering must be 1 (for ascending) or -1 (for descending)`);
    }
    if (k === '$natural') reverse = dir === -1;
    else spec[k] = dir;
  }
  return { spec: Object.keys(spec).length > 0 ? spec : undefined, reverse };
}

/** Sort, skip, limit and project through mingo's cursor (it knows MongoDB's projection rules). */
function shape(
  docs: Doc[],
  opts: { sort?: Doc | undefined; skip?: number | undefined; limit?: number | undefined; projection?: Doc | undefined },
  query: Partial<Options> = {},
): Doc[] {
  const { spec, reverse } = sortSpec(opts.sort);
  const input = reverse ? docs.slice().reverse() : docs;
  const projection = opts.projection && Object.keys(opts.projection).length > 0 ? opts.projection : undefined;
  if (!spec && !projection) {
    // Plain paging needs no mingo cursor (whose set-up dominates a findOne).
    const start = opts.skip ?? 0;
    return input.slice(start, opts.limit ? start + opts.limit : undefined);
  }
  const cursor = mingoFind<Doc>(input.slice(), {}, projection ?? {}, mingoOptions(query));
  if (spec) cursor.sort(spec);
  if (opts.skip) cursor.skip(opts.skip);
  if (opts.limit) cursor.limit(opts.limit);
  return cursor.all();
}

function cursorReply(id: Long, ns: string, key: 'firstBatch' | 'nextBatch', batch: Doc[]): Doc {
  return { cursor: { [key]: batch, id, ns }, ok: 1 };
}

// ---------------------------------------------------------------------------
// handshake and diagnostics

const hello: Handler = (ctx, _db, _cmd, conn) => ({
  helloOk: true,
  isWritablePrimary: true,
  ismaster: true,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  maxMessageSizeBytes: MAX_MESSAGE_SIZE,
  maxWriteBatchSize: MAX_WRITE_BATCH_SIZE,
  localTime: new Date(),
  logicalSessionTimeoutMinutes: SESSION_TIMEOUT_MINUTES,
  connectionId: conn.id,
  minWireVersion: 0,
  maxWireVersion: MAX_WIRE_VERSION,
  readOnly: false,
  ok: 1,
});

const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: MAX_BSON_OBJECT_SIZE,
  javascriptEngine: 'none',
  storageEngines: ['memory'],
  modules: [],
  ok: 1,
});

const PARAMETERS: Doc = {
  featureCompatibilityVersion: { version: '7.0' },
  authenticationMechanisms: [],
  requireApiVersion: false,
  transactionLifetimeLimitSeconds: 60,
};

const getParameter: Handler = (_ctx, _db, cmd) => {
  const all = cmd.getParameter === '*' || (isPlainObject(cmd.getParameter) && cmd.getParameter.allParameters === true);
  const out: Doc = {};
  for (const [k, v] of Object.entries(PARAMETERS)) if (all || cmd[k] !== undefined) out[k] = v;
  return { ...out, ok: 1 };
};

const serverStatus: Handler = (ctx) => {
  const uptimeMillis = Date.now() - ctx.startedAt;
  return {
    host: ctx.address,
    version: SERVER_VERSION,
    process: 'embedded-mongo',
    pid: Long.fromNumber(process.pid),
    uptime: Math.floor(uptimeMillis / 1000),
    uptimeMillis: Long.fromNumber(uptimeMillis),
    localTime: new Date(),
    connections: { current: ctx.connectionCount(), available: 1000 },
    metrics: { cursor: { open: { total: ctx.cursors.size } } },
    ok: 1,
  };
};

// ---------------------------------------------------------------------------
// CRUD

const insert: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'insert');
  const docs = docArray(cmd.documents, 'documents');
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  let n = 0;
  if (docs.length === 0) return { n: 0, ok: 1 };
  const { coll } = ctx.store.ensureCollection(db, name);
  for (let i = 0; i < docs.length; i++) {
    try {
      coll.insert(withId(docs[i] as Doc));
      n++;
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

const find: Handler = (ctx, db, cmd) => {
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
    const early = !sortSpec(sort).spec && limit > 0 ? skip + limit : undefined;
    docs = shape(coll.select(filter, { limit: early, query }), { sort, skip, limit, projection }, query);
  }
  const first = batchSize ?? (limit > 0 ? Math.min(limit, 101) : undefined);
  const { id, batch } = ctx.cursors.open(`${db}.${name}`, docs, first, singleBatch);
  return cursorReply(id, `${db}.${name}`, 'firstBatch', batch);
};

const getMore: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'collection');
  const batchSize = optNumber(cmd.batchSize, 'batchSize');
  const { id, batch } = ctx.cursors.more(cmd.getMore, batchSize);
  return cursorReply(id, `${db}.${name}`, 'nextBatch', batch);
};

const killCursors: Handler = (ctx, _db, cmd) => {
  collName(cmd, 'killCursors');
  const ids = Array.isArray(cmd.cursors) ? cmd.cursors : [];
  const { killed, notFound } = ctx.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
};

const update: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'update');
  const updates = docArray(cmd.updates, 'updates');
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  const upserted: Doc[] = [];
  let n = 0;
  let nModified = 0;
  for (let i = 0; i < updates.length; i++) {
    const u = updates[i] as Doc;
    try {
      const filter = optDoc(u.q, 'q') ?? {};
      const spec = validateUpdate(u.u);
      const multi = u.multi === true;
      if (multi && !Array.isArray(spec) && !Object.keys(spec).some((k) => k.startsWith('$'))) {
        throw new CommandError('FailedToParse', 'multi update is not supported for replacement-style update');
      }
      const arrayFilters = u.arrayFilters === undefined ? undefined : docArray(u.arrayFilters, 'arrayFilters');
      const query = queryOptions({ ...u, let: cmd.let });
      const coll = ctx.store.collection(db, name);
      const matched = coll ? coll.select(filter, { limit: multi ? undefined : 1, query }) : [];
      if (matched.length === 0) {
        if (u.upsert === true) {
          const doc = buildUpsert(filter, spec, arrayFilters);
          ctx.store.ensureCollection(db, name).coll.insert(doc);
          n++;
          upserted.push({ index: i, _id: doc._id });
        }
        continue;
      }
      for (const doc of matched) {
        const result = applyUpdate(doc, spec, { filter, arrayFilters, inserting: false });
        if (result.changed) (coll as Collection).replace(doc, result.doc);
        n++;
        if (result.changed) nModified++;
      }
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  const reply: Doc = { n, nModified };
  if (upserted.length > 0) reply.upserted = upserted;
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  reply.ok = 1;
  return reply;
};

const deleteCmd: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'delete');
  const deletes = docArray(cmd.deletes, 'deletes');
  const ordered = cmd.ordered !== false;
  const writeErrors: Doc[] = [];
  let n = 0;
  const coll = ctx.store.collection(db, name);
  for (let i = 0; i < deletes.length; i++) {
    const d = deletes[i] as Doc;
    try {
      const filter = optDoc(d.q, 'q') ?? {};
      const limit = optNumber(d.limit, 'limit') ?? 0;
      if (limit !== 0 && limit !== 1) throw new CommandError('FailedToParse', 'The limit field in delete objects must be 0 or 1');
      if (!coll) continue;
      for (const doc of coll.select(filter, { limit: limit === 1 ? 1 : undefined, query: queryOptions(d) })) {
        coll.remove(doc);
        n++;
      }
    } catch (err) {
      writeErrors.push(toCommandError(err).toWriteError(i));
      if (ordered) break;
    }
  }
  return writeErrors.length > 0 ? { n, writeErrors, ok: 1 } : { n, ok: 1 };
};

/**
 * The whole command runs synchronously, so the read-modify-write on the
 * chosen document is atomic with respect to every other connection: two
 * conditional increments on the same version cannot both match.
 */
const findAndModify: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, Object.keys(cmd)[0] as string);
  const filter = optDoc(cmd.query, 'query') ?? {};
  const sort = optDoc(cmd.sort, 'sort');
  const fields = optDoc(cmd.fields, 'fields');
  const remove = cmd.remove === true;
  const upsert = cmd.upsert === true;
  const returnNew = cmd.new === true;
  if (remove && cmd.update !== undefined) throw new CommandError('FailedToParse', 'Cannot specify both an update and remove=true');
  if (!remove && cmd.update === undefined) throw new CommandError('FailedToParse', 'Either an update or remove=true must be specified');
  if (remove && upsert) throw new CommandError('FailedToParse', 'Cannot specify both upsert=true and remove=true');
  const arrayFilters = cmd.arrayFilters === undefined ? undefined : docArray(cmd.arrayFilters, 'arrayFilters');
  const query = queryOptions(cmd);
  const coll = ctx.store.collection(db, name);
  const { spec: sortKeys } = sortSpec(sort);
  let target: Doc | undefined;
  if (coll) {
    const matches = coll.select(filter, { limit: sortKeys ? undefined : 1, query });
    target = (sortKeys ? shape(matches, { sort, limit: 1 }, query) : matches)[0];
  }
  const project = (doc: Doc | null): Doc | null =>
    doc && fields && Object.keys(fields).length > 0 ? (shape([doc], { projection: fields })[0] ?? null) : doc;

  if (remove) {
    if (target && coll) coll.remove(target);
    return { lastErrorObject: { n: target ? 1 : 0 }, value: project(target ?? null), ok: 1 };
  }
  const spec = validateUpdate(cmd.update);
  if (target && coll) {
    const result = applyUpdate(target, spec, { filter, arrayFilters, inserting: false });
    if (result.changed) coll.replace(target, result.doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(returnNew ? result.doc : target),
      ok: 1,
    };
  }
  if (upsert) {
    const doc = buildUpsert(filter, spec, arrayFilters);
    ctx.store.ensureCollection(db, name).coll.insert(doc);
    return {
      lastErrorObject: { n: 1, updatedExisting: false, upserted: doc._id },
      value: project(returnNew ? doc : null),
      ok: 1,
    };
  }
  return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
};

const count: Handler = (ctx, db, cmd) => {
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

const distinct: Handler = (ctx, db, cmd) => {
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
const NON_MUTATING_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$count', '$group', '$sortByCount']);
const UNSUPPORTED_STAGES = new Set(['$out', '$merge', '$collStats', '$indexStats', '$currentOp', '$changeStream', '$listSessions', '$search']);

function stageName(stage: Doc): string {
  const keys = Object.keys(stage);
  if (keys.length !== 1) throw new CommandError('BadValue', 'A pipeline stage specification object must contain exactly one field.');
  return keys[0] as string;
}

function pipelineMutates(pipeline: Doc[]): boolean {
  return pipeline.some((stage) => {
    const op = stageName(stage);
    if (UNSUPPORTED_STAGES.has(op)) {
      throw new CommandError('BadValue', `${op} is not supported by the embedded test server`);
    }
    if (op === '$facet' && isPlainObject(stage.$facet)) {
      return Object.values(stage.$facet).some((p) => Array.isArray(p) && pipelineMutates(p as Doc[]));
    }
    return !NON_MUTATING_STAGES.has(op);
  });
}

const aggregate: Handler = (ctx, db, cmd) => {
  const target = cmd.aggregate;
  const pipeline = docArray(cmd.pipeline, 'pipeline');
  if (cmd.explain === true) throw new CommandError('IllegalOperation', 'explain is not supported by the embedded test server');
  if (!isPlainObject(cmd.cursor)) throw new CommandError('FailedToParse', "The 'cursor' option is required");
  const batchSize = optNumber(cmd.cursor.batchSize, 'cursor.batchSize');
  const query = queryOptions(cmd);
  const mutates = pipelineMutates(pipeline);
  let docs: Doc[] = [];
  let stages = pipeline;
  let ns = `${db}.$cmd.aggregate`;
  if (target !== 1) {
    const name = validateCollectionName(target);
    ns = `${db}.${name}`;
    const coll = ctx.store.collection(db, name);
    const first = pipeline[0];
    // A leading $match can use the hash indexes; mingo would scan everything.
    if (first && isPlainObject(first.$match)) {
      docs = coll ? coll.select(first.$match, { query }) : [];
      stages = pipeline.slice(1);
    } else {
      docs = coll ? [...coll.docs.values()] : [];
    }
  }
  if (mutates) docs = docs.map(cloneValue);
  const resolver = (other: string): Doc[] => {
    const c = ctx.store.collection(db, other);
    const all = c ? [...c.docs.values()] : [];
    return mutates ? all.map(cloneValue) : all;
  };
  const results = new Aggregator(stages, mingoOptions({ ...query, collectionResolver: resolver })).run(docs) as Doc[];
  const { id, batch } = ctx.cursors.open(ns, results, batchSize, false);
  return cursorReply(id, ns, 'firstBatch', batch);
};

// ---------------------------------------------------------------------------
// namespaces and indexes

const CREATE_IGNORED = new Set(['create', '$db', 'lsid', 'txnNumber', '$clusterTime', 'writeConcern', 'comment', 'maxTimeMS', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

const create: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'create');
  if (ctx.store.collection(db, name)) {
    throw new CommandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
  }
  const options: Doc = {};
  for (const [k, v] of Object.entries(cmd)) if (!CREATE_IGNORED.has(k)) options[k] = v;
  ctx.store.ensureCollection(db, name, options);
  return { ok: 1 };
};

const drop: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'drop');
  const coll = ctx.store.dropCollection(db, name);
  // mongod 7 answers ok for a missing collection too.
  if (!coll) return { ok: 1 };
  ctx.cursors.killNamespace(`${db}.${name}`);
  return { nIndexesWas: coll.indexes.length + 1, ns: `${db}.${name}`, ok: 1 };
};

const dropDatabase: Handler = (ctx, db) => {
  ctx.store.dropDatabase(db);
  ctx.cursors.killNamespace(db);
  return { dropped: db, ok: 1 };
};

const listCollections: Handler = (ctx, db, cmd) => {
  const filter = optDoc(cmd.filter, 'filter') ?? {};
  const nameOnly = cmd.nameOnly === true;
  const colls = [...(ctx.store.databases.get(db)?.collections.values() ?? [])];
  const infos: Doc[] = colls.map((c) => ({
    name: c.name,
    type: 'collection',
    options: c.options,
    info: { readOnly: false, uuid: c.uuid },
    idIndex: ID_INDEX,
  }));
  let matched = Object.keys(filter).length > 0 ? (mingoFind<Doc>(infos, filter, {}, mingoOptions()).all()) : infos;
  if (nameOnly) matched = matched.map((i) => ({ name: i.name, type: i.type }));
  const batchSize = isPlainObject(cmd.cursor) ? optNumber(cmd.cursor.batchSize, 'cursor.batchSize') : undefined;
  const ns = `${db}.$cmd.listCollections`;
  const { id, batch } = ctx.cursors.open(ns, matched, batchSize ?? Infinity, false);
  return cursorReply(id, ns, 'firstBatch', batch);
};

const listDatabases: Handler = (ctx, _db, cmd) => {
  const filter = optDoc(cmd.filter, 'filter') ?? {};
  let infos: Doc[] = [...ctx.store.databases.values()].map((d) => ({
    name: d.name,
    sizeOnDisk: [...d.collections.values()].reduce((sum, c) => sum + c.docs.size * 256, 0),
    empty: d.collections.size === 0,
  }));
  if (Object.keys(filter).length > 0) infos = mingoFind<Doc>(infos, filter, {}, mingoOptions()).all();
  if (cmd.nameOnly === true) return { databases: infos.map((i) => ({ name: i.name })), ok: 1 };
  const totalSize = infos.reduce((sum, i) => sum + (i.sizeOnDisk as number), 0);
  return { databases: infos, totalSize, totalSizeMb: Math.floor(totalSize / 1024 / 1024), ok: 1 };
};

function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  const pick = (s: IndexSpec): string =>
    keyOf({
      unique: s.unique === true,
      sparse: s.sparse === true,
      partialFilterExpression: s.partialFilterExpression ?? null,
      expireAfterSeconds: s.expireAfterSeconds ?? null,
    });
  return pick(a) === pick(b);
}

function normalizeIndexSpec(raw: Doc): IndexSpec {
  const key = optDoc(raw.key, 'key');
  if (!key || Object.keys(key).length === 0) throw new CommandError('BadValue', 'Index key pattern must be a non-empty object');
  for (const v of Object.values(key)) {
    const ok = v === 1 || v === -1 || (typeof v === 'string' && ['text', '2d', '2dsphere', 'hashed'].includes(v));
    if (!ok) throw new CommandError('BadValue', `Values in the index key pattern can only be 1, -1 or an index type name, got ${String(v)}`);
  }
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : defaultIndexName(key);
  const spec: IndexSpec = { v: 2, key, name };
  for (const [k, v] of Object.entries(raw)) if (k !== 'key' && k !== 'name' && k !== 'v') spec[k] = v;
  if (spec.unique === false) delete spec.unique;
  if (spec.sparse === false) delete spec.sparse;
  return spec;
}

const createIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'createIndexes');
  const specs = docArray(cmd.indexes, 'indexes').map(normalizeIndexSpec);
  const { coll, created } = ctx.store.ensureCollection(db, name);
  const before = coll.indexes.length + 1;
  let fresh = 0;
  for (const spec of specs) {
    const sameKey = [ID_INDEX, ...coll.indexes.map((ix) => ix.spec)].find((s) => keyOf(s.key) === keyOf(spec.key));
    const sameName = spec.name === ID_INDEX.name ? ID_INDEX : coll.findIndex(spec.name)?.spec;
    if (sameName) {
      if (keyOf(sameName.key) !== keyOf(spec.key)) {
        throw new CommandError(
          'IndexKeySpecsConflict',
          `An existing index has the same name as the requested index but a different key. Requested index: ${JSON.stringify(spec)}`,
        );
      }
      if (sameName !== ID_INDEX && !sameIndexOptions(sameName, spec)) {
        throw new CommandError(
          'IndexOptionsConflict',
          `An existing index has the same name as the requested index but different options. Existing index name: ${spec.name}`,
        );
      }
      continue;
    }
    if (sameKey && sameIndexOptions(sameKey, spec)) {
      throw new CommandError('IndexOptionsConflict', `Index already exists with a different name: ${sameKey.name}`);
    }
    coll.addIndex(spec);
    fresh++;
  }
  const reply: Doc = {
    numIndexesBefore: before,
    numIndexesAfter: coll.indexes.length + 1,
    createdCollectionAutomatically: created,
  };
  if (fresh === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

const listIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'listIndexes');
  const coll = ctx.store.collection(db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${db}.${name}`);
  const batchSize = isPlainObject(cmd.cursor) ? optNumber(cmd.cursor.batchSize, 'cursor.batchSize') : undefined;
  const ns = `${db}.${name}`;
  const { id, batch } = ctx.cursors.open(ns, coll.indexSpecs() as Doc[], batchSize ?? Infinity, false);
  return cursorReply(id, ns, 'firstBatch', batch);
};

const dropIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, Object.keys(cmd)[0] as string);
  const coll = ctx.store.collection(db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns not found ${db}.${name}`);
  const was = coll.indexes.length + 1;
  const target = cmd.index;
  let names: string[];
  if (target === '*') {
    names = coll.indexes.map((ix) => ix.name);
  } else if (typeof target === 'string') {
    names = [target];
  } else if (Array.isArray(target) && target.every((t) => typeof t === 'string')) {
    names = target as string[];
  } else if (isPlainObject(target)) {
    const ix = coll.indexes.find((i) => keyOf(i.spec.key) === keyOf(target));
    if (!ix) {
      if (keyOf(target) === keyOf(ID_INDEX.key)) throw new CommandError('InvalidOptions', 'cannot drop _id index');
      throw new CommandError('IndexNotFound', `can't find index with key: ${JSON.stringify(target)}`);
    }
    names = [ix.name];
  } else {
    throw new CommandError('TypeMismatch', "Field 'index' must be a string, array of strings or an object");
  }
  for (const n of names) {
    if (n === ID_INDEX.name) throw new CommandError('InvalidOptions', 'cannot drop _id index');
    if (!coll.findIndex(n)) throw new CommandError('IndexNotFound', `index not found with name [${n}]`);
  }
  for (const n of names) coll.dropIndex(n);
  return { nIndexesWas: was, ok: 1 };
};

function collectionSize(coll: Collection): number {
  let size = 0;
  for (const d of coll.docs.values()) size += calculateObjectSize(d);
  return size;
}

const collStats: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'collStats');
  const coll = ctx.store.collection(db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `Collection [${db}.${name}] not found.`);
  const size = collectionSize(coll);
  const indexSizes: Doc = {};
  for (const s of coll.indexSpecs()) indexSizes[s.name] = 0;
  return {
    ns: coll.ns,
    count: coll.docs.size,
    size,
    avgObjSize: coll.docs.size ? Math.round(size / coll.docs.size) : 0,
    storageSize: size,
    nindexes: coll.indexes.length + 1,
    totalIndexSize: 0,
    indexSizes,
    ok: 1,
  };
};

const dbStats: Handler = (ctx, db) => {
  const colls = [...(ctx.store.databases.get(db)?.collections.values() ?? [])];
  const objects = colls.reduce((s, c) => s + c.docs.size, 0);
  const dataSize = colls.reduce((s, c) => s + collectionSize(c), 0);
  return {
    db,
    collections: colls.length,
    views: 0,
    objects,
    avgObjSize: objects ? dataSize / objects : 0,
    dataSize,
    storageSize: dataSize,
    indexes: colls.reduce((s, c) => s + c.indexes.length + 1, 0),
    indexSize: 0,
    ok: 1,
  };
};

const HANDLERS: Record<string, Handler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  ping: () => ({ ok: 1 }),
  buildInfo,
  buildinfo: buildInfo,
  getParameter,
  serverStatus,
  hostInfo: () => ({ system: { currentTime: new Date(), hostname: 'embedded' }, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  connectionStatus: () => ({ authInfo: { authenticatedUsers: [], authenticatedUserRoles: [] }, ok: 1 }),
  whatsmyuri: (_ctx, _db, _cmd, conn) => ({ you: conn.remote, ok: 1 }),
  getLog: () => ({ totalLinesWritten: 0, log: [], ok: 1 }),
  endSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  killAllSessions: () => ({ ok: 1 }),
  commitTransaction: () => {
    throw new CommandError('IllegalOperation', 'transactions are not supported by the embedded test server');
  },
  abortTransaction: () => {
    throw new CommandError('IllegalOperation', 'transactions are not supported by the embedded test server');
  },
  insert,
  find,
  getMore,
  killCursors,
  update,
  delete: deleteCmd,
  findAndModify,
  findandmodify: findAndModify,
  count,
  distinct,
  aggregate,
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  collStats,
  dbStats,
};
