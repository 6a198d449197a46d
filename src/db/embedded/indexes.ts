import { CommandError } from './errors.js';
import { compileFilter, type Matcher } from './query.js';
import { formatValue, isPlainObject, keyOf, type Doc } from './values.js';

export interface IndexSpec {
  v?: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  [option: string]: unknown;
}

interface IndexEntry {
  key: string;
  values: unknown[];
}

/** Marks "field absent" apart from an explicit null; sparse indexes care. */
const MISSING = Symbol('missing');

/**
 * A secondary index kept as a hash map from index key to document ids. Only
 * equality lookups use it, which is what the hot paths need (unique
 * (channel, chatId) upserts, `_id $in` populates). Ordered scans fall back to
 * sorting the candidates.
 */
export class Index {
  readonly spec: IndexSpec;
  readonly fields: string[];
  /** text/2dsphere/hashed keys (refused by createIndexes now, as by FerretDB; an older dev snapshot may hold one) are listed, not maintained. */
  readonly maintained: boolean;
  private readonly partial: Matcher | undefined;
  private readonly entries = new Map<string, Set<string>>();

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    this.maintained = Object.values(spec.key).every((d) => d === 1 || d === -1);
    this.partial = isPlainObject(spec.partialFilterExpression) ? compileFilter(spec.partialFilterExpression) : undefined;
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Index keys of a document; empty when the document is not in the index. */
  entriesFor(doc: Doc): IndexEntry[] {
    if (!this.maintained) return [];
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map((f) => collectValues(doc, f));
    if (this.spec.sparse === true && perField.every((vals) => vals.every((v) => v === MISSING))) return [];
    const out = new Map<string, IndexEntry>();
    const walk = (i: number, values: unknown[]): void => {
      if (i === perField.length) {
        const key = this.probeKey(values);
        if (!out.has(key)) out.set(key, { key, values: values.slice() });
        return;
      }
      for (const v of perField[i] as unknown[]) {
        values.push(v === MISSING ? null : v);
        walk(i + 1, values);
        values.pop();
      }
    };
    walk(0, []);
    return [...out.values()];
  }

  /** Key for an equality probe with one value per field, same encoding as entriesFor. */
  probeKey(values: unknown[]): string {
    return values.length === 1 ? keyOf(values[0]) : JSON.stringify(values.map(keyOf));
  }

  lookup(key: string): ReadonlySet<string> | undefined {
    return this.entries.get(key);
  }

  /** Throws E11000 if another document already holds one of these keys. */
  checkUnique(entries: IndexEntry[], idKey: string, ns: string): void {
    if (!this.unique) return;
    for (const e of entries) {
      const holders = this.entries.get(e.key);
      if (!holders) continue;
      for (const other of holders) {
        if (other !== idKey) throw duplicateKeyError(ns, this.name, this.spec.key, this.fields, e.values);
      }
    }
  }

  add(entries: IndexEntry[], idKey: string): void {
    for (const e of entries) {
      let set = this.entries.get(e.key);
      if (!set) {
        set = new Set();
        this.entries.set(e.key, set);
      }
      set.add(idKey);
    }
  }

  remove(entries: IndexEntry[], idKey: string): void {
    for (const e of entries) {
      const set = this.entries.get(e.key);
      if (!set) continue;
      set.delete(idKey);
      if (set.size === 0) this.entries.delete(e.key);
    }
  }

  clear(): void {
    this.entries.clear();
  }
}

export function duplicateKeyError(
  ns: string,
  indexName: string,
  keyPattern: Doc,
  fields: string[],
  values: unknown[],
): CommandError {
  const keyValue: Doc = {};
  fields.forEach((f, i) => {
    keyValue[f] = values[i] ?? null;
  });
  const rendered = fields.map((f, i) => `${f}: ${formatValue(values[i])}`).join(', ');
  return new CommandError(
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${rendered} }`,
    { keyPattern: { ...keyPattern }, keyValue },
  );
}

/**
 * Values a dotted path contributes to an index, fanning out over arrays the way
 * multikey indexes do: `a.b` over `{a: [{b: 1}, {b: 2}]}` gives 1 and 2, and a
 * leaf array contributes each element (an empty one contributes itself).
 */
export function collectValues(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  const parts = path.split('.');
  const visit = (value: unknown, i: number): void => {
    if (i === parts.length) {
      if (Array.isArray(value)) {
        if (value.length === 0) out.push(value);
        else for (const el of value) out.push(el);
      } else {
        out.push(value === undefined ? MISSING : value);
      }
      return;
    }
    const part = parts[i] as string;
    if (Array.isArray(value)) {
      if (/^\d+$/.test(part)) {
        visit(value[Number(part)], i + 1);
        return;
      }
      let any = false;
      for (const el of value) {
        if (isPlainObject(el)) {
          any = true;
          visit(el[part], i + 1);
        }
      }
      if (!any) out.push(MISSING);
      return;
    }
    if (isPlainObject(value)) {
      visit(value[part], i + 1);
      return;
    }
    out.push(MISSING);
  };
  visit(doc, 0);
  return out;
}

/** mongod's default index name: `a_1_b_-1`. */
export function defaultIndexName(key: Doc): string {
  return Object.entries(key)
    .map(([k, v]) => `${k}_${String(v)}`)
    .join('_');
}
