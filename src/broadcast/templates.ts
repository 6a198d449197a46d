import type { Resources } from '../i18n/i18n.js';

/** A reusable notice with named fields such as `{{province_hotline}}`. */
export interface NoticeTemplate {
  id: string;
  /** Bumped when the wording changes, so a broadcast records which text it used. */
  version: number;
  fields: string[];
  title: { vi: string; en: string };
  text: { vi: string; en: string };
}

/** Built-in anti-fraud and payment notices; texts live in locales/{vi,en}/broadcast.json. */
const BUILT_IN: { id: string; version: number }[] = [
  { id: 'otpWarning', version: 1 },
  { id: 'fakeOfficial', version: 1 },
  { id: 'paymentDay', version: 1 },
];

const FIELD = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

function textAt(resources: Resources, locale: 'vi' | 'en', path: string[]): string {
  let node: unknown = resources[locale];
  for (const part of path) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'string') throw new Error(`missing translation ${locale}:${path.join('.')}`);
  return node;
}

/** The built-in templates, read from the locale files. */
export function builtInTemplates(resources: Resources): NoticeTemplate[] {
  return BUILT_IN.map(({ id, version }) => {
    const at = (locale: 'vi' | 'en', leaf: string) => textAt(resources, locale, ['broadcast', 'template', id, leaf]);
    const text = { vi: at('vi', 'text'), en: at('en', 'text') };
    const fields = templateFields(text.vi);
    return { id, version, fields, title: { vi: at('vi', 'title'), en: at('en', 'title') }, text };
  });
}

/** The named fields a text uses, sorted, each once. */
export function templateFields(text: string): string[] {
  return [...new Set([...text.matchAll(FIELD)].map((m) => m[1]!))].sort();
}

/** Fills the named fields; every field must be given, and no unknown one. */
export function fillTemplate(text: string, values: Record<string, string>): { ok: true; text: string } | { ok: false; missing: string[] } {
  const missing = [...new Set([...text.matchAll(FIELD)].map((m) => m[1]!))].filter((f) => !(f in values) || values[f]!.trim() === '');
  if (missing.length > 0) return { ok: false, missing };
  return { ok: true, text: text.replace(FIELD, (_, name: string) => values[name]!.trim()) };
}
