import { Telegram } from 'telegraf';
import type { Config } from '../../config.js';
import type { ChannelModule } from '../module.js';
import { TelegramChannel } from './telegram-channel.js';
import { TELEGRAM_LIMITS } from './telegram-sender.js';
import { previewTelegram, toApiCalls } from './to-api-calls.js';

/** Telegram Bot API: on when TELEGRAM_BOT_TOKEN is set. */
export const telegramModule: ChannelModule = {
  name: 'telegram',
  renderer: { name: 'telegram', limits: TELEGRAM_LIMITS, render: toApiCalls, preview: previewTelegram },
  create: ({ config, ...ctx }) => (config.telegram ? new TelegramChannel({ ...ctx, config: config.telegram }) : null),
};

/**
 * A Bot API client for fetching evidence photos by file id (getFile), separate
 * from the channel: staff may open a stored photo whatever runs in this instance.
 */
export function telegramFiles(config: Config['telegram']): Telegram | undefined {
  return config ? new Telegram(config.token, { apiRoot: config.apiRoot }) : undefined;
}
