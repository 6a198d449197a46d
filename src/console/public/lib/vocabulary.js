/**
 * The server's lists the console offers as choices (benefit types, fraud
 * statuses and categories, …), loaded once at start from GET
 * /console/vocabulary.json, which builds them from the server's own
 * constants: the console keeps no copy of them.
 */

/** @type {import('./api-types.js').Vocabulary} */
let words = { benefitTypes: [], provinces: {}, fraudCategories: [], fraudStatuses: [], fraudNoteMax: 0 };

export async function loadVocabulary() {
  const res = await fetch('/console/vocabulary.json', { credentials: 'same-origin' });
  if (!res.ok) throw new Error('vocabulary not found');
  words = await res.json();
}

export const vocabulary = () => words;

/** A province as staff read it: "Hà Nội (01)"; the bare code when the name is unknown. @param {string | null | undefined} code */
export function provinceLabel(code) {
  if (!code) return '';
  const name = words.provinces?.[code];
  return name ? `${name} (${code})` : code;
}
