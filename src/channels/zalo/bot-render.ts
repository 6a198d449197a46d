import type { OutMessage } from '../../messaging/types.js';
import type { PreviewBubble } from '../../messaging/channel.js';
import { splitText } from '../../messaging/split-text.js';

/** Bot Platform text limit per sendMessage. */
export const BOT_TEXT_LIMIT = 2000;

export type BotCall = { method: 'sendMessage'; text: string } | { method: 'sendPhoto'; photo: string };

/**
 * Renders a message for the Bot Platform, which has no buttons: every option is
 * a line of the text. Choice labels already carry their number ("1. …"), which
 * the engine maps from a typed number; the back-to-menu label is itself a word the
 * engine understands when typed ("Về menu chính"). A phone request becomes its
 * label as the last line: the user types the number.
 */
export function renderBot(out: OutMessage): BotCall[] {
  const calls: BotCall[] = [];
  if (out.photo) calls.push({ method: 'sendPhoto', photo: out.photo });
  const lines = (out.buttons ?? []).map((b) => b.label);
  if (out.link) lines.unshift(`${out.link.label}: ${out.link.url}`);
  if (out.requestContact) lines.push(out.requestContact.label);
  const text = [out.text.normalize('NFC'), lines.join('\n')].filter((t) => t !== '').join('\n\n');
  for (const chunk of text === '' ? [] : splitText(text, BOT_TEXT_LIMIT)) calls.push({ method: 'sendMessage', text: chunk });
  return calls;
}

/** How one call shows in the chat. */
export function previewBot(call: BotCall): PreviewBubble {
  return call.method === 'sendPhoto' ? { photo: call.photo, text: '' } : { text: call.text };
}
