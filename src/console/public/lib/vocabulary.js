/**
 * The server's lists the console offers as choices (benefit types, fraud
 * statuses and categories, …), loaded once at start from GET
 * /console/vocabulary.json, which builds them from the server's own
 * constants: the console keeps no copy of them.
 */

/** @type {import('./api-types.js').Vocabulary} */
let words = { benefitTypes: [], fraudCategories: [], fraudStatuses: [], fraudNoteMax: 0 };

export async function loadVocabulary() {
  const res = await fetch('/console/vocabulary.json', { credentials: 'same-origin' });
  if (!res.ok) throw new Error('vocabulary not found');
  words = await res.json();
}

export const vocabulary = () => words;
