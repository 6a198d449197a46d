import { Claims } from '../db/claims.js';
import { claimModel } from '../db/models/claim.js';
import type { Connection } from 'mongoose';
import type { Domain } from '../domain/domain.js';
import type { Logger } from '../logger.js';
import { broadcastModel } from '../db/models/broadcast.js';
import { broadcastBatchModel } from '../db/models/broadcast-batch.js';
import { deliveryModel } from '../db/models/delivery.js';
import { deliveryAttemptModel } from '../db/models/delivery-attempt.js';
import { deliveryOutcomeModel } from '../db/models/delivery-outcome.js';
import { noticeTemplateModel } from '../db/models/notice-template.js';
import { broadcastConfig, type BroadcastConfig } from './config.js';
import type { ChannelSender } from '../messaging/channel.js';
import { BroadcastService, type BroadcastModels } from './service.js';
import { BroadcastWorker } from './worker.js';
import type { DeliveryReceipts } from './receipts.js';
import { builtInTemplates } from './templates.js';
import { TemplateStore } from './template-store.js';
import { loadResources } from '../i18n/i18n.js';

export { broadcastConfig, broadcastSettings, DEFAULT_BROADCAST_CONFIG, type BroadcastConfig, type BroadcastEnvSettings } from './config.js';
export { BroadcastService, BroadcastError } from './service.js';
export { BroadcastWorker } from './worker.js';

export interface BroadcastingDeps {
  connection: Connection;
  /** Blocked chats are marked through chatUsers; the audience comes from the domain. */
  domain: Pick<Domain, 'chatUsers' | 'audience'>;
  logger: Logger;
  /** Defaults (DEFAULT_BROADCAST_CONFIG) with overrides. */
  config?: Partial<BroadcastConfig>;
  /** The sending half of every running channel (each Channel is one). */
  senders: readonly ChannelSender[];
  /** Platforms' delivery receipts (the channels record into it). */
  receipts?: DeliveryReceipts;
  /** Worker id in leases (default random). */
  workerId?: string;
  /** The clock (tests move it to day or night in Vietnam). */
  now?: () => Date;
}

export interface Broadcasting {
  service: BroadcastService;
  templates: TemplateStore;
  worker: { start(): void; stop(): Promise<void>; readonly id: string };
  /** The platforms the worker can send to (the admin routes show them). */
  platforms: readonly ChannelSender[];
  models: BroadcastModels;
  config: BroadcastConfig;
  /** Creates the collections' indexes; await before the worker's first claim. */
  ready: Promise<void>;
}

/** Wires staff broadcasts: service, admin routes, outbox worker. */
export function createBroadcasting(deps: BroadcastingDeps): Broadcasting {
  const config = broadcastConfig(deps.config);
  const claims = new Claims(claimModel(deps.connection));
  const models: BroadcastModels = {
    broadcasts: broadcastModel(deps.connection),
    deliveries: deliveryModel(deps.connection),
    attempts: deliveryAttemptModel(deps.connection),
    outcomes: deliveryOutcomeModel(deps.connection),
    batches: broadcastBatchModel(deps.connection),
    templates: noticeTemplateModel(deps.connection),
  };
  const now = deps.now ?? (() => new Date());
  const builtIns = builtInTemplates(loadResources());
  const templates = new TemplateStore(models.templates, builtIns, claims, now);
  // Template messages are the Zalo OA's: the estimate and the register audience ask it.
  const templateMessages = deps.senders.find((s) => s.templateMessages)?.templateMessages;
  const service = new BroadcastService(models, deps.domain.audience, config, templates, claims, now, deps.receipts, templateMessages);
  const worker = new BroadcastWorker({
    models,
    audience: deps.domain.audience,
    config,
    senders: deps.senders,
    logger: deps.logger,
    markBlocked: (chat) => deps.domain.chatUsers.markBlocked(chat),
    // Leases run on real time, whatever clock the broadcast schedule is tested with.
    claims,
    now,
    ...(deps.workerId ? { id: deps.workerId } : {}),
  });
  const ready = Promise.all([...Object.values(models), claimModel(deps.connection)].map((m) => m.init())).then(() => undefined);
  return {
    platforms: deps.senders,
    service,
    templates,
    worker: {
      id: worker.id,
      // Indexes first: the unique (broadcast, chat) index is what makes re-queueing safe.
      start: () => void ready.then(() => worker.start()),
      stop: () => worker.stop(),
    },
    models,
    config,
    ready,
  };
}
