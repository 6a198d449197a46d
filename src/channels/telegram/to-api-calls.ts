import type { OutMessage } from '../../messaging/types.js';

export type TelegramCall =
  | { method: 'sendMessage'; params: { chat_id: string; text: string; reply_markup: unknown; link_preview_options: { is_disabled: true } } }
  | { method: 'sendPhoto'; params: { chat_id: string; photo: string; caption?: string } };

export const MAX_TEXT = 4096;

/**
 * Renders a channel-neutral message as Bot API calls. Options become one inline
 * button per row (big targets on small phones). When the step asks for the phone
 * number, everything goes on a reply keyboard instead, because a request_contact
 * button cannot sit in an inline keyboard. https://core.telegram.org/bots/api#keyboardbutton
 */
export function toApiCalls(chatId: string, message: OutMessage): TelegramCall[] {
  const calls: TelegramCall[] = [];
  if (message.photo) calls.push({ method: 'sendPhoto', params: { chat_id: chatId, photo: message.photo } });

  let replyMarkup: unknown;
  if (message.requestContact) {
    replyMarkup = {
      keyboard: [
        [{ text: message.requestContact.label, request_contact: true }],
        ...(message.buttons ?? []).map((b) => [{ text: b.label }]),
      ],
      resize_keyboard: true,
      one_time_keyboard: true,
      is_persistent: false,
    };
  } else if (message.buttons?.length || message.link) {
    replyMarkup = {
      inline_keyboard: [
        ...(message.link ? [[{ text: message.link.label, url: message.link.url }]] : []),
        ...(message.buttons ?? []).map((b) => [{ text: b.label, callback_data: b.payload }]),
      ],
    };
  } else {
    // Clears a contact keyboard left from an earlier step.
    replyMarkup = { remove_keyboard: true };
  }

  const chunks = splitText(message.text, MAX_TEXT);
  chunks.forEach((text, i) => {
    calls.push({
      method: 'sendMessage',
      params: {
        chat_id: chatId,
        text,
        reply_markup: i === chunks.length - 1 ? replyMarkup : { remove_keyboard: true },
        link_preview_options: { is_disabled: true },
      },
    });
  });
  return calls;
}

/** Splits at paragraph or line breaks so no chunk exceeds Telegram's limit. */
export function splitText(text: string, max: number): string[] {
  if (text.length <= max) return [text];
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf('\n', max);
    if (cut < max / 2) cut = rest.lastIndexOf(' ', max);
    if (cut < max / 2) cut = max;
    chunks.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest) chunks.push(rest);
  return chunks;
}
