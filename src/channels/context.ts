import type { Connection } from 'mongoose';
import type { Claims } from '../db/claims.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { InboundLog } from '../engine/inbound-log.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ChatKey, NoticePhone } from '../messaging/types.js';

/** What a channel may ask of the rest of the app about the people it talks to. */
export interface ChatReach {
  /** The person blocked the bot: broadcasts and notices skip them. */
  markBlocked(chat: ChatKey): Promise<void>;
  /** The person followed or unfollowed (Zalo OA). */
  setSubscribed(chat: ChatKey, subscribed: boolean): Promise<void>;
}

/** Everything a channel is built from; the composition root makes one and hands it to each. */
export interface ChannelContext {
  config: Config;
  engine: Pick<Engine, 'handle'>;
  inboundLog: InboundLog;
  connection: Connection;
  claims: Claims;
  logger: Logger;
  metrics: Metrics;
  reach: ChatReach;
  /** A platform said a message it sent reached the phone (Zalo's delivery event), by the platform's message id. */
  delivered?: (messageId: string, deliveredAt: Date) => Promise<void>;
  /** The register's phone (84…) of the person a chat belongs to, for a template by phone; decrypted only when asked. */
  phoneOf?: (chat: ChatKey) => Promise<NoticePhone>;
}
