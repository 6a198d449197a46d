import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Router } from 'express';
import type { Config } from '../../config.js';
import type { Channel, PreviewBubble, RenderMode, SendOutcome } from '../../messaging/channel.js';
import { deliver } from '../../messaging/channel.js';
import type { OutMessage } from '../../messaging/types.js';
import type { ChannelContext } from '../context.js';
import { toInbound } from './to-inbound.js';
import type { TelegramCall } from './to-api-calls.js';
import { TelegramSender } from './telegram-sender.js';
import { telegramWebhookRoute } from './webhook-route.js';
import { errorMessage } from '../../errors.js';

export type TelegramChannelContext = Omit<ChannelContext, 'config' | 'connection' | 'claims'> & { config: NonNullable<Config['telegram']> };

/**
 * Telegram adapter: telegraf receives updates (webhook or polling), we normalise
 * them, run the engine and send its replies. An update is marked handled only
 * after its replies are sent; any failure propagates so the webhook answers 5xx
 * and Telegram redelivers, and the engine replays the saved replies.
 */
export class TelegramChannel implements Channel<TelegramCall> {
  readonly name = 'telegram' as const;
  readonly bot: Telegraf;
  private readonly sender: TelegramSender;
  readonly limits;

  constructor(private readonly ctx: TelegramChannelContext) {
    this.bot = new Telegraf(ctx.config.token, {
      telegram: { apiRoot: ctx.config.apiRoot, webhookReply: false },
      handlerTimeout: 25_000,
    });
    this.sender = new TelegramSender(this.bot.telegram);
    this.limits = this.sender.limits;
    this.bot.use(async (tg) => this.onUpdate(tg.update, () => tg.answerCbQuery()));
    this.bot.catch((err) => {
      throw err;
    });
  }

  render(chatId: string, message: OutMessage, mode: RenderMode): TelegramCall[] {
    return this.sender.render(chatId, message, mode);
  }

  send(chatId: string, call: TelegramCall): Promise<SendOutcome> {
    return this.sender.send(chatId, call);
  }

  preview(call: TelegramCall): PreviewBubble | null {
    return this.sender.preview(call);
  }

  displayName(): Promise<string | null> {
    return this.sender.displayName();
  }

  /** POST /webhooks/telegram, when updates come by webhook and a secret is set. */
  routes(): Router | null {
    const { mode, webhookSecret } = this.ctx.config;
    return mode === 'webhook' && webhookSecret ? telegramWebhookRoute((update) => this.handleUpdate(update), webhookSecret, this.ctx.logger) : null;
  }

  /** Registers the webhook (with its secret, so Telegram signs every delivery) or starts polling. */
  async start(publicUrl: string | undefined): Promise<void> {
    const { mode, webhookSecret } = this.ctx.config;
    if (mode === 'polling') {
      // launch() resolves only when polling stops; errors are logged, not fatal to the HTTP side.
      void this.bot.launch({ allowedUpdates: ['message', 'callback_query'] }).catch((err: Error) => {
        this.ctx.logger.error({ event: 'telegram_polling_failed', err: err.message }, 'Telegram polling stopped');
      });
      return;
    }
    if (!publicUrl || !webhookSecret) return;
    try {
      await this.bot.telegram.setWebhook(new URL('/webhooks/telegram', publicUrl).toString(), {
        secret_token: webhookSecret,
        allowed_updates: ['message', 'callback_query'],
      });
      this.ctx.logger.info({ event: 'telegram_webhook_set' }, 'Telegram webhook registered');
    } catch (err) {
      this.ctx.logger.error({ event: 'telegram_webhook_failed', err: errorMessage(err) }, 'setWebhook failed; updates will not arrive');
    }
  }

  async stop(): Promise<void> {
    try {
      this.bot.stop('shutdown');
    } catch {
      // not running: nothing to stop
    }
  }

  /** Entry point for the webhook route; rejects when the update must be redelivered. */
  async handleUpdate(update: Update): Promise<void> {
    await this.bot.handleUpdate(update);
  }

  private async onUpdate(update: Update, answerCallback: () => Promise<unknown>): Promise<void> {
    const { inboundLog, engine, metrics, logger } = this.ctx;
    const run = await inboundLog.once(
      `telegram:${update.update_id}`,
      async () => {
        if ('callback_query' in update) {
          // Stops the spinner on the tapped button; harmless if it fails.
          await answerCallback().catch((err: Error) => logger.warn({ err: err.message }, 'answerCallbackQuery failed'));
        }
        const inbound = toInbound(update);
        if (!inbound) return 'ignored' as const;
        try {
          const replies = await engine.handle(inbound);
          const delivery = await deliver(this, inbound.chatId, replies);
          if (delivery.kind === 'refused') {
            logger.info({ event: 'telegram_blocked' }, 'user blocked the bot');
            await this.ctx.reach.markBlocked({ channel: 'telegram', chatId: inbound.chatId });
          }
        } catch (err) {
          metrics.updates.inc({ channel: 'telegram', outcome: 'error' });
          throw err;
        }
        return 'handled' as const;
      },
      () => metrics.updates.inc({ channel: 'telegram', outcome: 'duplicate' }),
    );
    if (!run.duplicate) metrics.updates.inc({ channel: 'telegram', outcome: run.value });
  }
}
