import { TelegramError, type Telegram } from 'telegraf';
import type { ChannelLimits, ChannelSender, PreviewBubble, RenderMode, SendOutcome } from '../../messaging/channel.js';
import type { OutMessage } from '../../messaging/types.js';
import { MAX_CAPTION, MAX_TEXT, previewTelegram, toApiCalls, type TelegramCall } from './to-api-calls.js';

/**
 * Bot API limits. About 30 messages per second overall and 1 per second to one
 * chat (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this);
 * inline keyboards have no small documented cap, so buttons are not limited here.
 */
export const TELEGRAM_LIMITS: ChannelLimits = {
  text: MAX_TEXT,
  caption: MAX_CAPTION,
  buttons: 100,
  buttonTitle: 64,
  ratePerSecond: 30,
  perChatPerSecond: 1,
  night: null,
};

/** Sends Bot API calls through telegraf's client, one attempt each. */
export class TelegramSender implements ChannelSender<TelegramCall> {
  readonly name = 'telegram' as const;
  readonly limits = TELEGRAM_LIMITS;
  private botName: string | null = null;

  constructor(private readonly telegram: Pick<Telegram, 'callApi'>) {}

  render(chatId: string, message: OutMessage, mode: RenderMode): TelegramCall[] {
    return toApiCalls(chatId, message, mode);
  }

  async send(_chatId: string, call: TelegramCall): Promise<SendOutcome> {
    try {
      if (call.method === 'sendPhoto') await this.telegram.callApi('sendPhoto', call.params);
      else await this.telegram.callApi('sendMessage', call.params);
      return { kind: 'sent' };
    } catch (err) {
      return telegramOutcome(err);
    }
  }

  preview(call: TelegramCall): PreviewBubble {
    return previewTelegram(call);
  }

  /** The bot's name is set in @BotFather and changes rarely: asked once, then remembered. */
  async displayName(): Promise<string | null> {
    this.botName ??= await this.telegram
      .callApi('getMe', {})
      .then((me) => me.first_name)
      .catch(() => null);
    return this.botName;
  }
}

/**
 * Maps a Bot API failure (https://core.telegram.org/bots/api#making-requests):
 * 429 carries retry_after, 403 means the user blocked the bot, 5xx and network
 * trouble are worth retrying, any other 4xx is not.
 */
export function telegramOutcome(err: unknown): SendOutcome {
  if (err instanceof TelegramError) {
    if (err.code === 429) return { kind: 'retry_after', ms: (err.parameters?.retry_after ?? 1) * 1000 };
    if (err.code === 403) return { kind: 'blocked' };
    if (err.code >= 500) return { kind: 'failed', reason: `http_${err.code}`, retryable: true, code: err.code };
    return { kind: 'failed', reason: err.code === 400 ? 'bad_request' : `http_${err.code}`, retryable: false, code: err.code };
  }
  return { kind: 'failed', reason: 'network', retryable: true };
}
