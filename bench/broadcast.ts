import mongoose, { type Connection } from 'mongoose';
import { Telegram } from 'telegraf';
import { createLogger } from '../src/logger.js';
import { chatUserId, chatUserModel } from '../src/db/models/chat-user.js';
import { beneficiaryModel } from '../src/db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../src/db/models/beneficiary-link.js';
import { createBroadcasting, type BroadcastConfig } from '../src/broadcast/index.js';
import { TelegramSender } from '../src/channels/telegram/telegram-sender.js';
import { ZaloOaChannel } from '../src/channels/zalo/oa-channel.js';
import type { ChannelSender } from '../src/messaging/channel.js';
import { Claims } from '../src/db/claims.js';
import { claimModel } from '../src/db/models/claim.js';
import { zaloInboxModel } from '../src/db/models/zalo-inbox.js';
import { zaloTokenModel } from '../src/db/models/zalo-token.js';
import { zaloTemplateModel } from '../src/db/models/zalo-template.js';
import { zaloNoticeTemplateModel } from '../src/db/models/zalo-notice-template.js';
import { Metrics } from '../src/metrics.js';
import { FakeZalo } from '../tests/support/fake-zalo.js';
import { streamAudience } from '../src/domain/audience.js';
import { audienceDomain } from '../tests/support/broadcast-domain.js';
import { normaliseAudience } from '../src/broadcast/service.js';
import { FakeTelegram } from '../tests/support/fake-telegram.js';
import { benchDatabase, commandCounter, fmt, printTable, throughput } from './harness.js';
import { withDatabase } from '../tests/support/db.js';

const AUDIENCE = Number(process.env.BENCH_BROADCAST_AUDIENCE ?? 1_000_000);
const PACING_SECONDS = Number(process.env.BENCH_BROADCAST_SECONDS ?? 6);
const HEADROOM_SENDS = Number(process.env.BENCH_BROADCAST_SENDS ?? 5000);

/** Zalo OA quotas are per day; 10/s is the gentle default pace (ZALO_OA_LIMITS), 50/s a busy office's. */
const ZALO_RATE = 50;

const AUTHOR = { keyId: 'bench-author', role: 'broadcaster', province: null };

/** Zalo chat users who all wrote today (the fake decides who is beyond the window). */
async function seedZalo(connection: Connection, ids: string[]): Promise<void> {
  const now = new Date();
  const docs = ids.map((chatId) => ({ _id: chatUserId({ channel: 'zalo', chatId }), channel: 'zalo', chatId, platformUserId: chatId, locale: 'vi', subscribed: true, blocked: false, firstSeenAt: now, lastSeenAt: now, consents: [] }));
  await chatUserModel(connection).collection.insertMany(docs as never[], { ordered: false });
}

/** The Zalo OA channel as the app builds it, its inbound side idle (the bench only sends). */
async function zaloChannel(connection: Connection, fake: FakeZalo): Promise<ZaloOaChannel> {
  const logger = createLogger('silent');
  const config = { appId: fake.appId, appSecret: fake.appSecret, oaSecretKey: fake.oaSecretKey, refreshToken: fake.initialRefreshToken, apiBase: fake.url, oauthBase: fake.url, businessApiBase: fake.url };
  const oa = new ZaloOaChannel({
    config,
    engine: { handle: async () => [] },
    claims: new Claims(claimModel(connection)),
    logger,
    metrics: new Metrics(),
    reach: { markBlocked: async () => undefined, setSubscribed: async () => undefined },
    inboxModel: zaloInboxModel(connection),
    tokenModel: zaloTokenModel(connection),
    templateModel: zaloTemplateModel(connection),
    noticeTemplateModel: zaloNoticeTemplateModel(connection),
  });
  await oa.start();
  return oa;
}
const ADMIN = { keyId: 'bench-admin', role: 'admin', province: null };

async function seed(connection: Connection, count: number, first = 1_000_000): Promise<void> {
  const model = chatUserModel(connection);
  const now = new Date();
  for (let i = 0; i < count; i += 10_000) {
    const docs = Array.from({ length: Math.min(10_000, count - i) }, (_, j) => {
      const chatId = String(first + i + j);
      // Raw inserts skip the model's hook: the `_id` is spelled as the model would.
      return { _id: chatUserId({ channel: 'telegram', chatId }), channel: 'telegram', chatId, platformUserId: chatId, locale: 'vi', subscribed: true, blocked: false, firstSeenAt: now, lastSeenAt: now, consents: [] };
    });
    await model.collection.insertMany(docs as never[], { ordered: false });
  }
}

/** Sends one broadcast to everyone in the database through the real worker; returns when done. */
async function runBroadcast(connection: Connection, to: FakeTelegram | ChannelSender, config: Partial<BroadcastConfig>, now?: () => Date): Promise<void> {
  const b = createBroadcasting({
    ...(now ? { now } : {}),
    connection,
    domain: audienceDomain(connection),
    logger: createLogger('silent'),
    config: { quietHours: null, pollMs: 50, approvalThreshold: Number.MAX_SAFE_INTEGER, ...config },
    senders: [to instanceof FakeTelegram ? new TelegramSender(new Telegram(to.token, { apiRoot: to.apiRoot })) : to],
  });
  await b.ready;
  const draft = await b.service.create({ title: 'bench', content: { vi: { text: 'Cảnh báo lừa đảo: không đọc mã OTP cho ai.' } }, audience: {} }, AUTHOR);
  const submitted = await b.service.submit(draft.id, AUTHOR);
  if (submitted.status === 'pending_approval') await b.service.approve(draft.id, ADMIN);
  b.worker.start();
  for (;;) {
    const view = await b.service.get(draft.id, null);
    if (view.status === 'done' || view.status === 'cancelled') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await b.worker.stop();
}

async function fresh(uri: string, name: string): Promise<Connection> {
  const connection = mongoose.createConnection(withDatabase(uri, name), { maxPoolSize: 50, monitorCommands: true });
  await connection.asPromise();
  await connection.dropDatabase();
  return connection;
}

/**
 * (a) pacing accuracy at 30/s and 1 000/s against the fake Bot API enforcing the
 * same limits; (b) headroom: unthrottled sends/s through the worker with its
 * MongoDB bookkeeping ÷ the same raw sends without; (c) peak RSS while streaming
 * a large audience (BENCH_BROADCAST_AUDIENCE, default 1 000 000).
 */
export async function benchBroadcast(): Promise<Record<string, number>> {
  const db = await benchDatabase();
  const results: Record<string, number> = {};
  const rows: [string, string][] = [];
  try {
    for (const rate of [30, 1000]) {
      const fake = await FakeTelegram.start({ globalRatePerSecond: rate, perChatRatePerSecond: 1 });
      const connection = await fresh(db.uri, `bench_broadcast_pace_${rate}`);
      const n = rate * PACING_SECONDS;
      await seed(connection, n);
      await runBroadcast(connection, fake, { limits: { telegram: { ratePerSecond: rate, perChatPerSecond: 1 } } });
      const sent = fake.sentMessages();
      const span = ((sent.at(-1)?.at ?? 0) - (sent[0]?.at ?? 0)) / 1000;
      const achieved = span > 0 ? (sent.length - 1) / span : 0;
      results[`pacing_${rate}`] = achieved / rate;
      const { rateLimited } = fake.stats();
      results[`rate_limited_${rate}`] = rateLimited;
      rows.push([`pacing at ${rate}/s`, `${fmt(achieved)} msg/s achieved, ratio ${fmt(achieved / rate, 3)} (goal ≥ 0.97), ${sent.length}/${n} sent, 429s: ${rateLimited}`]);
      await connection.dropDatabase();
      await connection.close();
      await fake.stop();
    }

    {
      // Zalo, mixed routes: half the audience inside the 7-day window (consultation
      // messages), half beyond it (the template mapped to broadcasts, by user id).
      const rate = ZALO_RATE;
      const fake = await FakeZalo.start();
      fake.addTemplate('900001', { tieu_de: 65, noi_dung: 200, ngay: 20 });
      fake.dailyQuota = 1_000_000;
      const connection = await fresh(db.uri, 'bench_broadcast_zalo');
      const n = rate * PACING_SECONDS;
      const ids = Array.from({ length: n }, (_, i) => String(7_000_000 + i));
      await seedZalo(connection, ids);
      for (const id of ids.filter((_, i) => i % 2 === 1)) fake.outsideWindow.add(id);
      const oa = await zaloChannel(connection, fake);
      await oa.templates.sync();
      await oa.notices.set('broadcast', '900001', { tieu_de: 'title', noi_dung: 'text', ngay: 'date' }, 'bench');
      // At noon in Vietnam: Zalo forbids notices at night, whenever the bench runs.
      const noon = 12 * 3_600_000 - ((Date.now() + 7 * 3_600_000) % 86_400_000);
      await runBroadcast(connection, oa, { limits: { zalo: { ratePerSecond: rate, perChatPerSecond: 1 } } }, () => new Date(Date.now() + noon));
      // The pacer spaces recipients' sends: a recipient beyond the window costs one paced
      // slot for the refused message and its template together, so the rate is by recipient.
      const calls = fake.calls.filter((c) => (c.api === 'oa' || (c.api === 'template' && c.path.endsWith('/message/template'))) && c.to);
      const first = new Map<string, number>();
      for (const c of calls) first.set(c.to!, Math.min(first.get(c.to!) ?? Infinity, c.at));
      const starts = [...first.values()].sort((a, b) => a - b);
      const span = ((starts.at(-1) ?? 0) - (starts[0] ?? 0)) / 1000;
      const achieved = span > 0 ? (starts.length - 1) / span : 0;
      const templates = fake.templateSends().length;
      const quotaRefusals = fake.calls.filter((c) => c.error === -144).length;
      results.pacing_zalo_mixed = achieved / rate;
      rows.push([
        `Zalo mixed routes at ${rate}/s`,
        `${fmt(achieved)} recipients/s, ratio ${fmt(achieved / rate, 3)} (goal 0.97-1.00), ${first.size}/${n} reached: ${n - templates} by message, ${templates} by template (${calls.length} Zalo calls), quota refusals: ${quotaRefusals}`,
      ]);
      await oa.stop();
      await connection.dropDatabase();
      await connection.close();
      await fake.stop();
    }

    {
      const fake = await FakeTelegram.start();
      const connection = await fresh(db.uri, 'bench_broadcast_headroom');
      await seed(connection, HEADROOM_SENDS);
      const unlimited = { ratePerSecond: 1_000_000, perChatPerSecond: 1_000_000 };
      const commands = commandCounter(connection);
      const started = performance.now();
      await runBroadcast(connection, fake, { limits: { telegram: unlimited }, maxInFlight: 64, lanes: 2 });
      const full = HEADROOM_SENDS / ((performance.now() - started) / 1000);
      results.commands_per_delivery = commands.count() / HEADROOM_SENDS;
      rows.push(['database commands per delivery (queueing, claims, progress polls included)', fmt(results.commands_per_delivery, 2)]);
      const sender = new TelegramSender(new Telegram(fake.token, { apiRoot: fake.apiRoot }));
      const message = { text: 'Cảnh báo lừa đảo: không đọc mã OTP cho ai.' };
      const bare = await throughput(HEADROOM_SENDS, 64, async (job) => {
        const chatId = String(2_000_000 + job);
        for (const call of sender.render(chatId, message, 'notice')) await sender.send(chatId, call);
      });
      results.headroom = full / bare;
      rows.push(['headroom (unthrottled)', `${fmt(full)} sends/s with bookkeeping ÷ ${fmt(bare)} sends/s bare = ${fmt(full / bare, 2)}`]);
      await connection.dropDatabase();
      await connection.close();
      await fake.stop();
    }

    {
      const connection = await fresh(db.uri, 'bench_broadcast_audience');
      await seed(connection, AUDIENCE);
      global.gc?.();
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage().rss);
      }, 20);
      const started = performance.now();
      let count = 0;
      const models = { chatUsers: chatUserModel(connection), links: beneficiaryLinkModel(connection), beneficiaries: beneficiaryModel(connection) };
      for await (const { recipients } of streamAudience(models, normaliseAudience({}), 1000)) {
        count += recipients.length;
        peak = Math.max(peak, process.memoryUsage().rss);
      }
      clearInterval(sampler);
      const seconds = (performance.now() - started) / 1000;
      results.audience_peak_rss_mb = peak / 1024 / 1024;
      rows.push([`audience stream (${count.toLocaleString('en-US')})`, `peak RSS ${fmt(peak / 1024 / 1024)} MB (before ${fmt(before / 1024 / 1024)} MB; goal flat, < 300 MB), ${fmt(count / seconds, 0)} chats/s`]);
      await connection.dropDatabase();
      await connection.close();
    }
    printTable(`broadcast (database: ${db.label})`, rows);
  } finally {
    await db.stop();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchBroadcast();
  process.exit(0);
}
