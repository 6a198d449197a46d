import { Binary, BSONRegExp, Decimal128, Double, Int32, Long, ObjectId, Timestamp } from 'bson';
import { CommandError } from './errors.js';
import { errorMessage } from '../../errors.js';

/**
 * Stored documents and incoming filters use one "internal" value form so that
 * mingo's comparisons give MongoDB answers. mingo compares class instances of
 * the same class by `toString()`, which is right for ObjectId (fixed-width hex)
 * but wrong for Binary (lossy UTF-8 decode) and Decimal128 ("10" < "9"). The two
 * subclasses below keep the real BSON type for the wire and EJSON, and only
 * change `toString()` into an order-preserving key.
 */

export type Doc = Record<string, unknown>;

/** Binary whose `toString()` sorts like MongoDB orders BinData: length, subtype, bytes. */
export class BinValue extends Binary {
  override toString(encoding?: 'hex' | 'base64' | 'utf8' | 'utf-8'): string {
    if (encoding !== undefined) return super.toString(encoding);
    const len = this.position.toString(16).padStart(8, '0');
    const sub = this.sub_type.toString(16).padStart(2, '0');
    return `${len}${sub}${super.toString('hex')}`;
  }
}

/** Decimal128 whose `toString()` is a normalised, order-preserving key (1.0 equals 1.00). */
export class DecValue extends Decimal128 {
  override toString(): string {
    return decimalSortKey(Decimal128.prototype.toString.call(this));
  }
  /** The real decimal text; the key above is only for comparisons. */
  text(): string {
    return Decimal128.prototype.toString.call(this);
  }
  override toJSON(): { $numberDecimal: string } {
    return { $numberDecimal: this.text() };
  }
  // Not in bson's public typings, but EJSON.stringify calls it.
  toExtendedJSON(): { $numberDecimal: string } {
    return { $numberDecimal: this.text() };
  }
}

function decimalSortKey(text: string): string {
  if (text === 'NaN' || text === '-NaN') return '!';
  if (text === '-Infinity') return '0';
  if (text === 'Infinity') return '4';
  const m = /^(-)?(\d+)(?:\.(\d+))?(?:E([+-]\d+))?$/i.exec(text);
  if (!m) return `?${text}`;
  const negative = m[1] === '-';
  const frac = m[3] ?? '';
  let digits = (m[2] ?? '') + frac;
  let exp = Number(m[4] ?? 0) - frac.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '2';
  const trimmed = digits.replace(/0+$/, '');
  exp += digits.length - trimmed.length;
  digits = trimmed;
  // Position of the leading digit decides magnitude; then digits compare as text.
  const magnitude = exp + digits.length + 10000;
  if (!negative) return `3${String(magnitude).padStart(5, '0')}${digits}`;
  const complement = digits.replace(/\d/g, (d) => String(9 - Number(d)));
  return `1${String(99999 - magnitude).padStart(5, '0')}${complement}~`;
}

export function isPlainObject(v: unknown): v is Doc {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Converts freshly deserialized BSON (or parsed EJSON) into the internal form,
 * in place where possible because the input is never shared.
 */
export function toInternal(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toInternal(value[i]);
    return value;
  }
  if (isPlainObject(value)) {
    for (const k of Object.keys(value)) value[k] = toInternal(value[k]);
    return value;
  }
  if (value instanceof BinValue || value instanceof DecValue) return value;
  if (value instanceof Binary) return new BinValue(value.buffer.subarray(0, value.position), value.sub_type);
  if (value instanceof Decimal128) return new DecValue(value.bytes);
  if (value instanceof Int32 || value instanceof Double) return value.valueOf();
  if (value instanceof BSONRegExp) return regexFromBson(value.pattern, value.options);
  // Timestamp extends Long but is its own BSON type; leave it alone.
  if (value instanceof Long && !(value instanceof Timestamp)) {
    const n = value.toNumber();
    return Number.isSafeInteger(n) ? n : value;
  }
  return value;
}

/** PCRE options to JS flags; `x` (extended) has no JS equivalent, so refuse it rather than misread. */
function regexFromBson(pattern: string, options: string): RegExp {
  let flags = '';
  for (const o of options) {
    if (o === 'i' || o === 'm' || o === 's' || o === 'u') flags += o;
    else if (o === 'x') throw new CommandError('BadValue', "regex option 'x' is not supported by the embedded test server");
  }
  try {
    return new RegExp(pattern, flags);
  } catch (err) {
    throw new CommandError('BadValue', `Regular expression is invalid: ${errorMessage(err)}`);
  }
}

/**
 * Canonical string for a value, equal exactly when MongoDB's equality would
 * call the values equal (for the types we support). Used for the `_id` map and
 * for index hash maps. Each type gets its own one-character prefix.
 */
export function keyOf(value: unknown): string {
  if (value === undefined || value === null) return 'n';
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return Number.isNaN(value) ? 'dNaN' : `d${Object.is(value, -0) ? 0 : value}`;
    case 'boolean':
      return value ? 'b1' : 'b0';
    case 'bigint':
      return `d${value}`;
    default:
      break;
  }
  if (value instanceof Date) return `t${value.getTime()}`;
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof BinValue) return `x${value.toString()}`;
  if (value instanceof DecValue) return `m${value.toString()}`;
  if (value instanceof Timestamp) return `T${value.toString()}`;
  if (value instanceof Long) return `d${value.toString()}`;
  if (value instanceof RegExp) return `r${value.source}/${value.flags}`;
  if (Array.isArray(value)) return `[${JSON.stringify(value.map(keyOf))}`;
  if (isPlainObject(value)) {
    // MongoDB document equality is field-order sensitive, so keep the order.
    return `{${JSON.stringify(Object.entries(value).map(([k, v]) => [k, keyOf(v)]))}`;
  }
  const tag = (value as { _bsontype?: string })._bsontype ?? 'obj';
  return `?${tag}${JSON.stringify(value)}`;
}

/** Values an equality lookup may take from a hash index (arrays/objects/null need full semantics). */
export function isIndexableScalar(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
    case 'object':
      return v instanceof Date || v instanceof ObjectId || v instanceof BinValue;
    default:
      return false;
  }
}

/** mongod's shell-like rendering of a value inside an E11000 message. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v instanceof ObjectId) return `ObjectId('${v.toHexString()}')`;
  if (v instanceof BinValue) return `BinData(${v.sub_type}, ${v.toString('hex').toUpperCase()})`;
  if (v instanceof DecValue) return `NumberDecimal("${v.text()}")`;
  if (v instanceof Long) return `${v.toString()}`;
  if (Array.isArray(v)) return `[ ${v.map(formatValue).join(', ')} ]`;
  if (isPlainObject(v)) return `{ ${Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')} }`;
  return String(v);
}

/** Deep copy that shares immutable BSON class instances. */
export function cloneValue<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneValue) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const k of Object.keys(v)) out[k] = cloneValue(v[k]);
    return out as T;
  }
  return v;
}

/** Writes a dotted path, creating intermediate documents. */
export function setPath(doc: Doc, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Doc = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    const next = cur[part];
    if (isPlainObject(next)) {
      cur = next;
    } else {
      const created: Doc = {};
      cur[part] = created;
      cur = created;
    }
  }
  cur[parts[parts.length - 1] as string] = value;
}
