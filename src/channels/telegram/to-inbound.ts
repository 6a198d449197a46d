import type { Update } from 'telegraf/types';
import type { Inbound } from '../../messaging/types.js';

/**
 * Turns a raw Telegram update into an Inbound, or undefined for updates the bot
 * ignores (group chats, edits, channel posts). https://core.telegram.org/bots/api#update
 */
export function toInbound(update: Update): Inbound | undefined {
  const id = String(update.update_id);
  if ('callback_query' in update) {
    const query = update.callback_query;
    const chat = query.message?.chat;
    if (chat && chat.type !== 'private') return undefined;
    if (!('data' in query) || typeof query.data !== 'string') return undefined;
    const base = {
      id,
      channel: 'telegram' as const,
      chatId: String(chat?.id ?? query.from.id),
      userId: String(query.from.id),
      localeHint: query.from.language_code,
    };
    return { ...base, kind: 'button', payload: query.data };
  }
  if (!('message' in update)) return undefined;
  const message = update.message;
  if (message.chat.type !== 'private') return undefined;
  const base = {
    id,
    channel: 'telegram' as const,
    chatId: String(message.chat.id),
    userId: String(message.from?.id ?? message.chat.id),
    localeHint: message.from?.language_code,
  };
  if ('text' in message) {
    const command = /^\/([A-Za-z0-9_]{1,32})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(message.text);
    const isCommand = message.entities?.some((e) => e.type === 'bot_command' && e.offset === 0) ?? false;
    if (command && isCommand) return { ...base, kind: 'command', command: command[1]!, args: (command[2] ?? '').trim() };
    return { ...base, kind: 'text', text: message.text };
  }
  if ('contact' in message) {
    const own = message.contact.user_id !== undefined && message.contact.user_id === message.from?.id;
    return { ...base, kind: 'contact', phone: message.contact.phone_number, ownContact: own };
  }
  if ('photo' in message && message.photo.length > 0) {
    const largest = message.photo[message.photo.length - 1]!;
    return { ...base, kind: 'photo', fileRef: largest.file_id, caption: message.caption };
  }
  return { ...base, kind: 'unsupported' };
}
