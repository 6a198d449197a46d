import { Claims } from '../../db/claims.js';
import { claimModel } from '../../db/models/claim.js';
import express, { type Router } from 'express';
import type { Connection } from 'mongoose';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Engine } from '../../engine/engine.js';
import type { InboundLog } from '../../engine/inbound-log.js';
import type { ChannelSender } from '../../messaging/types.js';
import type { Metrics } from '../../metrics.js';
import type { Domain } from '../../domain/domain.js';
import { zaloInboxModel } from '../../db/models/zalo-inbox.js';
import { zaloTokenModel } from '../../db/models/zalo-token.js';
import { ZaloOaChannel } from './oa-channel.js';
import { ZaloBotChannel } from './bot-channel.js';

export interface ZaloChannelsDeps {
  config: Config;
  engine: Engine;
  inboundLog: InboundLog;
  connection: Connection;
  domain: Domain;
  logger: Logger;
  metrics: Metrics;
}

/** The Zalo channels (OA API v3 and Bot Platform), as enabled by configuration. */
export interface ZaloChannels {
  /** Webhook routes (`POST /webhooks/zalo`, `POST /webhooks/zalo-bot`). */
  routes: Router;
  senders: ChannelSender[];
  /** After the HTTP server listens: drain the inbox, start token refresh, set webhooks. */
  start(publicUrl?: string): Promise<void>;
  stop(): Promise<void>;
  oa?: ZaloOaChannel;
  bot?: ZaloBotChannel;
}

export function createZaloChannels(deps: ZaloChannelsDeps): ZaloChannels {
  const routes = express.Router();
  const senders: ChannelSender[] = [];
  let oa: ZaloOaChannel | undefined;
  let bot: ZaloBotChannel | undefined;
  if (deps.config.zaloOa) {
    oa = new ZaloOaChannel({
      config: deps.config.zaloOa,
      engine: deps.engine,
      domain: deps.domain,
      inboxModel: zaloInboxModel(deps.connection),
      tokenModel: zaloTokenModel(deps.connection),
      claims: new Claims(claimModel(deps.connection)),
      logger: deps.logger,
      metrics: deps.metrics,
    });
    routes.use(oa.routes());
    senders.push(oa);
  }
  if (deps.config.zaloBot) {
    bot = new ZaloBotChannel({ config: deps.config.zaloBot, engine: deps.engine, inboundLog: deps.inboundLog, logger: deps.logger, metrics: deps.metrics });
    routes.use(bot.routes());
    senders.push(bot);
  }
  return {
    routes,
    senders,
    oa,
    bot,
    async start(publicUrl) {
      if (oa) {
        await Promise.all([zaloInboxModel(deps.connection).init(), zaloTokenModel(deps.connection).init()]);
        await oa.start();
      }
      if (bot && publicUrl) {
        await bot.setWebhook(publicUrl).catch((err: Error) => {
          deps.logger.error({ event: 'zalo_bot_webhook_failed', err: err.message }, 'Zalo Bot setWebhook failed; updates will not arrive');
        });
      }
    },
    async stop() {
      await oa?.stop();
    },
  };
}
