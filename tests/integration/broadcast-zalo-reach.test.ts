import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { broadcastBatchModel } from '../../src/db/models/broadcast-batch.js';
import type { ZaloOaChannel } from '../../src/channels/zalo/oa-channel.js';
import type { Broadcasting } from '../../src/broadcast/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo } from '../support/fake-zalo.js';
import { until } from '../support/broadcast-harness.js';
import { adminCall, createStaffKey, requireJson } from '../support/admin-api.js';
import { TEST_ADMIN_KEY } from '../support/keys.js';
import { oaChannelFor, startZaloBroadcasting } from '../support/zalo-broadcast.js';
import { insertRegister } from '../support/register-seed.js';

/**
 * Issue "Reach every pensioner on Zalo", end to end: a broadcast to everyone in
 * the register of one province — 300 who wrote to the OA this week (a free
 * message), 500 silent for longer (a template by Zalo user id), 200 who never
 * followed the OA (a template by the register's phone) — through the admin API
 * that staff use, sent by the same OA channel class app.ts builds, with Zalo's
 * delivery events posted back to the app's webhook.
 */

const N = { window: 300, uid: 500, phone: 200 };
const TOTAL = N.window + N.uid + N.phone;
const PRICES = { uid: 200, phone: 300 };
const TEMPLATE = '410001';
const logger = createLogger('warn');
/**
 * Production's lease (30 s): with the test default of 3 s, a FerretDB write
 * stalled for 2 s on this 2-core machine hands a batch to the other lane,
 * which repeats the sends still in flight, as it must when it cannot know them.
 */
const LEASE_MS = 30_000;

const phoneOf = (i: number) => `09${String(20_000_000 + i)}`;
const zaloPhone = (i: number) => `84${phoneOf(i).slice(1)}`;
const chatOf = (i: number) => String(7_000_000 + i);

describe('a broadcast to the whole register reaches every pensioner on Zalo by the cheapest route', () => {
  let fake: FakeZalo;
  let app: TestApp;
  let oa: ZaloOaChannel;
  let b: Broadcasting | undefined;
  let broadcaster: string;
  const ids: string[] = [];

  const api = <T>(method: string, path: string, body?: unknown, key = broadcaster) => adminCall<T>(app.url, key, method, path, body);

  beforeAll(async () => {
    fake = await FakeZalo.start();
    app = await startTestApp({
      MONGODB_URI: testMongoUri(),
      SIMULATOR_ENABLED: 'false',
      ADMIN_BOOTSTRAP_KEY: TEST_ADMIN_KEY,
      ZALO_TEMPLATE_PRICES: `TRANSACTION=${PRICES.uid}/${PRICES.phone}`,
      BROADCAST_COST_APPROVAL_VND: '100000',
      ...fake.env({ oa: true }),
    });
    oa = await oaChannelFor(app, logger);
    broadcaster = await createStaffKey(app.url, 'broadcaster');
    // Everyone in province 01 has a phone on Zalo; the first 800 linked their own Zalo chat.
    // Written as an import writes them, in one insert: the import has tests of its own.
    ids.push(
      ...(await insertRegister(
        app,
        Array.from({ length: TOTAL }, (_, i) => ({ bhxhCode: `01${String(40_000_000 + i).padStart(8, '0')}`, fullName: `Người Nhận ${i}`, gender: i % 2 ? 'female' : 'male', phones: [phoneOf(i)] })),
      )),
    );
    for (let i = 0; i < TOTAL; i++) fake.zaloPhones.add(zaloPhone(i));
    const now = Date.now();
    const chatted = Array.from({ length: N.window + N.uid }, (_, i) => i);
    await chatUserModel(app.connection).insertMany(
      chatted.map((i) => ({
        channel: 'zalo',
        chatId: chatOf(i),
        platformUserId: chatOf(i),
        locale: 'vi',
        subscribed: true,
        blocked: false,
        firstSeenAt: new Date(now - 30 * 86_400_000),
        // The first 300 wrote today; the next 500 ten days ago (beyond Zalo's 7 days).
        lastSeenAt: new Date(i < N.window ? now : now - 10 * 86_400_000),
        consents: [],
      })),
    );
    await beneficiaryLinkModel(app.connection).insertMany(
      chatted.map((i) => ({ channel: 'zalo', chatId: chatOf(i), beneficiaryId: ids[i], provinceCode: '01', role: 'self', status: 'active', consentVersion: 'test' })),
    );
    for (let i = N.window; i < N.window + N.uid; i++) fake.outsideWindow.add(chatOf(i));
    fake.addTemplate(TEMPLATE, { tieu_de: 65, noi_dung: 200, ngay: 20 });
    fake.dailyQuota = 5000;
    await oa.templates.sync();
    expect(await oa.notices.set('broadcast', TEMPLATE, { tieu_de: 'title', noi_dung: 'text', ngay: 'date' }, 'test-admin')).toEqual([]);
    // Zalo posts its delivery events to the app's own webhook, signed.
    fake.deliveryWebhook = `${app.url}/webhooks/zalo`;
  }, 180_000);

  afterEach(async () => {
    await b?.worker.stop();
    b = undefined;
  });
  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
  });

  /** Written, submitted and approved through the admin API as staff do; the approval is needed for the cost. */
  const released = async (title: string): Promise<string> => {
    const draft = requireJson(
      await api<{ id: string }>('POST', '/broadcasts', { title, content: { vi: { text: 'BHXH không bao giờ gọi điện xin mã OTP. Ai xin là kẻ lừa đảo.' } }, audience: { source: 'register', provinces: ['01'] } }),
    );
    const submitted = requireJson(await api<{ status: string; estimatedCost: number }>('POST', `/broadcasts/${draft.id}/submit`));
    expect(submitted).toMatchObject({ status: 'pending_approval', estimatedCost: N.uid * PRICES.uid + N.phone * PRICES.phone });
    expect((await api('POST', `/broadcasts/${draft.id}/approve`, undefined, TEST_ADMIN_KEY)).status).toBe(200);
    return draft.id;
  };

  const report = async (id: string) =>
    requireJson(
      await api<{ status: string; counts: Record<string, number>; sentByRoute: Record<string, number>; deliveredByRoute: Record<string, number>; failureReasons: Record<string, number>; cost: { estimated: number; recorded: number } }>(
        'GET',
        `/broadcasts/${id}/report`,
      ),
    );

  it('estimates the routes, the cost and the days within the quota, then reaches all 1 000 by the expected route at the estimated cost', async () => {
    const estimate = requireJson(await api<Record<string, unknown>>('POST', '/broadcasts/estimate', { audience: { source: 'register', provinces: ['01'] } }));
    expect(estimate).toMatchObject({
      recipients: TOTAL,
      routes: { message: N.window, zaloTemplate: N.uid, zaloPhone: N.phone },
      template: { id: TEMPLATE, tag: 'TRANSACTION' },
      prices: PRICES,
      cost: N.uid * PRICES.uid + N.phone * PRICES.phone,
      quota: { daily: 5000, remaining: 5000 },
      days: 1,
      withoutTemplate: 0,
      needsApproval: true,
    });

    const sendsBefore = fake.templateSends().length;
    const id = await released('Cảnh báo OTP');
    b = await startZaloBroadcasting(app, oa, logger, { hour: 12, ratePerSecond: 200, config: { templatePrices: { TRANSACTION: PRICES }, leaseMs: LEASE_MS } });
    await until(async () => (await report(id)).status === 'done', 120_000, 250);

    const done = await report(id);
    expect(done.counts).toMatchObject({ sent: TOTAL, failed: 0, blocked: 0, skipped: 0 });
    expect(done.sentByRoute).toEqual({ message: N.window, template_uid: N.uid, template_phone: N.phone });
    expect(done.cost).toEqual({ estimated: N.uid * PRICES.uid + N.phone * PRICES.phone, recorded: N.uid * PRICES.uid + N.phone * PRICES.phone });
    // Each person once, by the route expected for them, and nothing else tried.
    const templated = fake.templateSends().slice(sendsBefore);
    const byUid = templated.filter((c) => c.path === '/v3.0/oa/message/template').map((c) => c.to);
    const byPhone = templated.filter((c) => c.path === '/message/template').map((c) => c.to);
    expect(byUid.sort()).toEqual(Array.from({ length: N.uid }, (_, k) => chatOf(N.window + k)).sort());
    expect(byPhone.sort()).toEqual(Array.from({ length: N.phone }, (_, k) => zaloPhone(N.window + N.uid + k)).sort());
    for (let i = 0; i < N.window; i += 37) expect(fake.messagesTo(chatOf(i))).toHaveLength(1);
    // Zalo's delivery events came back signed through the webhook: the report counts them per route.
    await until(async () => {
      const r = await report(id);
      return r.deliveredByRoute.template_uid === N.uid && r.deliveredByRoute.template_phone === N.phone;
    }, 60_000, 250);
    expect(fake.deliveryReports.every((r) => r.status === 200)).toBe(true);
    // The tests below look at sends, not receipts: Zalo's events would only load the database.
    fake.deliveryWebhook = null;
    // The numbers were decrypted only to be sent: never in a log line.
    for (let i = N.window + N.uid; i < TOTAL; i += 17) {
      expect(app.logs.text()).not.toContain(phoneOf(i));
      expect(app.logs.text()).not.toContain(zaloPhone(i));
    }
  }, 240_000);

  it('quota spent at recipient 600: the rest wait for the reset and finish the next day, nobody lost, nobody twice', async () => {
    const sendsBefore = fake.templateSends().length;
    // 300 template messages left today: with the 300 free messages, about 600 recipients are reached today.
    fake.usedToday = 0;
    fake.dailyQuota = 300;
    const id = await released('Cảnh báo OTP (hạn mức)');
    b = await startZaloBroadcasting(app, oa, logger, { hour: 12, ratePerSecond: 200, config: { leaseMs: LEASE_MS } });
    await until(async () => {
      const open = await broadcastBatchModel(app.connection).find({ broadcastId: id, state: 'open' }).lean();
      return open.length > 0 && open.every((x) => x.owner === 'quiet-hours');
    }, 120_000, 250);
    const today = await report(id);
    expect(fake.templateSends().length - sendsBefore).toBe(300);
    expect((today.sentByRoute.template_uid ?? 0) + (today.sentByRoute.template_phone ?? 0)).toBe(300);
    expect(today.counts.failed).toBe(0);
    expect(today.status).toBe('sending');
    await b.worker.stop();

    // The next day Zalo renews the quota; a worker (its clock a day on) takes the parked batches up again.
    fake.usedToday = 0;
    fake.dailyQuota = 5000;
    b = await startZaloBroadcasting(app, oa, logger, { hour: 37, ratePerSecond: 200, config: { leaseMs: LEASE_MS } });
    await until(async () => (await report(id)).status === 'done', 120_000, 250);
    const done = await report(id);
    expect(done.counts).toMatchObject({ sent: TOTAL, failed: 0, skipped: 0 });
    expect(done.sentByRoute).toEqual({ message: N.window, template_uid: N.uid, template_phone: N.phone });
    const templated = fake.templateSends().slice(sendsBefore).map((c) => c.to!);
    expect(templated).toHaveLength(N.uid + N.phone);
    expect(new Set(templated).size).toBe(N.uid + N.phone);
  }, 300_000);

  it('with no template mapped, the 700 beyond a free message are reported undeliverable with the reason, exported, and not retried', async () => {
    const id = await released('Cảnh báo OTP (không có mẫu)');
    // The mapping is withdrawn after approval (staff removed it): nobody beyond the window can be reached.
    await oa.notices.remove('broadcast');
    // The composer says so too (the app's own channel reads the mapping afresh within seconds).
    await until(async () => {
      const e = requireJson(await api<{ withoutTemplate: number; template: unknown; cost: number | null }>('POST', '/broadcasts/estimate', { audience: { source: 'register', provinces: ['01'] } }));
      return e.withoutTemplate === N.uid + N.phone && e.template === null && e.cost === null;
    }, 15_000, 500);
    const callsBefore = fake.calls.length;
    b = await startZaloBroadcasting(app, oa, logger, { hour: 12, ratePerSecond: 200, config: { leaseMs: LEASE_MS } });
    await until(async () => (await report(id)).status === 'done', 120_000, 250);
    const done = await report(id);
    expect(done.counts).toMatchObject({ sent: N.window, failed: N.uid + N.phone });
    expect(done.failureReasons).toEqual({ outside_window: N.uid, no_template: N.phone });
    const calls = fake.calls.slice(callsBefore);
    // One attempt each beyond the window (-230 is final), nothing at all to the phones, no template tried.
    expect(calls.filter((c) => c.api === 'template')).toEqual([]);
    for (let i = N.window; i < N.window + N.uid; i += 23) expect(calls.filter((c) => c.to === chatOf(i))).toHaveLength(1);

    const csv = await api('GET', `/broadcasts/${id}/undeliverable.csv`);
    expect(csv.status).toBe(200);
    const rows = csv.text.replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(rows[0]).toBe('channel,chat_id,reason,bhxh_code,full_name,district_code,commune_code');
    expect(rows).toHaveLength(1 + N.uid + N.phone);
    const reasons = rows.slice(1).map((r) => r.split(',')[2]);
    expect(reasons.filter((r) => r === 'outside_window')).toHaveLength(N.uid);
    expect(reasons.filter((r) => r === 'no_template')).toHaveLength(N.phone);
    // Every row names the person, so the office can write to them or tell them at the next visit.
    expect(rows.slice(1).every((r) => /^zalo,[^,]+,[a-z_]+,01\d{8},Người Nhận \d+,001,/.test(r))).toBe(true);
  }, 240_000);

  it('refuses a register audience without a template mapped to broadcasts, with a clear reason', async () => {
    const answer = await api<{ code: string; field: string }>('POST', '/broadcasts', { title: 'x', content: { vi: { text: 'Thông báo' } }, audience: { source: 'register' } });
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'no_phone_template', field: 'audience.source' });
  });
  it('a template Zalo withdraws mid-broadcast, and register numbers that are not Vietnamese: a reason per delivery, nothing half-sent', async () => {
    // Province 02: 40 people who never chatted, one of them with a foreign number in the register.
    const people = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        app.domain.beneficiaries.upsert({
          bhxhCode: `02${String(50_000_000 + i).padStart(8, '0')}`,
          fullName: `Người Tỉnh Hai ${i}`,
          birthDate: '1950-01-01',
          gender: 'male',
          phones: [i === 0 ? '+14155550123' : `08${String(30_000_000 + i)}`],
          provinceCode: '02',
          benefitType: 'pension',
          monthlyAmount: 4_000_000,
          paymentMethod: { kind: 'cash_post' },
        }),
      ),
    );
    expect(people).toHaveLength(40);
    for (let i = 1; i < 40; i++) fake.zaloPhones.add(`848${String(30_000_000 + i)}`);
    fake.addTemplate('410002', { tieu_de: 65, noi_dung: 200, ngay: 20 });
    await oa.templates.sync();
    expect(await oa.notices.set('broadcast', '410002', { tieu_de: 'title', noi_dung: 'text', ngay: 'date' }, 'test-admin')).toEqual([]);
    fake.usedToday = 0;
    fake.dailyQuota = 5000;
    // The app's own channel reads the new mapping within seconds.
    await until(async () => requireJson(await api<{ template: unknown }>('POST', '/broadcasts/estimate', { audience: { source: 'register', provinces: ['02'] } })).template !== null, 15_000, 500);
    const before = fake.templateSends().length;
    const draft = requireJson(await api<{ id: string }>('POST', '/broadcasts', { title: 'Tỉnh 02', content: { vi: { text: 'Cảnh báo: không ai từ BHXH xin mã OTP.' } }, audience: { source: 'register', provinces: ['02'] } }));
    const submitted = requireJson(await api<{ status: string }>('POST', `/broadcasts/${draft.id}/submit`));
    if (submitted.status === 'pending_approval') expect((await api('POST', `/broadcasts/${draft.id}/approve`, undefined, TEST_ADMIN_KEY)).status).toBe(200);
    b = await startZaloBroadcasting(app, oa, logger, { hour: 12, ratePerSecond: 5, config: { leaseMs: LEASE_MS } });
    // Zalo disables the template after ten have gone.
    await until(async () => fake.templateSends().length - before >= 10, 60_000, 20);
    fake.templates.get('410002')!.status = 'DISABLE';
    await until(async () => (await report(draft.id)).status === 'done', 120_000, 250);
    const done = await report(draft.id);
    const sent = fake.templateSends().length - before;
    expect(sent).toBeGreaterThanOrEqual(10);
    expect(done.counts).toMatchObject({ sent, failed: 40 - sent });
    expect(done.failureReasons).toEqual({ phone_not_vietnamese: 1, template_disabled: 40 - sent - 1 });
    // The foreign number was never sent to Zalo.
    expect(fake.calls.some((c) => c.to === '14155550123' || c.to === '8414155550123')).toBe(false);
    await oa.notices.remove('broadcast');
  }, 240_000);
});
