/**
 * A broadcast worker sending through the Zalo OA channel alone in its own
 * process, for the crash test: the test SIGKILLs it mid-broadcast and starts
 * another. Configured through env: MONGODB_URI, the ZALO_* settings of the fake,
 * the PII keys, WORKER_ID, HOUR (Vietnam time the worker's clock starts at),
 * BROADCAST_CONFIG (JSON).
 */
import mongoose from 'mongoose';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { Metrics } from '../../src/metrics.js';
import { Claims } from '../../src/db/claims.js';
import { claimModel } from '../../src/db/models/claim.js';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { zaloInboxModel } from '../../src/db/models/zalo-inbox.js';
import { zaloTemplateModel } from '../../src/db/models/zalo-template.js';
import { zaloNoticeTemplateModel } from '../../src/db/models/zalo-notice-template.js';
import { zaloTokenModel } from '../../src/db/models/zalo-token.js';
import { ZaloOaChannel } from '../../src/channels/zalo/oa-channel.js';
import { NoticePhones } from '../../src/domain/notice-phones.js';
import { PiiCipher } from '../../src/security/pii-crypto.js';
import { createBroadcasting } from '../../src/broadcast/index.js';
import { audienceDomain } from './broadcast-domain.js';
import { vietnamClock } from './zalo-broadcast.js';

const config = loadConfig(process.env);
const connection = mongoose.createConnection(config.mongodbUri, { serverSelectionTimeoutMS: 10_000 });
await connection.asPromise();
const logger = createLogger('warn');
const domain = audienceDomain(connection);
const phones = new NoticePhones({ models: { links: beneficiaryLinkModel(connection), beneficiaries: beneficiaryModel(connection) }, cipher: PiiCipher.fromEnv(config.pii) });
const oa = new ZaloOaChannel({
  config: config.zaloOa!,
  // Only sends here: nothing comes in.
  engine: { handle: () => Promise.resolve([]) },
  reach: domain.chatUsers,
  inboxModel: zaloInboxModel(connection),
  tokenModel: zaloTokenModel(connection),
  templateModel: zaloTemplateModel(connection),
  noticeTemplateModel: zaloNoticeTemplateModel(connection),
  phoneOf: (chat) => phones.forChat(chat),
  claims: new Claims(claimModel(connection)),
  logger,
  metrics: new Metrics(),
});
await oa.tokens.init();
const broadcasting = createBroadcasting({
  connection,
  domain,
  logger,
  config: JSON.parse(process.env.BROADCAST_CONFIG ?? '{}') as Record<string, never>,
  senders: [oa],
  workerId: process.env.WORKER_ID,
  now: vietnamClock(Number(process.env.HOUR ?? 12)),
});
await broadcasting.ready;
broadcasting.worker.start();
process.stdout.write('ready\n');
