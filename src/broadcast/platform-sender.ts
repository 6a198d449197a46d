import { TelegramError, type Telegram } from 'telegraf';
import type { ChannelSender, OutMessage } from '../messaging/types.js';
import { toApiCalls, type TelegramCall } from '../channels/telegram/to-api-calls.js';
import { ZaloOaChannel } from '../channels/zalo/oa-channel.js';
import type { PlatformSender, SendOutcome } from './sender.js';
import { zaloOaPlatformSender } from './zalo-sender.js';

export type { PlatformSender, SendOutcome } from './sender.js';

/** Telegram caption limit; a longer text goes as a separate message after the photo. */
export const MAX_CAPTION = 1024;

/** Raw Bot API sends through telegraf's client (`app.telegram.bot.telegram`). */
export function telegramPlatformSender(telegram: Pick<Telegram, 'callApi'>): PlatformSender {
  let name: string | null = null;
  return {
    platform: 'telegram',
    async displayName() {
      // The bot's name is set in @BotFather and changes rarely: asked once, then remembered.
      name ??= await telegram
        .callApi('getMe', {})
        .then((me) => me.first_name)
        .catch(() => null);
      return name;
    },
    render(chatId, message) {
      // One call when the text fits a caption: one message, one rate slot, one per-chat slot.
      if (message.photo && message.text.length <= MAX_CAPTION) {
        const markup = message.link ? { inline_keyboard: [[{ text: message.link.label, url: message.link.url }]] } : undefined;
        return [{ method: 'sendPhoto', params: { chat_id: chatId, photo: message.photo, caption: message.text, ...(markup ? { reply_markup: markup } : {}) } }];
      }
      return toApiCalls(chatId, message);
    },
    async send(_chatId, call) {
      const { method, params } = call as TelegramCall;
      try {
        await telegram.callApi(method as 'sendMessage', params as never);
        return { kind: 'ok' };
      } catch (err) {
        return telegramOutcome(err);
      }
    },
  };
}

/** Maps a Bot API failure: 429 → pause, 403 → blocked, 5xx/network → retry, other 4xx → give up. */
export function telegramOutcome(err: unknown): SendOutcome {
  if (err instanceof TelegramError) {
    if (err.code === 429) return { kind: 'rate_limited', retryAfterMs: (err.parameters?.retry_after ?? 1) * 1000 };
    if (err.code === 403) return { kind: 'blocked' };
    if (err.code >= 500) return { kind: 'transient', reason: `http_${err.code}` };
    return { kind: 'permanent', reason: err.code === 400 ? 'bad_request' : `http_${err.code}` };
  }
  return { kind: 'transient', reason: 'network' };
}

/**
 * Wraps a channel's own sender (simulator, Zalo Bot) for platforms without a raw
 * single-attempt client here: any failure counts as transient. The Zalo OA
 * channel gets its single-attempt sender (zaloOaPlatformSender) instead, so the
 * 7-day window and throttling are told apart from failures worth retrying.
 */
export function channelPlatformSender(sender: ChannelSender): PlatformSender {
  if (sender instanceof ZaloOaChannel) return zaloOaPlatformSender(sender);
  return {
    platform: sender.channel,
    render: (_chatId, message) => [message],
    async send(chatId, call) {
      try {
        await sender.send(chatId, [call as OutMessage]);
        return { kind: 'ok' };
      } catch {
        return { kind: 'transient', reason: 'send_failed' };
      }
    },
  };
}
