import type { Locale, Msg, OutMessage, Reply } from './types.js';

/** What rendering needs of translation (src/i18n's Translator is one). */
export interface Translator {
  t(locale: Locale, msg: Msg): string;
}

/**
 * Translates a reply for one user. Option labels carry their number so that
 * typing "2" is as good as tapping the second button, on every platform.
 */
export function renderReply(reply: Reply, locale: Locale, translator: Translator): OutMessage {
  const t = (msg: Msg) => translator.t(locale, msg);
  const out: OutMessage = { text: reply.text.map(t).join('\n\n') };
  const buttons = (reply.choices ?? []).map((choice, i) => ({
    label: `${i + 1}. ${t(choice.label)}`,
    payload: `c:${choice.id}`,
  }));
  for (const action of reply.actions ?? []) buttons.push({ label: t(action.label), payload: action.payload });
  if (reply.backToMenu) buttons.push({ label: t({ key: 'engine.menuButton' }), payload: 'g:menu' });
  if (buttons.length > 0) out.buttons = buttons;
  if (reply.requestContact) out.requestContact = { label: t({ key: 'engine.sharePhoneButton' }) };
  if (reply.photo) out.photo = reply.photo;
  if (reply.link) out.link = { label: t(reply.link.label), url: reply.link.url };
  if (reply.notice) {
    out.notice = { kind: reply.notice.kind, fields: Object.fromEntries(Object.entries(reply.notice.fields).map(([k, v]) => [k, typeof v === 'string' ? v : t(v)])) };
  }
  return out;
}
