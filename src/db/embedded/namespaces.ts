// Databases, collections and indexes.

import { calculateObjectSize, Long } from 'bson';
import { find as mingoFind } from 'mingo';
import { collName, cursorReply, docArray, optDoc, optNumber } from './command-args.js';
import type { Handler } from './context.js';
import { CommandError } from './errors.js';
import { defaultIndexName, type IndexSpec } from './indexes.js';
import { mingoOptions } from './query.js';
import { ID_INDEX, type Collection } from './store.js';
import { isPlainObject, keyOf, type Doc } from './values.js';

const CREATE_IGNORED = new Set(['create', '$db', 'lsid', 'txnNumber', '$clusterTime', 'writeConcern', 'comment', 'maxTimeMS', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

export const create: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'create');
  if (ctx.store.collection(db, name)) {
    throw new CommandError('NamespaceExists', `Collection ${db}.${name} already exists.`);
  }
  const options: Doc = {};
  for (const [k, v] of Object.entries(cmd)) if (!CREATE_IGNORED.has(k)) options[k] = v;
  ctx.store.ensureCollection(db, name, options);
  return { ok: 1 };
};

export const drop: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'drop');
  const coll = ctx.store.dropCollection(db, name);
  // mongod 7 answers ok for a missing collection too.
  if (!coll) return { ok: 1 };
  ctx.cursors.killNamespace(`${db}.${name}`);
  return { nIndexesWas: coll.indexCount, ns: `${db}.${name}`, ok: 1 };
};

export const dropDatabase: Handler = (ctx, db) => {
  ctx.store.dropDatabase(db);
  ctx.cursors.killNamespace(db);
  return { dropped: db, ok: 1 };
};

export const listCollections: Handler = (ctx, db, cmd) => {
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

export const listDatabases: Handler = (ctx, _db, cmd) => {
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

/**
 * Index options FerretDB 1.24.2 refuses as not implemented, TTL and partial
 * indexes among them (expire with a query on `expiresAt` and a clean-up job).
 */
const FERRETDB_UNIMPLEMENTED_INDEX_OPTIONS = new Set([
  'partialFilterExpression', 'expireAfterSeconds', 'hidden', 'storageEngine', 'weights', 'default_language', 'language_override',
  'textIndexVersion', '2dsphereIndexVersion', 'bits', 'min', 'max', 'bucketSize', 'collation', 'wildcardProjection',
]);

/** FerretDB's index keys are ascending or descending fields only: no text, 2dsphere or hashed. */
function checkIndexKey(key: Doc): void {
  for (const [field, v] of Object.entries(key)) {
    const order = typeof v === 'number' ? v : v instanceof Long ? v.toNumber() : NaN;
    // FerretDB's own (odd) answer for a non-numeric key such as 'text'.
    if (!Number.isInteger(order)) throw new CommandError('IndexNotFound', `can't find index with key: { ${field}: ${JSON.stringify(v)} }`);
    if (order !== 1 && order !== -1) throw new CommandError('NotImplemented', `Index key value ${order} is not implemented yet`);
  }
}

function normalizeIndexSpec(raw: Doc): IndexSpec {
  const key = optDoc(raw.key, 'key');
  if (!key || Object.keys(key).length === 0) throw new CommandError('BadValue', 'Index key pattern must be a non-empty object');
  checkIndexKey(key);
  const name = typeof raw.name === 'string' && raw.name !== '' ? raw.name : defaultIndexName(key);
  const spec: IndexSpec = { v: 2, key, name };
  // Options in the order given: FerretDB answers the first it refuses.
  for (const [k, v] of Object.entries(raw)) {
    if (FERRETDB_UNIMPLEMENTED_INDEX_OPTIONS.has(k)) throw new CommandError('NotImplemented', `Index option "${k}" is not implemented yet`);
    if (k === 'unique' || k === 'sparse') spec[k] = v === true;
    // `background` is deprecated and ignored, on FerretDB as here.
    else if (k !== 'key' && k !== 'name' && k !== 'background') throw new CommandError('BadValue', `Index option "${k}" is unknown`);
  }
  if (spec.unique === false) delete spec.unique;
  // FerretDB accepts `sparse` and ignores it (listIndexes drops it), yet on
  // SQLite a document lacking an indexed field never collides in a unique
  // index. Honouring sparse here gives that behaviour for a single-field
  // sparse unique index, the shape the project declares.
  if (spec.sparse === false) delete spec.sparse;
  return spec;
}

export const createIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'createIndexes');
  const specs = docArray(cmd.indexes, 'indexes').map(normalizeIndexSpec);
  const { coll, created } = ctx.store.ensureCollection(db, name);
  const before = coll.indexCount;
  let fresh = 0;
  for (const spec of specs) {
    const sameKey = coll.indexSpecs().find((s) => keyOf(s.key) === keyOf(spec.key));
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
    numIndexesAfter: coll.indexCount,
    createdCollectionAutomatically: created,
  };
  if (fresh === 0) reply.note = 'all indexes already exist';
  reply.ok = 1;
  return reply;
};

export const listIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, 'listIndexes');
  const coll = ctx.store.collection(db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns does not exist: ${db}.${name}`);
  const batchSize = isPlainObject(cmd.cursor) ? optNumber(cmd.cursor.batchSize, 'cursor.batchSize') : undefined;
  const ns = `${db}.${name}`;
  const { id, batch } = ctx.cursors.open(ns, coll.indexSpecs() as Doc[], batchSize ?? Infinity, false);
  return cursorReply(id, ns, 'firstBatch', batch);
};

export const dropIndexes: Handler = (ctx, db, cmd) => {
  const name = collName(cmd, Object.keys(cmd)[0] as string);
  const coll = ctx.store.collection(db, name);
  if (!coll) throw new CommandError('NamespaceNotFound', `ns not found ${db}.${name}`);
  const was = coll.indexCount;
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

export const collStats: Handler = (ctx, db, cmd) => {
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
    nindexes: coll.indexCount,
    totalIndexSize: 0,
    indexSizes,
    ok: 1,
  };
};

export const dbStats: Handler = (ctx, db) => {
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
    indexes: colls.reduce((s, c) => s + c.indexCount, 0),
    indexSize: 0,
    ok: 1,
  };
};
