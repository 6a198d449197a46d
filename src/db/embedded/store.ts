import { UUID } from 'bson';
import type { Options } from 'mingo/types';
import { CommandError } from './errors.js';
import { duplicateKeyError, Index, type IndexSpec } from './indexes.js';
import { compileFilter, equalityConditions } from './query.js';
import { isPlainObject, keyOf, type Doc } from './values.js';

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export interface SelectOptions {
  /** Stop after this many matches (only when the caller needs no ordering). */
  limit?: number | undefined;
  /** Query options (collation, let variables). A collation disables hash lookups. */
  query?: Partial<Options>;
}

/**
 * One collection: documents by canonical `_id` key (a Map keeps insertion
 * order, which serves as natural order) plus secondary hash indexes.
 */
export class Collection {
  readonly db: string;
  readonly name: string;
  readonly options: Doc;
  readonly uuid: UUID;
  readonly docs = new Map<string, Doc>();
  readonly indexes: Index[] = [];

  constructor(db: string, name: string, options: Doc = {}) {
    this.db = db;
    this.name = name;
    this.options = options;
    this.uuid = new UUID();
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  /** `doc` must already carry its `_id`; it is stored as is and never mutated afterwards. */
  insert(doc: Doc): void {
    const id = doc._id;
    if (Array.isArray(id)) throw new CommandError('InvalidIdField', "The '_id' value cannot be of type array");
    if (id instanceof RegExp) throw new CommandError('InvalidIdField', "The '_id' value cannot be of type regex");
    const idKey = keyOf(id);
    if (this.docs.has(idKey)) throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, ['_id'], [id]);
    const entries = this.indexes.map((ix) => ix.entriesFor(doc));
    this.indexes.forEach((ix, i) => ix.checkUnique(entries[i] ?? [], idKey, this.ns));
    this.docs.set(idKey, doc);
    this.indexes.forEach((ix, i) => ix.add(entries[i] ?? [], idKey));
  }

  /** Swaps in the new version of a document; all unique checks pass before anything changes. */
  replace(old: Doc, next: Doc): void {
    const idKey = keyOf(old._id);
    const oldEntries = this.indexes.map((ix) => ix.entriesFor(old));
    const newEntries = this.indexes.map((ix) => ix.entriesFor(next));
    this.indexes.forEach((ix, i) => ix.checkUnique(newEntries[i] ?? [], idKey, this.ns));
    this.indexes.forEach((ix, i) => {
      const before = oldEntries[i] ?? [];
      const after = newEntries[i] ?? [];
      const afterKeys = new Set(after.map((e) => e.key));
      const beforeKeys = new Set(before.map((e) => e.key));
      ix.remove(
        before.filter((e) => !afterKeys.has(e.key)),
        idKey,
      );
      ix.add(
        after.filter((e) => !beforeKeys.has(e.key)),
        idKey,
      );
    });
    this.docs.set(idKey, next);
  }

  remove(doc: Doc): void {
    const idKey = keyOf(doc._id);
    for (const ix of this.indexes) ix.remove(ix.entriesFor(doc), idKey);
    this.docs.delete(idKey);
  }

  /** Documents matching `filter`, using a hash index when an equality condition allows. */
  select(filter: Doc, opts: SelectOptions = {}): Doc[] {
    const candidates = this.candidates(filter, opts.query?.collation !== undefined);
    const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
    const out: Doc[] = [];
    if (Object.keys(filter).length === 0) {
      for (const d of candidates) {
        if (out.length >= limit) break;
        out.push(d);
      }
      return out;
    }
    const q = compileFilter(filter, opts.query);
    for (const d of candidates) {
      if (out.length >= limit) break;
      if (q.test(d)) out.push(d);
    }
    return out;
  }

  private candidates(filter: Doc, collation: boolean): Iterable<Doc> {
    if (collation) return this.docs.values();
    const eq = equalityConditions(filter);
    if (eq.size === 0) return this.docs.values();
    const ids = eq.get('_id');
    if (ids) return this.byIds(ids.map(keyOf));
    let best: Set<string> | undefined;
    for (const ix of this.indexes) {
      if (!ix.maintained || !ix.fields.every((f) => eq.has(f))) continue;
      // A partial index omits documents the filter may still match; proving the
      // filter implies the partial expression is not worth it here. (Sparse is
      // fine: a document equal to a scalar on every field is always indexed.)
      if (ix.spec.partialFilterExpression !== undefined) continue;
      const probes = probeKeys(ix, eq);
      if (!probes) continue;
      const found = new Set<string>();
      for (const p of probes) for (const id of ix.lookup(p) ?? []) found.add(id);
      if (!best || found.size < best.size) best = found;
      if (best.size <= 1) break;
    }
    return best ? this.byIds(best) : this.docs.values();
  }

  private byIds(keys: Iterable<string>): Doc[] {
    const out: Doc[] = [];
    const seen = new Set<string>();
    for (const k of keys) {
      if (seen.has(k)) continue;
      seen.add(k);
      const d = this.docs.get(k);
      if (d) out.push(d);
    }
    return out;
  }

  findIndex(name: string): Index | undefined {
    return this.indexes.find((ix) => ix.name === name);
  }

  /** Builds a secondary index over existing documents; E11000 if they already collide. */
  addIndex(spec: IndexSpec): void {
    const ix = new Index(spec);
    for (const [idKey, doc] of this.docs) {
      const entries = ix.entriesFor(doc);
      ix.checkUnique(entries, idKey, this.ns);
      ix.add(entries, idKey);
    }
    this.indexes.push(ix);
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((ix) => ix.name === name);
    if (i >= 0) this.indexes.splice(i, 1);
  }

  /** Number of indexes, the implicit `_id` index included. */
  get indexCount(): number {
    return this.indexes.length + 1;
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...this.indexes.map((ix) => ix.spec)];
  }
}

/** Hash keys to probe: the cartesian product of the `$in` lists, capped to stay cheap. */
function probeKeys(ix: Index, eq: Map<string, unknown[]>): string[] | undefined {
  let combos: unknown[][] = [[]];
  for (const f of ix.fields) {
    const values = eq.get(f) ?? [];
    if (combos.length * values.length > 1000) return undefined;
    combos = combos.flatMap((c) => values.map((v) => [...c, v]));
  }
  return combos.map((c) => ix.probeKey(c));
}

export class Database {
  readonly name: string;
  readonly collections = new Map<string, Collection>();

  constructor(name: string) {
    this.name = name;
  }
}

const BAD_DB_CHARS = /[/\\. "$*<>:|?\0]/;

export function validateDbName(name: string): void {
  if (!name || BAD_DB_CHARS.test(name) || name.length > 63) {
    throw new CommandError('InvalidNamespace', `Invalid database name: '${name}'`);
  }
}

export function validateCollectionName(name: unknown): string {
  if (typeof name !== 'string' || name === '' || name.includes('\0') || name.startsWith('.') || name.includes('$')) {
    throw new CommandError('InvalidNamespace', `Invalid collection name: ${String(name)}`);
  }
  return name;
}

/** All databases; commands reach collections only through here. */
export class Store {
  readonly databases = new Map<string, Database>();

  collection(db: string, name: string): Collection | undefined {
    return this.databases.get(db)?.collections.get(name);
  }

  /** Implicit creation, as a first insert or createIndexes does in mongod. */
  ensureCollection(db: string, name: string, options: Doc = {}): { coll: Collection; created: boolean } {
    const existing = this.collection(db, name);
    if (existing) return { coll: existing, created: false };
    validateDbName(db);
    validateCollectionName(name);
    let database = this.databases.get(db);
    if (!database) {
      database = new Database(db);
      this.databases.set(db, database);
    }
    const coll = new Collection(db, name, options);
    database.collections.set(name, coll);
    return { coll, created: true };
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const database = this.databases.get(db);
    const coll = database?.collections.get(name);
    if (!database || !coll) return undefined;
    database.collections.delete(name);
    if (database.collections.size === 0) this.databases.delete(db);
    return coll;
  }

  dropDatabase(db: string): boolean {
    return this.databases.delete(db);
  }

  /** Plain data for the dev snapshot; values stay BSON types for EJSON. */
  snapshot(): Doc {
    const databases: Doc = {};
    for (const [dbName, database] of this.databases) {
      const colls: Doc = {};
      for (const [name, coll] of database.collections) {
        colls[name] = {
          options: coll.options,
          indexes: coll.indexes.map((ix) => ix.spec),
          documents: [...coll.docs.values()],
        };
      }
      databases[dbName] = colls;
    }
    return { format: 'embedded-mongo-snapshot', version: 1, databases };
  }

  restore(snapshot: unknown): void {
    if (!isPlainObject(snapshot) || !isPlainObject(snapshot.databases)) {
      throw new Error('not an embedded-mongo snapshot');
    }
    for (const [dbName, colls] of Object.entries(snapshot.databases)) {
      if (!isPlainObject(colls)) continue;
      for (const [name, raw] of Object.entries(colls)) {
        if (!isPlainObject(raw)) continue;
        const { coll } = this.ensureCollection(dbName, name, isPlainObject(raw.options) ? raw.options : {});
        const docs = Array.isArray(raw.documents) ? raw.documents : [];
        for (const d of docs) if (isPlainObject(d)) coll.insert(d);
        const specs = Array.isArray(raw.indexes) ? raw.indexes : [];
        for (const s of specs) if (isPlainObject(s) && isPlainObject(s.key)) coll.addIndex(s as IndexSpec);
      }
    }
  }
}
