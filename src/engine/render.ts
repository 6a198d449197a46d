import type { Translator } from '../i18n/i18n.js';
import type { Locale, OutMessage, Reply } from './types.js';

/**
 * Translates a reply for one user. Option labels carry their number so that
 * typing "2" is as good as tapping the second button, on every platform.
 */
export function renderReply(reply: Reply, locale: Locale, translator: Translator): OutMessage {
  const t = (msg: Parameters<Translator['t']>[1]) => translator.t(locale, msg);
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
  return out;
}
