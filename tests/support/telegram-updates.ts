/**
 * Builders for raw Telegram updates shaped like the ones the Bot API really delivers
 * (see tests/support/fixtures/telegram/*.json). Every builder returns a fresh update with an
 * incrementing update_id; feed them to `FakeTelegram.pushUpdate` (polling), to
 * `bot.handleUpdate`, or POST them to the bot's webhook with `postWebhook`.
 *
 * Private chats: chat.id is the user's id, so by default `from.id === chatId`. A negative
 * chatId builds a group (-100… → supergroup) message from a separate user.
 */
import type { CallbackQuery, Chat, Message, Update, User } from 'telegraf/types';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import { DEFAULT_BOT_FIRST_NAME, DEFAULT_BOT_USERNAME, DEFAULT_TOKEN } from './fake-telegram.js';

export interface SenderOptions {
  /** Sender's user id; defaults to chatId for private chats. */
  userId?: number;
  firstName?: string;
  lastName?: string;
  username?: string;
  /** IETF language tag of the user's Telegram app; default 'vi'. */
  languageCode?: string;
  /** Unix seconds; default now. */
  date?: number;
  messageId?: number;
}

export interface CallbackOptions extends SenderOptions {
  /** Text of the bot message that carried the keyboard. */
  messageText?: string;
  /** Keyboard of that message; default one button carrying `data`. */
  replyMarkup?: InlineKeyboardMarkup;
  queryId?: string;
  chatInstance?: string;
  botId?: number;
  botUsername?: string;
}

export interface ContactOptions extends SenderOptions {
  /**
   * contact.user_id: defaults to the sender (the user shared their own number via a
   * request_contact button); pass another id for someone else's contact, or null to omit it
   * (a contact card not linked to a Telegram account).
   */
  contactUserId?: number | null;
  contactFirstName?: string;
  contactLastName?: string;
}

const DEFAULT_BOT_ID = Number(DEFAULT_TOKEN.split(':')[0]);
const BOT_COMMAND = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?=\s|$)/;

let updateId = 583_120_000;
let messageId = 1_000;
let queryCounter = 0;

/** Restart the counters (update_id, message_id) for deterministic snapshots. */
export function resetUpdateCounters(nextUpdateId = 583_120_000, nextMessageId = 1_000): void {
  updateId = nextUpdateId;
  messageId = nextMessageId;
  queryCounter = 0;
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}

function sender(chatId: number, o: SenderOptions): User {
  const user: User = {
    id: o.userId ?? (chatId > 0 ? chatId : 7_000_000_001),
    is_bot: false,
    first_name: o.firstName ?? 'Lan',
    last_name: o.lastName ?? 'Nguyễn Thị',
    language_code: o.languageCode ?? 'vi',
  };
  if (o.username !== undefined) user.username = o.username;
  return user;
}

function chatOf(chatId: number, from: User): Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat {
  if (chatId > 0) {
    const chat: Chat.PrivateChat = { id: chatId, first_name: from.first_name, type: 'private' };
    if (from.last_name !== undefined) chat.last_name = from.last_name;
    if (from.username !== undefined) chat.username = from.username;
    return chat;
  }
  return String(chatId).startsWith('-100')
    ? { id: chatId, title: 'Hội hưu trí phường', type: 'supergroup' }
    : { id: chatId, title: 'Hội hưu trí phường', type: 'group' };
}

function baseMessage(chatId: number, o: SenderOptions): Pick<Message.TextMessage, 'message_id' | 'from' | 'chat' | 'date'> {
  const from = sender(chatId, o);
  return { message_id: o.messageId ?? messageId++, from, chat: chatOf(chatId, from), date: o.date ?? now() };
}

/** A text message; a leading `/command` (optionally `@bot`) gets a `bot_command` entity like Telegram adds. */
export function textUpdate(chatId: number, text: string, opts: SenderOptions = {}): Update.MessageUpdate<Message.TextMessage> {
  const message: Message.TextMessage = { ...baseMessage(chatId, opts), text };
  const command = BOT_COMMAND.exec(text);
  if (command) message.entities = [{ offset: 0, length: command[0].length, type: 'bot_command' }];
  return { update_id: updateId++, message } as Update.MessageUpdate<Message.TextMessage>;
}

/** A press on an inline button with callback_data `data`, on a message the bot sent earlier. */
export function callbackUpdate(chatId: number, data: string, opts: CallbackOptions = {}): Update.CallbackQueryUpdate<CallbackQuery.DataQuery> {
  const from = sender(chatId, opts);
  const botMessage: Message.TextMessage = {
    message_id: opts.messageId ?? messageId++,
    from: {
      id: opts.botId ?? DEFAULT_BOT_ID,
      is_bot: true,
      first_name: DEFAULT_BOT_FIRST_NAME,
      username: opts.botUsername ?? DEFAULT_BOT_USERNAME,
    },
    chat: chatOf(chatId, from),
    date: (opts.date ?? now()) - 5,
    text: opts.messageText ?? 'Bác muốn làm gì ạ?',
    reply_markup: opts.replyMarkup ?? { inline_keyboard: [[{ text: 'Chọn', callback_data: data }]] },
  };
  queryCounter++;
  return {
    update_id: updateId++,
    callback_query: {
      id: opts.queryId ?? String(4_387_512_230_000_000_000n + BigInt(queryCounter) * 7_919n),
      from,
      message: botMessage,
      chat_instance: opts.chatInstance ?? String(-6_029_418_337_251_004_117n + BigInt(chatId)),
      data,
    },
  };
}

/** A contact message; by default the sender's own number shared through a request_contact button. */
export function contactUpdate(chatId: number, phoneNumber: string, opts: ContactOptions = {}): Update.MessageUpdate<Message.ContactMessage> {
  const base = baseMessage(chatId, opts);
  const contact: Message.ContactMessage['contact'] = {
    phone_number: phoneNumber,
    first_name: opts.contactFirstName ?? base.from?.first_name ?? 'Lan',
  };
  const lastName = opts.contactLastName ?? (opts.contactUserId === undefined ? base.from?.last_name : undefined);
  if (lastName !== undefined) contact.last_name = lastName;
  const contactUserId = opts.contactUserId === undefined ? base.from?.id : opts.contactUserId;
  if (contactUserId !== null && contactUserId !== undefined) contact.user_id = contactUserId;
  return { update_id: updateId++, message: { ...base, contact } } as Update.MessageUpdate<Message.ContactMessage>;
}

/** A photo message; Telegram sends several sizes, the largest (last) one carries `fileId`. */
export function photoUpdate(chatId: number, fileId: string, caption?: string, opts: SenderOptions = {}): Update.MessageUpdate<Message.PhotoMessage> {
  const unique = (suffix: string): string => `AQAD${Buffer.from(fileId + suffix).toString('base64url').slice(0, 12)}`;
  const message: Message.PhotoMessage = {
    ...baseMessage(chatId, opts),
    photo: [
      { file_id: `${fileId}-s`, file_unique_id: unique('s'), file_size: 1_433, width: 90, height: 67 },
      { file_id: `${fileId}-m`, file_unique_id: unique('m'), file_size: 19_870, width: 320, height: 240 },
      { file_id: fileId, file_unique_id: unique(''), file_size: 88_412, width: 1280, height: 960 },
    ],
  };
  if (caption !== undefined) message.caption = caption;
  return { update_id: updateId++, message } as Update.MessageUpdate<Message.PhotoMessage>;
}

/** POST an update to a webhook the way Telegram does (JSON, optional X-Telegram-Bot-Api-Secret-Token). */
export async function postWebhook(url: string, update: object, secret?: string): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers['X-Telegram-Bot-Api-Secret-Token'] = secret;
  const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(update) });
  const text = await res.text();
  let body: unknown = text;
  if (text === '') body = undefined;
  else {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = text;
    }
  }
  return { status: res.status, body };
}
