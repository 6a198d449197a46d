import express, { type Router } from 'express';
import type { Config } from '../../config.js';
import { deliver, type Channel, type ChannelLimits, type PreviewBubble, type SendOutcome } from '../../messaging/channel.js';
import type { OutMessage } from '../../messaging/types.js';
import type { ChannelContext } from '../context.js';
import { answerUpdateFailure } from '../webhook-failure.js';
import { secretMatches } from '../../security/secret-match.js';
import { BotClient } from './bot-client.js';
import { botToInbound, botUpdateKey, parseBotUpdate } from './bot-events.js';
import { BOT_TEXT_LIMIT, previewBot, renderBot, type BotCall } from './bot-render.js';
import { ZaloApiError, ZaloThrottledError } from './zalo-errors.js';
import { errorMessage } from '../../errors.js';

export type ZaloBotChannelOptions = Pick<ChannelContext, 'engine' | 'inboundLog' | 'logger' | 'metrics'> & { config: NonNullable<Config['zaloBot']> };

/** The Bot Platform shows no buttons; like an OA, it may not send notices at night. */
export const ZALO_BOT_LIMITS: ChannelLimits = {
  text: BOT_TEXT_LIMIT,
  caption: 0,
  buttons: 0,
  buttonTitle: 0,
  ratePerSecond: 10,
  perChatPerSecond: 1,
  night: { start: '22:00', end: '06:00' },
};

/**
 * Zalo Bot Platform adapter (for offices without an Official Account). Like the
 * Telegram adapter: an update is marked handled only after its replies are sent;
 * a failure answers 5xx so the platform redelivers, and the engine replays.
 */
export class ZaloBotChannel implements Channel<BotCall> {
  readonly name = 'zalo-bot' as const;
  readonly limits = ZALO_BOT_LIMITS;
  private readonly client: BotClient;

  constructor(private readonly opts: ZaloBotChannelOptions) {
    this.client = new BotClient({ apiBase: opts.config.apiBase, token: opts.config.token });
  }

  /** POST /webhooks/zalo-bot: 401 without the right secret, 400 for a body that is not an update. */
  routes(): Router {
    const router = express.Router();
    router.post(
      '/webhooks/zalo-bot',
      (req, res, next) => {
        if (!secretMatches(req.get('x-bot-api-secret-token'), this.opts.config.webhookSecret)) {
          res.status(401).json({ code: 'unauthorized', message: 'bad or missing secret token' });
          return;
        }
        next();
      },
      express.raw({ type: () => true, limit: '1mb' }),
      async (req, res) => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
        } catch {
          body = undefined;
        }
        const update = parseBotUpdate(body);
        if (!update) {
          res.status(400).json({ code: 'bad_update', message: 'body is not a Zalo Bot update' });
          return;
        }
        try {
          await this.handleUpdate(update);
          res.status(200).json({ ok: true });
        } catch (err) {
          answerUpdateFailure(err, res, this.opts.logger, { event: 'zalo_bot', name: 'Zalo' });
        }
      },
    );
    return router;
  }

  /** Registers PUBLIC_URL/webhooks/zalo-bot with the secret. */
  async start(publicUrl: string | undefined): Promise<void> {
    if (!publicUrl) return;
    try {
      await this.client.setWebhook(new URL('/webhooks/zalo-bot', publicUrl).toString(), this.opts.config.webhookSecret);
      this.opts.logger.info({ event: 'zalo_bot_webhook_set' }, 'Zalo Bot webhook registered');
    } catch (err) {
      this.opts.logger.error({ event: 'zalo_bot_webhook_failed', err: errorMessage(err) }, 'Zalo Bot setWebhook failed; updates will not arrive');
    }
  }

  async stop(): Promise<void> {
    // Webhook only: nothing runs between requests.
  }

  async handleUpdate(update: NonNullable<ReturnType<typeof parseBotUpdate>>): Promise<void> {
    const handle = async () => {
      const inbound = botToInbound(update);
      if (!inbound) return 'ignored' as const;
      const replies = await this.opts.engine.handle(inbound);
      await deliver(this, inbound.chatId, replies);
      return 'handled' as const;
    };
    const key = botUpdateKey(update);
    const run = key
      ? await this.opts.inboundLog.once(key, handle, () => this.opts.metrics.updates.inc({ channel: 'zalo-bot', outcome: 'duplicate' }))
      : { duplicate: false as const, value: await handle() };
    if (!run.duplicate) this.opts.metrics.updates.inc({ channel: 'zalo-bot', outcome: run.value });
  }

  render(_chatId: string, message: OutMessage): BotCall[] {
    return renderBot(message);
  }

  async send(chatId: string, call: BotCall): Promise<SendOutcome> {
    try {
      if (call.method === 'sendPhoto') await this.client.sendPhoto(chatId, call.photo);
      else await this.client.sendMessage(chatId, call.text);
      return { kind: 'sent' };
    } catch (err) {
      return zaloBotOutcome(err);
    }
  }

  preview(call: BotCall): PreviewBubble {
    return previewBot(call);
  }
}

/**
 * Maps a Bot Platform failure. Its documentation gives no code for a person who
 * blocked the bot, so no failure is taken for one: network trouble, 429 and 5xx
 * are retried, any other answer is final.
 */
export function zaloBotOutcome(err: unknown): SendOutcome {
  if (err instanceof ZaloThrottledError) return { kind: 'retry_after', ms: null };
  if (err instanceof ZaloApiError) {
    if (err.code === -1 || err.code >= 500) return { kind: 'failed', reason: err.code === -1 ? 'network' : `http_${err.code}`, retryable: true, code: err.code };
    return { kind: 'failed', reason: `zalo_bot_${err.code}`, retryable: false, code: err.code };
  }
  return { kind: 'failed', reason: 'network', retryable: true };
}
