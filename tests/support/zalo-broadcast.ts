import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';
import { zaloInboxModel } from '../../src/db/models/zalo-inbox.js';
import { zaloTemplateModel } from '../../src/db/models/zalo-template.js';
import { zaloNoticeTemplateModel } from '../../src/db/models/zalo-notice-template.js';
import { zaloTokenModel } from '../../src/db/models/zalo-token.js';
import { deliveryReceiptModel } from '../../src/db/models/delivery-receipt.js';
import { DeliveryReceipts } from '../../src/broadcast/receipts.js';
import { ZaloOaChannel } from '../../src/channels/zalo/oa-channel.js';
import { createBroadcasting, type Broadcasting } from '../../src/broadcast/index.js';
import type { BroadcastConfig } from '../../src/broadcast/config.js';
import type { Logger } from '../../src/logger.js';
import type { TestApp } from './app.js';
import { TEST_BROADCAST_CONFIG } from './broadcast-harness.js';

const DAY_MS = 86_400_000;

/** A clock that reads `hour`:00 in Vietnam (UTC+7) now and then runs normally (past 24: the next day). */
export function vietnamClock(hour: number): () => Date {
  const offset = hour * 3_600_000 - ((Date.now() + 7 * 3_600_000) % DAY_MS);
  return () => new Date(Date.now() + offset);
}

/** The same OA channel class app.ts builds, on the test app's database, as a broadcast sender under a test's own clock. */
export async function oaChannelFor(app: TestApp, logger: Logger): Promise<ZaloOaChannel> {
  const oa = new ZaloOaChannel({
    config: app.config.zaloOa!,
    engine: app.engine,
    reach: app.domain.chatUsers,
    inboxModel: zaloInboxModel(app.connection),
    tokenModel: zaloTokenModel(app.connection),
    templateModel: zaloTemplateModel(app.connection),
    noticeTemplateModel: zaloNoticeTemplateModel(app.connection),
    phoneOf: (chat) => app.domain.noticePhones.forChat(chat),
    claims: new Claims(claimModel(app.connection)),
    logger,
    metrics: app.metrics,
  });
  await oa.tokens.init();
  return oa;
}

/** Broadcasting with the OA channel as its only sender, its worker started, at `hour` in Vietnam. */
export async function startZaloBroadcasting(
  app: TestApp,
  oa: ZaloOaChannel,
  logger: Logger,
  opts: { hour: number; ratePerSecond?: number; config?: Partial<BroadcastConfig> },
): Promise<Broadcasting> {
  const b = createBroadcasting({
    connection: app.connection,
    domain: app.domain,
    logger,
    config: { ...TEST_BROADCAST_CONFIG, limits: { zalo: { ratePerSecond: opts.ratePerSecond ?? 50, perChatPerSecond: 1 } }, ...(opts.config ?? {}) },
    senders: [oa],
    now: vietnamClock(opts.hour),
    receipts: new DeliveryReceipts(deliveryReceiptModel(app.connection)),
  });
  await b.ready;
  b.worker.start();
  return b;
}
