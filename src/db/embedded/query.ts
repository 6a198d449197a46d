import { Query } from 'mingo';
import type { CollationSpec, Options } from 'mingo/types';
import { BSON_TYPE_CONTEXT, rewriteTypeOperators } from './bson-type.js';
import { isIndexableScalar, isPlainObject, keyOf, type Doc } from './values.js';

/**
 * mingo options shared by queries, updates and pipelines. `$where` and
 * `$function` stay disabled: code never arrives over BSON here, and a test
 * server has no business evaluating it.
 */
export function mingoOptions(extra: Partial<Options> = {}): Partial<Options> {
  return { useStrictMode: true, scriptEnabled: false, failOnError: true, ...extra };
}

/** Only locale-aware collations change comparisons; `simple` is the default. */
export function collationOption(collation: unknown): Partial<Options> {
  if (!isPlainObject(collation)) return {};
  const locale = collation.locale;
  if (typeof locale !== 'string' || locale === 'simple') return {};
  return { collation: collation as unknown as CollationSpec };
}

export interface Matcher {
  test(doc: Doc): boolean;
}

/**
 * Compiles a filter. Filters made only of top-level `field: scalar` pairs (the
 * hot path: `{_id, version}`, `{channel, chatId}`) get a direct matcher, since
 * building a mingo Query costs more than the lookup itself. For such scalars
 * MongoDB equality is "same canonical value, or an array holding it".
 */
export function compileFilter(filter: Doc, options: Partial<Options> = {}): Matcher {
  const entries = Object.entries(filter);
  const simple =
    options.collation === undefined &&
    entries.every(([k, v]) => !k.startsWith('$') && !k.includes('.') && isIndexableScalar(v));
  if (!simple) {
    const typed = rewriteTypeOperators(filter);
    if (!typed.changed) return new Query(filter, mingoOptions(options));
    return new Query(typed.filter, mingoOptions({ ...options, context: BSON_TYPE_CONTEXT }));
  }
  const wanted = entries.map(([k, v]) => [k, keyOf(v)] as const);
  return {
    test: (doc) =>
      wanted.every(([k, key]) => {
        const actual = doc[k];
        return Array.isArray(actual) ? actual.some((el) => keyOf(el) === key) : keyOf(actual) === key;
      }),
  };
}

/**
 * Equality conditions an index can answer: `field: scalar`, `field: {$eq}`,
 * `field: {$in: [scalars]}`, also inside top-level `$and`. The full filter is
 * still applied to whatever the index returns, so picking any one of several
 * conditions on a field is safe.
 */
export function equalityConditions(filter: Doc): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (f: Doc): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const part of v) if (isPlainObject(part)) visit(part);
        continue;
      }
      if (k.startsWith('$') || out.has(k)) continue;
      if (isIndexableScalar(v)) {
        out.set(k, [v]);
      } else if (isPlainObject(v)) {
        if ('$eq' in v && isIndexableScalar(v.$eq)) out.set(k, [v.$eq]);
        else if (Array.isArray(v.$in) && v.$in.length > 0 && v.$in.every(isIndexableScalar)) out.set(k, v.$in);
      }
    }
  };
  visit(filter);
  return out;
}
