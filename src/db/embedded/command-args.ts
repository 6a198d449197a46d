// Reading command fields the way mongod validates them, plus result shaping shared by commands.

import { Long } from 'bson';
import { find as mingoFind } from 'mingo';
import type { Options } from 'mingo/types';
import { CommandError } from './errors.js';
import { collationOption, mingoOptions } from './query.js';
import { validateCollectionName } from './store.js';
import { isPlainObject, type Doc } from './values.js';

export function collName(cmd: Doc, field: string): string {
  return validateCollectionName(cmd[field]);
}

export function optNumber(v: unknown, field: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (v instanceof Long) return v.toNumber();
  throw new CommandError('TypeMismatch', `Field '${field}' must be a number`);
}

export function optDoc(v: unknown, field: string): Doc | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isPlainObject(v)) throw new CommandError('TypeMismatch', `Field '${field}' must be an object`);
  return v;
}

export function docArray(v: unknown, field: string): Doc[] {
  if (!Array.isArray(v) || !v.every(isPlainObject)) {
    throw new CommandError('TypeMismatch', `Field '${field}' must be an array of documents`);
  }
  return v;
}

export function queryOptions(cmd: Doc): Partial<Options> {
  const opts: Partial<Options> = { ...collationOption(cmd.collation) };
  if (isPlainObject(cmd.let)) return { ...opts, variables: cmd.let };
  return opts;
}

/** A parsed sort: mingo's spec for the fields, plus whether `$natural: -1` reverses insertion order. */
export interface SortOrder {
  spec: Record<string, 1 | -1> | undefined;
  reverse: boolean;
}

/** mingo sort spec; `$natural` is insertion order, which candidates already follow. */
export function sortSpec(sort: Doc | undefined): SortOrder {
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
export function shape(
  docs: Doc[],
  opts: { sort?: SortOrder | undefined; skip?: number | undefined; limit?: number | undefined; projection?: Doc | undefined },
  query: Partial<Options> = {},
): Doc[] {
  const { spec, reverse } = opts.sort ?? { spec: undefined, reverse: false };
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
  const out = cursor.all();
  return projection ? out.map(idFirst) : out;
}

export function cursorReply(id: Long, ns: string, key: 'firstBatch' | 'nextBatch', batch: Doc[]): Doc {
  return { cursor: { [key]: batch, id, ns }, ok: 1 };
}

/** mingo's projection appends `_id`; mongod keeps it as the first field. */
export function idFirst(doc: Doc): Doc {
  if (!('_id' in doc) || Object.keys(doc)[0] === '_id') return doc;
  const { _id, ...rest } = doc;
  return { _id, ...rest };
}
