import { Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';
import { Context } from 'mingo';
import { BinValue, DecValue, isPlainObject, type Doc } from './values.js';

/**
 * mingo's `$type` knows JavaScript types only (no objectId, binData, long,
 * decimal …), and a context cannot replace a built-in operator. So query
 * filters get their `$type` renamed to `$bsonType`, implemented here with
 * BSON type codes and mongod's array rule (an array field matches `array`, or
 * any element's type).
 */

const TYPE_CODES: Record<string, number> = {
  double: 1,
  string: 2,
  object: 3,
  array: 4,
  binData: 5,
  undefined: 6,
  objectId: 7,
  bool: 8,
  date: 9,
  null: 10,
  regex: 11,
  javascript: 13,
  symbol: 14,
  int: 16,
  timestamp: 17,
  long: 18,
  decimal: 19,
  minKey: -1,
  maxKey: 127,
};
const NUMBER_CODES = new Set([1, 16, 18, 19]);

/** BSON type code of a stored value (numbers are int when they would serialize as int32). */
function typeCode(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (v === null) return 10;
  switch (typeof v) {
    case 'string':
      return 2;
    case 'boolean':
      return 8;
    case 'number':
      return Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31 ? 16 : 1;
    default:
      break;
  }
  if (Array.isArray(v)) return 4;
  if (v instanceof Date) return 9;
  if (v instanceof ObjectId) return 7;
  if (v instanceof BinValue) return 5;
  if (v instanceof DecValue) return 19;
  if (v instanceof Timestamp) return 17;
  if (v instanceof Long) return 18;
  if (v instanceof RegExp) return 11;
  if (v instanceof MinKey) return -1;
  if (v instanceof MaxKey) return 127;
  if (isPlainObject(v)) return 3;
  return undefined;
}

function wantedCodes(spec: unknown): (code: number) => boolean {
  const codes = new Set<number>();
  let anyNumber = false;
  for (const t of Array.isArray(spec) ? spec : [spec]) {
    if (t === 'number') anyNumber = true;
    else if (typeof t === 'number') codes.add(t);
    else if (typeof t === 'string' && t in TYPE_CODES) codes.add(TYPE_CODES[t] as number);
    else throw new Error(`Unknown type name alias: ${String(t)}`);
  }
  return (code) => codes.has(code) || (anyNumber && NUMBER_CODES.has(code));
}

/** Leaf values of a dotted path, fanning out over arrays met on the way but not at the leaf. */
function leaves(value: unknown, parts: string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    if (value !== undefined) out.push(value);
    return;
  }
  const part = parts[i] as string;
  if (Array.isArray(value)) {
    if (/^\d+$/.test(part)) leaves(value[Number(part)], parts, i + 1, out);
    else for (const el of value) if (isPlainObject(el)) leaves(el[part], parts, i + 1, out);
    return;
  }
  if (isPlainObject(value)) leaves(value[part], parts, i + 1, out);
}

function $bsonType(selector: string, value: unknown): (obj: Doc) => boolean {
  const wanted = wantedCodes(value);
  const parts = selector.split('.');
  const matches = (v: unknown): boolean => {
    const code = typeCode(v);
    return code !== undefined && wanted(code);
  };
  return (obj) => {
    const found: unknown[] = [];
    leaves(obj, parts, 0, found);
    return found.some((v) => matches(v) || (Array.isArray(v) && v.some(matches)));
  };
}

export const BSON_TYPE_CONTEXT = Context.init({ query: { $bsonType } } as unknown as Parameters<typeof Context.init>[0]);

/**
 * Copy of a query filter with field-level `$type` renamed to `$bsonType`, or
 * the same object when it has none. `$expr` is left alone: there `$type` is
 * the aggregation expression, which returns a type name.
 */
export function rewriteTypeOperators(filter: Doc): { filter: Doc; changed: boolean } {
  let changed = false;
  const operatorObject = (ops: Doc): Doc => {
    const out: Doc = {};
    for (const [op, arg] of Object.entries(ops)) {
      if (op === '$type') {
        changed = true;
        out.$bsonType = arg;
      } else if (op === '$not' && isPlainObject(arg)) {
        out[op] = operatorObject(arg);
      } else if (op === '$elemMatch' && isPlainObject(arg)) {
        const isOps = Object.keys(arg).every((k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k));
        out[op] = isOps ? operatorObject(arg) : query(arg);
      } else {
        out[op] = arg;
      }
    }
    return out;
  };
  const query = (f: Doc): Doc => {
    const out: Doc = {};
    for (const [k, v] of Object.entries(f)) {
      if ((k === '$and' || k === '$or' || k === '$nor') && Array.isArray(v)) {
        out[k] = v.map((part) => (isPlainObject(part) ? query(part) : part));
      } else if (!k.startsWith('$') && isPlainObject(v) && Object.keys(v).some((x) => x.startsWith('$'))) {
        out[k] = operatorObject(v);
      } else {
        out[k] = v;
      }
    }
    return out;
  };
  const rewritten = query(filter);
  return changed ? { filter: rewritten, changed } : { filter, changed };
}

/** Rewrites `$match` stages the same way. */
export function rewritePipeline(pipeline: Doc[]): { pipeline: Doc[]; changed: boolean } {
  let changed = false;
  const stages = pipeline.map((stage) => {
    if (isPlainObject(stage.$match)) {
      const r = rewriteTypeOperators(stage.$match);
      changed ||= r.changed;
      return r.changed ? { $match: r.filter } : stage;
    }
    return stage;
  });
  return { pipeline: changed ? stages : pipeline, changed };
}
