import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { deliveryOutcomeModel } from '../../src/db/models/delivery-outcome.js';
import { broadcastBatchModel } from '../../src/db/models/broadcast-batch.js';
import type { ZaloOaChannel } from '../../src/channels/zalo/oa-channel.js';
import type { Broadcasting } from '../../src/broadcast/index.js';
import type { BroadcastService } from '../../src/broadcast/service.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo, oaEvent, postOaWebhook } from '../support/fake-zalo.js';
import { until } from '../support/broadcast-harness.js';
import { oaChannelFor, startZaloBroadcasting } from '../support/zalo-broadcast.js';

const AUTHOR = { keyId: 'author-key', role: 'broadcaster', province: null };
const ADMIN = { keyId: 'second-admin', role: 'admin', province: null };

async function seedZalo(app: TestApp, ids: string[]): Promise<void> {
  const now = new Date();
  await chatUserModel(app.connection).insertMany(
    ids.map((chatId) => ({ channel: 'zalo', chatId, platformUserId: chatId, locale: 'vi', subscribed: true, blocked: false, firstSeenAt: now, lastSeenAt: now, consents: [] })),
  );
}

async function release(service: BroadcastService): Promise<string> {
  const draft = await service.create({ title: 'zalo warning', content: { vi: { text: 'Cảnh báo: BHXH không bao giờ hỏi mã OTP.' } }, audience: { platforms: ['zalo'] } }, AUTHOR);
  if ((await service.submit(draft.id, AUTHOR)).status === 'pending_approval') await service.approve(draft.id, ADMIN);
  return draft.id;
}

describe('broadcast delivery on Zalo OA', () => {
  let fake: FakeZalo;
  let app: TestApp;
  let oa: ZaloOaChannel;
  let b: Broadcasting | undefined;
  const logger = createLogger('warn');

  beforeAll(async () => {
    fake = await FakeZalo.start();
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ...fake.env({ oa: true }) });
    // The same channel class app.ts builds; the broadcast runs on its own worker with a controlled clock.
    oa = await oaChannelFor(app, logger);
  });
  afterEach(async () => {
    await b?.worker.stop();
    b = undefined;
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  const start = async (hour: number): Promise<Broadcasting> => {
    b = await startZaloBroadcasting(app, oa, logger, { hour });
    return b;
  };

  it('ends users outside the 7-day window failed (outside_window) without retrying, and pauses Zalo when throttled', async () => {
    const users = Array.from({ length: 30 }, (_, i) => String(8_100_000 + i));
    await seedZalo(app, users);
    const outside = [users[3]!, users[17]!];
    for (const u of outside) fake.outsideWindow.add(u);
    // Throttled on a user inside the window, so the outside ones see exactly one attempt each.
    fake.failNext(-32, 'rate limit', users[0]);
    const { service } = await start(12);
    const id = await release(service);
    await until(async () => (await service.get(id, null)).status === 'done');

    const view = await service.get(id, null);
    expect(view.progress.counts).toMatchObject({ sent: 28, failed: 2, queued: 0, sending: 0, blocked: 0, skipped: 0 });
    const failed = await deliveryOutcomeModel(app.connection).find({ broadcastId: view.id, state: 'failed' }).lean();
    expect(failed.map((d) => [d.chatId, d.reason]).sort()).toEqual(outside.sort().map((u) => [u, 'outside_window']));
    // One attempt each: -230 is final.
    for (const u of outside) expect(fake.attemptsTo(u)).toHaveLength(1);
    const report = await service.report(id, null);
    expect(report).toMatchObject({ final: true, recipients: 30, failureReasons: { outside_window: 2 }, skipReasons: {} });
    for (const u of users.filter((x) => !outside.includes(x))) expect(fake.messagesTo(u)).toHaveLength(1);

    // The throttled answer paused the whole platform: nothing sent after it inside the pause.
    // The first 500 ms are left out: sends already in flight when the answer came back may land
    // then, later on a loaded machine (this once failed with 100 ms while other test files ran).
    const sends = fake.calls.filter((c) => c.api === 'oa' && users.includes(c.to ?? ''));
    const throttled = sends.find((c) => c.error === -32)!;
    expect(throttled).toBeDefined();
    const inside = sends.filter((c) => c.at > throttled.at + 500 && c.at < throttled.at + 1900);
    expect(inside).toEqual([]);
  });

  it("holds Zalo sends at night (22:00–06:00 Vietnam time) with quiet hours off, and sends them in the morning", async () => {
    const users = Array.from({ length: 12 }, (_, i) => String(8_200_000 + i));
    await seedZalo(app, users);
    fake.outsideWindow.clear();
    // The database is shared with the test above: its subscribers are in the audience too.
    const all = await chatUserModel(app.connection).countDocuments({ channel: 'zalo', subscribed: true });
    const night = await start(23);
    const id = await release(night.service);
    const batches = broadcastBatchModel(app.connection);
    await until(async () => {
      const open = await batches.find({ broadcastId: id }).lean();
      return open.length > 0 && open.every((x) => x.owner === 'quiet-hours');
    });
    const parked = await batches.find({ broadcastId: id }).lean();
    // Parked until 06:00 Vietnam time (23:00 UTC).
    for (const x of parked) expect(x.leaseUntil?.toISOString()).toMatch(/T23:00:00\.000Z$/);
    expect((await night.service.get(id, null)).progress.counts).toMatchObject({ queued: all, sent: 0 });
    for (const u of users) expect(fake.attemptsTo(u)).toEqual([]);
    await night.worker.stop();

    // The next morning (06:06) a worker takes the batches up again: postponed, not dropped.
    const morning = await start(30.1);
    await until(async () => (await morning.service.get(id, null)).status === 'done');
    expect((await morning.service.get(id, null)).progress.counts).toMatchObject({ sent: all, queued: 0, failed: 0 });
    for (const u of users) expect(fake.messagesTo(u)).toHaveLength(1);
  });

  it('reaches people beyond the 7-day window by the template mapped to broadcasts, by user id, and says which route each took', async () => {
    const users = Array.from({ length: 30 }, (_, i) => String(8_300_000 + i));
    // The earlier tests' chats leave the audience: this one counts its own 30.
    await chatUserModel(app.connection).updateMany({ channel: 'zalo' }, { $set: { subscribed: false } });
    await seedZalo(app, users);
    const outside = users.slice(10);
    for (const u of outside) fake.outsideWindow.add(u);
    fake.addTemplate('400001', { tieu_de: 65, noi_dung: 200, ngay: 20 });
    await oa.templates.sync();
    expect(await oa.notices.set('broadcast', '400001', { tieu_de: 'title', noi_dung: 'text', ngay: 'date' }, 'test-admin')).toEqual([]);
    try {
      const { service } = await start(12);
      const id = await release(service);
      await until(async () => (await service.get(id, null)).status === 'done');
      const report = await service.report(id, null);
      expect(report).toMatchObject({ recipients: 30, counts: { sent: 30, failed: 0 }, sentByRoute: { message: 10, template_uid: 20 } });
      // Inside the window a consultation message; beyond it one template each, nothing else tried after the template.
      for (const u of users.slice(0, 10)) expect(fake.messagesTo(u)).toHaveLength(1);
      const templated = fake.templateSends().filter((c) => outside.includes(c.to ?? ''));
      expect(templated.map((c) => c.to).sort()).toEqual([...outside].sort());
      for (const u of outside) expect(fake.attemptsTo(u)).toHaveLength(1);
      // Zalo reports some of them delivered (through the app's own webhook): the report counts them.
      const delivered = fake.templateSends().filter((c) => outside.slice(0, 7).includes(c.to ?? ''));
      for (const c of delivered) {
        const messageId = String(c.data!.message_id);
        const raw = JSON.stringify(oaEvent(fake.appId, { kind: 'received', userId: c.to!, msgId: messageId }));
        expect((await postOaWebhook(`${app.url}/webhooks/zalo`, raw, { appId: fake.appId, oaSecretKey: fake.oaSecretKey })).status).toBe(200);
      }
      await until(async () => (await service.report(id, null)).deliveredByRoute.template_uid === 7);
      expect(templated[0]!.body).toMatchObject({
        template_id: '400001',
        template_data: { tieu_de: 'zalo warning', noi_dung: 'Cảnh báo: BHXH không bao giờ hỏi mã OTP.', ngay: expect.stringMatching(/^\d{2}\/\d{2}\/\d{4}$/) },
      });

      // A text too long for the template's parameter: a clear reason per delivery, no template sent.
      fake.templates.get('400001')!.listParams[1]!.maxLength = 20;
      await oa.templates.sync();
      const before = fake.templateSends().length;
      const second = await release(service);
      await until(async () => (await service.get(second, null)).status === 'done');
      const report2 = await service.report(second, null);
      expect(report2).toMatchObject({ counts: { sent: 10, failed: 20 }, failureReasons: { 'template_param_too_long:noi_dung': 20 } });
      expect(fake.templateSends()).toHaveLength(before);
    } finally {
      await oa.notices.remove('broadcast');
    }
  });

  it('waits for the daily quota when it runs out mid-broadcast, and finishes the next day: nobody lost, nobody twice', async () => {
    const users = Array.from({ length: 20 }, (_, i) => String(8_400_000 + i));
    await chatUserModel(app.connection).updateMany({ channel: 'zalo' }, { $set: { subscribed: false } });
    await seedZalo(app, users);
    for (const u of users) fake.outsideWindow.add(u);
    fake.addTemplate('400002', { tieu_de: 65, noi_dung: 200, ngay: 20 });
    await oa.templates.sync();
    await oa.notices.set('broadcast', '400002', { tieu_de: 'title', noi_dung: 'text', ngay: 'date' }, 'test-admin');
    fake.dailyQuota = 12;
    fake.usedToday = 0;
    const before = fake.templateSends().length;
    try {
      const day = await start(12);
      const id = await release(day.service);
      await until(async () => {
        const open = await broadcastBatchModel(app.connection).find({ broadcastId: id, state: 'open' }).lean();
        return open.length > 0 && open.every((x) => x.owner === 'quiet-hours');
      });
      expect((await day.service.get(id, null)).progress.counts).toMatchObject({ sent: 12, failed: 0 });
      expect(fake.templateSends().length - before).toBe(12);
      await day.worker.stop();

      // The next day Zalo renews the quota; a worker takes the parked batch up again.
      fake.usedToday = 0;
      // A day and an hour later (the wait is up to 24 h from this machine's clock, the worker's clock is moved).
      const next = await start(37);
      await until(async () => (await next.service.get(id, null)).status === 'done');
      expect((await next.service.report(id, null)).counts).toMatchObject({ sent: 20, failed: 0, skipped: 0 });
      const templated = fake.templateSends().slice(before).map((c) => c.to);
      expect(templated.sort()).toEqual([...users].sort());
    } finally {
      await oa.notices.remove('broadcast');
    }
  });

  it('sends a phone-only template by the phone number in the register, and says why when there is none or it is not on Zalo', async () => {
    const users = ['8500001', '8500002', '8500003', '8500004'];
    await chatUserModel(app.connection).updateMany({ channel: 'zalo' }, { $set: { subscribed: false } });
    await seedZalo(app, users);
    for (const u of users) fake.outsideWindow.add(u);
    // Approved before 10 December 2025: Zalo sends it by phone number only.
    fake.addTemplate('400003', { tieu_de: 65, noi_dung: 200, ngay: 20 }, { uid: false });
    await oa.templates.sync();
    await oa.notices.set('broadcast', '400003', { tieu_de: 'title', noi_dung: 'text', ngay: 'date' }, 'test-admin');
    const person = (n: number, phones: string[]) => ({
      bhxhCode: `01${String(9_000_000 + n).padStart(8, '0')}`,
      fullName: `Người Thử ${n}`,
      birthDate: '1950-01-01',
      gender: 'male' as const,
      phones,
      provinceCode: '01',
      benefitType: 'pension' as const,
      monthlyAmount: 4_000_000,
      paymentMethod: { kind: 'cash_post' as const },
    });
    // 1 and 2: their numbers are on Zalo; 3: on no Zalo account; 4: not linked to any record.
    for (const [i, phones] of [['0911000001'], ['0911000002'], ['0911000003']].entries()) {
      const { id } = await app.domain.beneficiaries.upsert(person(i + 1, phones));
      await app.domain.links.createSelfLink({ channel: 'zalo', chatId: users[i]! }, String(id), 'test');
    }
    fake.zaloPhones.add('84911000001');
    fake.zaloPhones.add('84911000002');
    fake.dailyQuota = 1000;
    fake.usedToday = 0;
    const before = fake.templateSends().length;
    try {
      const { service } = await start(12);
      const id = await release(service);
      await until(async () => (await service.get(id, null)).status === 'done');
      const report = await service.report(id, null);
      expect(report).toMatchObject({ counts: { sent: 2, failed: 2 }, sentByRoute: { template_phone: 2 }, failureReasons: { not_on_zalo: 1, no_phone_in_register: 1 } });
      const byPhone = fake.templateSends().slice(before);
      expect(byPhone.map((c) => [c.path, c.to]).sort()).toEqual([
        ['/message/template', '84911000001'],
        ['/message/template', '84911000002'],
      ]);
      expect(byPhone.every((c) => typeof c.body.tracking_id === 'string' && String(c.body.tracking_id).length <= 48)).toBe(true);
      // The office's list of people not reached: who they are when the chat is their own.
      const missed = await service.undeliverable(id, null);
      expect(missed.map((r) => [r.chatId, r.reason, r.fullName]).sort()).toEqual([
        ['8500003', 'not_on_zalo', 'Người Thử 3'],
        ['8500004', 'no_phone_in_register', ''],
      ]);
      // The decrypted numbers never reach the logs.
      expect(app.logs.text()).not.toContain('0911000001');
      expect(app.logs.text()).not.toContain('84911000001');
    } finally {
      await oa.notices.remove('broadcast');
    }
  });

  it('estimates how a Zalo audience would be reached: by a free message within 7 days of their last message, by template beyond', async () => {
    await chatUserModel(app.connection).updateMany({ channel: 'zalo' }, { $set: { subscribed: false } });
    await seedZalo(app, ['8600001', '8600002', '8600003']);
    await chatUserModel(app.connection).updateOne({ channel: 'zalo', chatId: '8600003' }, { $set: { lastSeenAt: new Date(Date.now() - 10 * 86_400_000) } });
    const { service } = await start(12);
    expect(await service.estimateRoutes({ platforms: ['zalo'] })).toEqual({ message: 2, zaloTemplate: 1, zaloPhone: 0 });
  });
});
