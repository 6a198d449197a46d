import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenefitType, PaymentMethodKind } from '../../src/db/models/beneficiary.js';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import type { DashboardSummary } from '../../src/domain/dashboard.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { adminCall, createStaffKey, FRAUD_ADMIN_KEY } from '../support/fraud-api.js';

/** The summary as it travels: dates are ISO strings. */
type DashboardBody = Omit<DashboardSummary, 'generatedAt' | 'fraud' | 'broadcasts'> & {
  generatedAt: string;
  fraud: Omit<DashboardSummary['fraud'], 'since'> & { since: string };
  broadcasts: (Omit<DashboardSummary['broadcasts'][number], 'createdAt'> & { createdAt: string })[];
};

const DAY_MS = 86_400_000;

/**
 * The register: [province, district, benefit, method]. Province 01 has 8 people,
 * 4 of them cashless (bank or e-wallet); province 79 has 3, 2 cashless.
 */
const REGISTER: [string, string | null, BenefitType, PaymentMethodKind][] = [
  ['01', '001', 'pension', 'bank'],
  ['01', '001', 'pension', 'cash_post'],
  ['01', '001', 'pension', 'cash_post'],
  ['01', '001', 'lump_sum', 'ewallet'],
  ['01', '002', 'pension', 'bank'],
  ['01', '002', 'monthly_allowance', 'cash_home'],
  ['01', '002', 'unemployment', 'bank'],
  ['01', null, 'merit', 'cash_post'],
  ['79', '760', 'pension', 'bank'],
  ['79', '760', 'pension', 'cash_post'],
  ['79', '760', 'social_assistance', 'ewallet'],
];

/** The dashboard through the admin API, on a real app and database, with a seeded register. */
describe('dashboard admin API', () => {
  let app: TestApp;
  let viewer01 = '';
  let viewerAll = '';
  let broadcaster01 = '';
  let reviewer79 = '';
  const newestBroadcast01 = new Types.ObjectId();
  const unscopedBroadcast = new Types.ObjectId();

  const get = (key: string, query = '') => adminCall<DashboardBody>(app.url, key, 'GET', `/dashboard${query}`);

  beforeAll(async () => {
    // The overall target differs from the pension one, so districts visibly compare to `overall`.
    app = await startTestApp({
      MONGODB_URI: testMongoUri(),
      ADMIN_BOOTSTRAP_KEY: FRAUD_ADMIN_KEY,
      CASHLESS_TARGETS: 'overall:60,pension:50,lump_sum:98,unemployment:100',
    });
    const db = app.connection;
    const people = await beneficiaryModel(db).insertMany(
      REGISTER.map(([provinceCode, districtCode, benefitType, kind], i) => ({
        bhxhCode: String(1_000_000_000 + i),
        fullName: `Người thử ${i}`,
        birthDate: '1950-01-01',
        gender: 'female',
        provinceCode,
        ...(districtCode ? { districtCode } : {}),
        benefitType,
        monthlyAmount: 3_000_000,
        paymentMethod: { kind },
      })),
    );
    const person = (i: number) => people[i]!._id;

    const now = Date.now();
    const request = (i: number, status: string, provinceCode: string) => ({
      reference: `YC-TEST${String(i).padStart(2, '0')}`,
      beneficiaryId: person(i),
      provinceCode,
      requestedBy: { channel: 'telegram', chatId: `r${i}`, role: 'self' },
      method: { kind: 'bank' },
      slot: `closed:${i}`,
      status,
      createdAt: new Date(now - DAY_MS),
      updatedAt: new Date(now - DAY_MS),
    });
    await db.collection('payment_method_requests').insertMany([
      request(1, 'submitted', '01'),
      request(2, 'submitted', '01'),
      request(5, 'frozen', '01'),
      request(6, 'approved', '01'),
      request(9, 'submitted', '79'),
    ]);

    const link = (channel: string, chatId: string, i: number, status: string, provinceCode: string) => ({
      channel,
      chatId,
      beneficiaryId: person(i),
      provinceCode,
      role: status === 'active' ? 'self' : 'authorised',
      status,
      consentVersion: 'v1',
      createdAt: new Date(now - DAY_MS),
      updatedAt: new Date(now - DAY_MS),
    });
    await db.collection('beneficiary_links').insertMany([
      link('telegram', 'p1', 0, 'pending', '01'),
      link('telegram', 'p2', 1, 'pending', '01'),
      link('zalo', 'p3', 2, 'pending', '01'),
      link('telegram', 'p4', 8, 'pending', '79'),
      link('telegram', 'p5', 3, 'rejected', '01'),
      // Chat t-sub acts for two people in 01: it counts once among 01's subscribers.
      link('telegram', 't-sub', 0, 'active', '01'),
      link('telegram', 't-sub', 4, 'active', '01'),
      link('telegram', 't-blocked', 5, 'active', '01'),
      link('zalo', 'z-sub', 6, 'active', '01'),
      link('zalo', 'z-79', 9, 'active', '79'),
      link('telegram', 't-revoked', 7, 'revoked', '01'),
    ]);
    const chat = (channel: string, chatId: string, subscribed: boolean, blocked: boolean) => ({
      channel,
      chatId,
      platformUserId: chatId,
      locale: 'vi',
      subscribed,
      blocked,
      firstSeenAt: new Date(now - DAY_MS),
      lastSeenAt: new Date(now - DAY_MS),
      consents: [],
    });
    await db.collection('chat_users').insertMany([
      chat('telegram', 't-sub', true, false),
      chat('telegram', 't-blocked', true, true),
      chat('telegram', 't-revoked', false, false),
      chat('zalo', 'z-sub', true, false),
      chat('zalo', 'z-79', true, false),
      chat('simulator', 's-none', true, false),
    ]);

    let caseNo = 0;
    const fraud = (category: string, provinceCode: string | null, daysAgo: number) => ({
      caseNumber: `LD-2026-${String(++caseNo).padStart(6, '0')}`,
      category,
      description: 'Gọi điện giả danh',
      moneyLost: false,
      photoRefs: [],
      severity: 'normal',
      status: 'new',
      notes: [],
      reporter: null,
      reporterLocale: 'vi',
      provinceCode,
      createdAt: new Date(now - daysAgo * DAY_MS),
      updatedAt: new Date(now - daysAgo * DAY_MS),
    });
    await db.collection('fraud_reports').insertMany([
      fraud('impersonation', '01', 1),
      fraud('impersonation', '01', 6.5),
      fraud('otp_request', '01', 2),
      // Older than the 7-day window.
      fraud('fake_app', '01', 8),
      fraud('other', '79', 1),
      fraud('paid_help', null, 3),
    ]);

    const broadcast = (_id: Types.ObjectId, title: string, ownerProvince: string | null, hoursAgo: number, status = 'done') => ({
      _id,
      title,
      content: { vi: { text: 'Thông báo' } },
      audience: { platforms: [], provinces: [], languages: [], linkedOnly: false, benefitTypes: [] },
      ownerProvince,
      status,
      sendAt: null,
      ignoreQuietHours: false,
      needsApproval: false,
      estimatedRecipients: 7,
      createdBy: 'k',
      queuedCount: 0,
      queueCursor: null,
      queueComplete: true,
      batchCount: 0,
      createdAt: new Date(now - hoursAgo * 3_600_000),
      updatedAt: new Date(now - hoursAgo * 3_600_000),
    });
    await db.collection('broadcasts').insertMany([
      ...[10, 9, 8, 7, 6].map((h) => broadcast(new Types.ObjectId(), `Tin cũ ${h}`, '01', h)),
      broadcast(newestBroadcast01, 'Cảnh báo lừa đảo', '01', 2, 'sending'),
      broadcast(unscopedBroadcast, 'Toàn quốc', null, 1, 'draft'),
    ]);
    const states = ['sent', 'sent', 'sent', 'blocked', 'failed', 'queued', 'skipped'];
    await db.collection('broadcast_deliveries').insertMany(
      states.map((state, i) => ({ broadcastId: newestBroadcast01, batchNo: 0, channel: 'telegram', chatId: `d${i}`, locale: 'vi', state, attempts: 1 })),
    );

    viewer01 = await createStaffKey(app.url, 'viewer', '01');
    viewerAll = await createStaffKey(app.url, 'viewer');
    broadcaster01 = await createStaffKey(app.url, 'broadcaster', '01');
    reviewer79 = await createStaffKey(app.url, 'reviewer', '79');
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('gives a province-scoped viewer its own province: adoption against targets, queues, fraud, broadcasts, subscribers', async () => {
    const answer = await get(viewer01);
    expect(answer.status).toBe(200);
    const body = answer.body;
    expect(body.province).toBe('01');
    expect(body.provinces).toEqual([{ code: '01', name: 'Hà Nội' }]);
    expect(body.adoption.overall).toEqual({ total: 8, cashless: 4, rate: 0.5, target: 0.6 });
    expect(body.adoption.byProvince).toEqual([{ code: '01', total: 8, cashless: 4, rate: 0.5, target: 0.6 }]);
    expect(body.adoption.byDistrict).toEqual([
      { code: '001', total: 4, cashless: 2, rate: 0.5, target: 0.6 },
      { code: '002', total: 3, cashless: 2, rate: 2 / 3, target: 0.6 },
      { code: null, total: 1, cashless: 0, rate: 0, target: 0.6 },
    ]);
    expect(body.adoption.byBenefitType).toEqual([
      { benefitType: 'pension', total: 4, cashless: 2, rate: 0.5, target: 0.5 },
      { benefitType: 'monthly_allowance', total: 1, cashless: 0, rate: 0, target: null },
      { benefitType: 'lump_sum', total: 1, cashless: 1, rate: 1, target: 0.98 },
      { benefitType: 'unemployment', total: 1, cashless: 1, rate: 1, target: 1 },
      { benefitType: 'merit', total: 1, cashless: 0, rate: 0, target: null },
    ]);
    expect(body.pending).toEqual({ requests: 2, requestsFrozen: 1, links: 3 });
    expect(body.fraud.total).toBe(3);
    expect(body.fraud.byCategory).toEqual([
      { category: 'impersonation', count: 2 },
      { category: 'fake_app', count: 0 },
      { category: 'otp_request', count: 1 },
      { category: 'paid_help', count: 0 },
      { category: 'other', count: 0 },
    ]);
    expect(new Date(body.fraud.since).getTime()).toBe(new Date(body.generatedAt).getTime() - 7 * DAY_MS);
    expect(body.broadcasts.map((b) => b.title)).toEqual(['Cảnh báo lừa đảo', 'Tin cũ 6', 'Tin cũ 7', 'Tin cũ 8', 'Tin cũ 9']);
    expect(body.broadcasts[0]).toMatchObject({ id: String(newestBroadcast01), status: 'sending', reach: { sent: 3, blocked: 1, failed: 1, total: 7 } });
    expect(body.broadcasts[1]!.reach).toEqual({ sent: 0, blocked: 0, failed: 0, total: 0 });
    expect(body.subscribers).toEqual([
      { platform: 'telegram', subscribed: 1, blocked: 1, unsubscribed: 0, total: 2 },
      { platform: 'zalo', subscribed: 1, blocked: 0, unsubscribed: 0, total: 1 },
    ]);
  });

  it('refuses a scoped key another province, and accepts its own named', async () => {
    const other = await adminCall<{ code: string; field: string }>(app.url, viewer01, 'GET', '/dashboard?province=79');
    expect(other.status).toBe(403);
    expect(other.body).toMatchObject({ code: 'forbidden', field: 'province' });
    expect((await get(reviewer79, '?province=01')).status).toBe(403);
    const own = await get(viewer01, '?province=01');
    expect(own.status).toBe(200);
    expect(own.body.adoption.overall.total).toBe(8);
  });

  it('shows an unscoped key every province, or the one it asks for', async () => {
    const all = await get(viewerAll);
    expect(all.status).toBe(200);
    expect(all.body.province).toBeNull();
    expect(all.body.provinces).toEqual([
      { code: '01', name: 'Hà Nội' },
      { code: '79', name: 'Hồ Chí Minh' },
    ]);
    expect(all.body.adoption.overall).toEqual({ total: 11, cashless: 6, rate: 6 / 11, target: 0.6 });
    expect(all.body.adoption.byProvince).toEqual([
      { code: '01', total: 8, cashless: 4, rate: 0.5, target: 0.6 },
      { code: '79', total: 3, cashless: 2, rate: 2 / 3, target: 0.6 },
    ]);
    expect(all.body.adoption.byBenefitType.find((b) => b.benefitType === 'social_assistance')).toEqual({
      benefitType: 'social_assistance',
      total: 1,
      cashless: 1,
      rate: 1,
      target: null,
    });
    expect(all.body.pending).toEqual({ requests: 3, requestsFrozen: 1, links: 4 });
    // Cases without a province count only here.
    expect(all.body.fraud.total).toBe(5);
    expect(all.body.fraud.byCategory.find((c) => c.category === 'paid_help')?.count).toBe(1);
    expect(all.body.broadcasts.map((b) => b.title)).toEqual(['Toàn quốc', 'Cảnh báo lừa đảo', 'Tin cũ 6', 'Tin cũ 7', 'Tin cũ 8']);
    expect(all.body.broadcasts[0]).toMatchObject({ id: String(unscopedBroadcast), status: 'draft' });
    // Every chat, linked or not.
    expect(all.body.subscribers).toEqual([
      { platform: 'simulator', subscribed: 1, blocked: 0, unsubscribed: 0, total: 1 },
      { platform: 'telegram', subscribed: 1, blocked: 1, unsubscribed: 1, total: 3 },
      { platform: 'zalo', subscribed: 2, blocked: 0, unsubscribed: 0, total: 2 },
    ]);

    const hcm = await get(viewerAll, '?province=79');
    expect(hcm.status).toBe(200);
    expect(hcm.body.province).toBe('79');
    expect(hcm.body.adoption.byDistrict).toEqual([{ code: '760', total: 3, cashless: 2, rate: 2 / 3, target: 0.6 }]);
    expect(hcm.body.pending).toEqual({ requests: 1, requestsFrozen: 0, links: 1 });
    expect(hcm.body.fraud.byCategory.find((c) => c.category === 'other')?.count).toBe(1);
    expect(hcm.body.broadcasts).toEqual([]);
    expect(hcm.body.subscribers).toEqual([{ platform: 'zalo', subscribed: 1, blocked: 0, unsubscribed: 0, total: 1 }]);
  });

  it('is readable by every role, validates the province and is in the OpenAPI document', async () => {
    expect((await get(broadcaster01)).status).toBe(200);
    expect((await get(reviewer79)).body.province).toBe('79');
    expect((await get(FRAUD_ADMIN_KEY)).status).toBe(200);
    const bad = await adminCall<{ code: string; field: string }>(app.url, viewerAll, 'GET', '/dashboard?province=1');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('province');
    expect((await adminCall(app.url, viewerAll, 'GET', '/dashboard?limit=3')).status).toBe(400);
    expect((await adminCall(app.url, 'lhb_not-a-key', 'GET', '/dashboard')).status).toBe(401);
    const doc = await fetch(`${app.url}/admin/api/openapi.json`).then((r) => r.json() as Promise<{ paths: Record<string, { get?: unknown }> }>);
    expect(doc.paths['/dashboard']?.get).toBeDefined();
  });
});
