import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import type { Engine } from '../../engine/engine.js';
import type { InboundLog } from '../../engine/inbound-log.js';
import type { ChannelSender, OutMessage } from '../../messaging/types.js';
import type { Metrics } from '../../metrics.js';
import { toInbound } from './to-inbound.js';
import { toApiCalls } from './to-api-calls.js';

export interface TelegramChannelOptions {
  token: string;
  apiRoot: string;
  engine: Engine;
  inboundLog: InboundLog;
  logger: Logger;
  metrics: Metrics;
  /** Called when a user has blocked the bot (403), to stop messaging them. */
  onBlocked?: (chatId: string) => Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Telegram adapter: telegraf receives updates (webhook or polling), we normalise
 * them, run the engine and send its replies. An update is marked handled only
 * after its replies are sent; any failure propagates so the webhook answers 5xx
 * and Telegram redelivers, and the engine replays the saved replies.
 */
export class TelegramChannel implements ChannelSender {
  readonly channel = 'telegram' as const;
  readonly bot: Telegraf;

  constructor(private readonly opts: TelegramChannelOptions) {
    this.bot = new Telegraf(opts.token, {
      telegram: { apiRoot: opts.apiRoot, webhookReply: false },
      handlerTimeout: 25_000,
    });
    this.bot.use(async (ctx) => this.onUpdate(ctx.update, () => ctx.answerCbQuery()));
    this.bot.catch((err) => {
      throw err;
    });
  }

  /** Entry point for the webhook route; rejects when the update must be redelivered. */
  async handleUpdate(update: Update): Promise<void> {
    await this.bot.handleUpdate(update);
  }

  private async onUpdate(update: Update, answerCallback: () => Promise<unknown>): Promise<void> {
    const run = await this.opts.inboundLog.once(
      `telegram:${update.update_id}`,
      async () => {
        if ('callback_query' in update) {
          // Stops the spinner on the tapped button; harmless if it fails.
          await answerCallback().catch((err: Error) => this.opts.logger.warn({ err: err.message }, 'answerCallbackQuery failed'));
        }
        const inbound = toInbound(update);
        if (!inbound) return 'ignored' as const;
        try {
          const replies = await this.opts.engine.handle(inbound);
          await this.send(inbound.chatId, replies);
        } catch (err) {
          this.opts.metrics.updates.inc({ channel: 'telegram', outcome: 'error' });
          throw err;
        }
        return 'handled' as const;
      },
      () => this.opts.metrics.updates.inc({ channel: 'telegram', outcome: 'duplicate' }),
    );
    if (!run.duplicate) this.opts.metrics.updates.inc({ channel: 'telegram', outcome: run.value });
  }

  async send(chatId: string, messages: OutMessage[]): Promise<void> {
    for (const message of messages) {
      for (const call of toApiCalls(chatId, message)) {
        await this.call(call.method, call.params, chatId);
      }
    }
  }

  /** One Bot API call, waiting out a 429 a few times; a 403 means the user blocked us. */
  private async call(method: string, params: object, chatId: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.bot.telegram.callApi(method as 'sendMessage', params as never);
        return;
      } catch (err) {
        if (err instanceof TelegramError && err.code === 429 && attempt < 3) {
          await sleep(((err.parameters?.retry_after ?? 1) + 0.1) * 1000);
          continue;
        }
        if (err instanceof TelegramError && err.code === 403) {
          this.opts.logger.info({ event: 'telegram_blocked' }, 'user blocked the bot');
          await this.opts.onBlocked?.(chatId);
          return;
        }
        throw err;
      }
    }
  }

  /** Registers the webhook with its secret so Telegram signs every delivery. */
  async setWebhook(publicUrl: string, secret: string): Promise<void> {
    const url = new URL('/webhooks/telegram', publicUrl).toString();
    await this.bot.telegram.setWebhook(url, {
      secret_token: secret,
      allowed_updates: ['message', 'callback_query'],
    });
    this.opts.logger.info({ event: 'telegram_webhook_set' }, 'Telegram webhook registered');
  }

  startPolling(): void {
    // launch() resolves only when polling stops; errors are logged, not fatal to the HTTP side.
    void this.bot.launch({ allowedUpdates: ['message', 'callback_query'] }).catch((err: Error) => {
      this.opts.logger.error({ event: 'telegram_polling_failed', err: err.message }, 'Telegram polling stopped');
    });
  }

  stop(): void {
    try {
      this.bot.stop('shutdown');
    } catch {
      // not running: nothing to stop
    }
  }
}
