import express, { type Router } from 'express';
import type { Connection } from 'mongoose';
import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { Engine } from '../../engine/engine.js';
import type { InboundLog } from '../../engine/inbound-log.js';
import type { ChannelSender } from '../../engine/types.js';
import type { Metrics } from '../../http/metrics.js';
import type { Domain } from '../../domain/domain.js';

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
}

export function createZaloChannels(_deps: ZaloChannelsDeps): ZaloChannels {
  return { routes: express.Router(), senders: [], start: async () => undefined, stop: async () => undefined };
}
