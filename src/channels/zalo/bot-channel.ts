import express, { type Router } from 'express';
import type { Config } from '../../config.js';
import type { Engine } from '../../engine/engine.js';
import type { InboundLog } from '../../engine/inbound-log.js';
import type { ChannelSender, OutMessage } from '../../messaging/types.js';
import type { Metrics } from '../../metrics.js';
import type { Logger } from '../../logger.js';
import { answerUpdateFailure } from '../telegram/webhook-route.js';
import { secretMatches } from '../../security/secret-match.js';
import { BotClient } from './bot-client.js';
import { botToInbound, botUpdateKey, parseBotUpdate } from './bot-events.js';
import { renderBot } from './bot-render.js';
import { retryThrottled } from './zalo-errors.js';

export interface ZaloBotChannelOptions {
  config: NonNullable<Config['zaloBot']>;
  engine: Engine;
  inboundLog: InboundLog;
  logger: Logger;
  metrics: Metrics;
}

/**
 * Zalo Bot Platform adapter (for offices without an Official Account). Like the
 * Telegram adapter: an update is marked handled only after its replies are sent;
 * a failure answers 5xx so the platform redelivers, and the engine replays.
 */
export class ZaloBotChannel implements ChannelSender {
  readonly channel = 'zalo-bot' as const;
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

  async handleUpdate(update: NonNullable<ReturnType<typeof parseBotUpdate>>): Promise<void> {
    const handle = async () => {
      const inbound = botToInbound(update);
      if (!inbound) return 'ignored' as const;
      const replies = await this.opts.engine.handle(inbound);
      await this.send(inbound.chatId, replies);
      return 'handled' as const;
    };
    const key = botUpdateKey(update);
    const run = key
      ? await this.opts.inboundLog.once(key, handle, () => this.opts.metrics.updates.inc({ channel: 'zalo-bot', outcome: 'duplicate' }))
      : { duplicate: false as const, value: await handle() };
    if (!run.duplicate) this.opts.metrics.updates.inc({ channel: 'zalo-bot', outcome: run.value });
  }

  async send(chatId: string, messages: OutMessage[]): Promise<void> {
    for (const message of messages) {
      for (const call of renderBot(message)) {
        await retryThrottled(() => (call.method === 'sendPhoto' ? this.client.sendPhoto(chatId, call.photo) : this.client.sendMessage(chatId, call.text)));
      }
    }
  }

  /** Registers PUBLIC_URL/webhooks/zalo-bot with the secret. */
  async setWebhook(publicUrl: string): Promise<void> {
    await this.client.setWebhook(new URL('/webhooks/zalo-bot', publicUrl).toString(), this.opts.config.webhookSecret);
    this.opts.logger.info({ event: 'zalo_bot_webhook_set' }, 'Zalo Bot webhook registered');
  }
}
