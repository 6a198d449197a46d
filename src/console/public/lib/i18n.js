/** The console's translations: every `console*` namespace of `locales/<lng>/`, served by the app. */

export const LANGUAGES = ['vi', 'en'];
const STORAGE_KEY = 'lhb-console-lang';

/** The nested string tree of one language. @type {Record<string, unknown>} */
let strings = {};
let current = 'vi';

export function savedLanguage() {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved !== null && LANGUAGES.includes(saved) ? saved : 'vi';
}

/** @param {string} lng */
export async function loadLanguage(lng) {
  const res = await fetch(`/console/i18n/${lng}.json`, { credentials: 'same-origin' });
  if (!res.ok) throw new Error(`translations for ${lng} not found`);
  strings = await res.json();
  current = lng;
  localStorage.setItem(STORAGE_KEY, lng);
  document.documentElement.lang = lng;
}

export const language = () => current;

/** @param {string} key @returns {string | undefined} */
function lookup(key) {
  /** @type {unknown} */
  let node = strings;
  for (const part of key.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = /** @type {Record<string, unknown>} */ (node)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/**
 * i18next-style: `{{name}}` interpolation, `_one`/`_other` plural keys chosen by `count`.
 * A missing key shows itself, so a gap is visible instead of blank.
 * @param {string} key @param {Record<string, unknown>} [vars]
 * @returns {string}
 */
export function t(key, vars = {}) {
  let text;
  if (typeof vars.count === 'number') {
    const form = new Intl.PluralRules(current).select(vars.count);
    text = lookup(`${key}_${form}`) ?? lookup(`${key}_other`);
  }
  text ??= lookup(key);
  if (text === undefined) {
    console.warn('missing translation', key);
    return key;
  }
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name) => (vars[name] === undefined || vars[name] === null ? '' : String(vars[name])));
}
