import type { Translator } from '../i18n/i18n.js';
import { fold } from '../messaging/normalize.js';
import { LOCALES } from '../messaging/types.js';

/** What a person may mean whatever step they are in: go back, reach a person, or open a feature. */
export type Intent = { kind: 'back' } | { kind: 'hotline' } | { kind: 'flow'; flow: string };

/**
 * A small vocabulary of what people type off the path ("lương tháng này",
 * "đổi sang ngân hàng", "quay lại"), read from `locales/<lng>/intents.json`
 * so it grows without code: each key holds phrases separated by "|", matched
 * folded (no diacritics, no case) in every language at once.
 *
 * `strict` is for steps that take free text (a name, an account number, a
 * story): there the whole message, once polite fillers ("tôi muốn", "ạ") are
 * removed, must be a phrase, so a story that mentions "lừa đảo" stays a story.
 * Elsewhere a phrase anywhere in the message is enough
 * ("toi muon doi sang nhan qua ngan hang").
 */
export class IntentVocabulary {
  private readonly back: string[];
  private readonly hotline: string[];
  private readonly fillers: string[];
  private readonly flows: { flow: string; phrases: string[] }[];

  constructor(translator: Translator, flowIds: readonly string[]) {
    const phrases = (key: string): string[] =>
      LOCALES.flatMap((lng) => (translator.has(lng, key) ? translator.t(lng, { key }).split('|') : []))
        .map(fold)
        .filter((p) => p !== '')
        // Longer phrases first, so "quay lai buoc truoc" wins over "quay lai".
        .sort((a, b) => b.length - a.length);
    this.back = phrases('intents.back');
    this.hotline = phrases('intents.hotline');
    this.fillers = phrases('intents.fillers');
    this.flows = flowIds.map((flow) => ({ flow, phrases: phrases(`intents.flow.${flow}`) })).filter((f) => f.phrases.length > 0);
  }

  /** The intent of a typed message, or undefined when it is none of them. */
  match(text: string, strict: boolean): Intent | undefined {
    const typed = fold(text);
    if (typed === '') return undefined;
    const core = this.stripFillers(typed);
    const hit = (list: readonly string[]) => list.some((p) => core === p || (!strict && contains(typed, p)));
    // "Quay lại" only as the whole message: "quay lai ngan hang cu" is not a step back.
    if (this.back.includes(core)) return { kind: 'back' };
    if (hit(this.hotline)) return { kind: 'hotline' };
    const flow = this.flows.find((f) => hit(f.phrases));
    return flow ? { kind: 'flow', flow: flow.flow } : undefined;
  }

  private stripFillers(typed: string): string {
    let words = ` ${typed} `;
    for (const filler of this.fillers) words = words.split(` ${filler} `).join(' ');
    return words.replace(/\s+/g, ' ').trim();
  }
}

/** `phrase` as whole words inside `typed`. */
function contains(typed: string, phrase: string): boolean {
  return ` ${typed} `.includes(` ${phrase} `);
}
