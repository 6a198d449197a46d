import type { InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'telegraf/types';
import type { OutMessage } from '../../messaging/types.js';
import type { PreviewBubble, RenderMode } from '../../messaging/channel.js';
import { splitText } from '../../messaging/split-text.js';

type Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove;

export type TelegramCall =
  | { method: 'sendMessage'; params: { chat_id: string; text: string; reply_markup: Markup; link_preview_options: { is_disabled: true } } }
  | { method: 'sendPhoto'; params: { chat_id: string; photo: string; caption?: string; reply_markup?: InlineKeyboardMarkup } };

/** Bot API limits: https://core.telegram.org/bots/api#sendmessage (text 1-4096), #sendphoto (caption 0-1024). */
export const MAX_TEXT = 4096;
export const MAX_CAPTION = 1024;

/**
 * Renders a channel-neutral message as Bot API calls. Options become one inline
 * button per row (big targets on small phones). When the step asks for the phone
 * number, everything goes on a reply keyboard instead, because a request_contact
 * button cannot sit in an inline keyboard. https://core.telegram.org/bots/api#keyboardbutton
 * A notice with a photo and a text that fits a caption is one call: one message,
 * one rate slot.
 */
export function toApiCalls(chatId: string, message: OutMessage, mode: RenderMode = 'reply'): TelegramCall[] {
  const linkKeyboard = message.link ? { inline_keyboard: [[{ text: message.link.label, url: message.link.url }]] } : undefined;
  if (mode === 'notice' && message.photo && message.text.length <= MAX_CAPTION && !message.buttons?.length && !message.requestContact) {
    return [{ method: 'sendPhoto', params: { chat_id: chatId, photo: message.photo, caption: message.text, ...(linkKeyboard ? { reply_markup: linkKeyboard } : {}) } }];
  }
  const calls: TelegramCall[] = [];
  if (message.photo) calls.push({ method: 'sendPhoto', params: { chat_id: chatId, photo: message.photo } });

  let replyMarkup: Markup;
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
        ...(linkKeyboard?.inline_keyboard ?? []),
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

/** How one call shows in the chat: the photo or text, and the link button under it. */
export function previewTelegram(call: TelegramCall): PreviewBubble {
  const markup = call.params.reply_markup;
  const link = markup && 'inline_keyboard' in markup ? markup.inline_keyboard.flat().find((b) => 'url' in b) : undefined;
  const button = link && 'url' in link ? { button: { label: link.text, url: link.url } } : {};
  if (call.method === 'sendPhoto') return { photo: call.params.photo, text: call.params.caption ?? '', ...button };
  return { text: call.params.text, ...button };
}
