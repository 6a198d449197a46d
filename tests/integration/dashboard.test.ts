import type { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DashboardSummary } from '../../src/domain/dashboard.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { DASHBOARD_TARGETS, seedDashboard } from '../support/dashboard-seed.js';
import { adminCall, createStaffKey, FRAUD_ADMIN_KEY } from '../support/fraud-api.js';

/** The summary as it travels: dates are ISO strings. */
type DashboardBody = Omit<DashboardSummary, 'generatedAt' | 'fraud' | 'broadcasts'> & {
  generatedAt: string;
  fraud: Omit<DashboardSummary['fraud'], 'since'> & { since: string };
  broadcasts: (Omit<DashboardSummary['broadcasts'][number], 'createdAt'> & { createdAt: string })[];
};

const DAY_MS = 86_400_000;

/** The dashboard through the admin API, on a real app and database, with the register of `seedDashboard`. */
describe('dashboard admin API', () => {
  let app: TestApp;
  let viewer01 = '';
  let viewerAll = '';
  let broadcaster01 = '';
  let reviewer79 = '';
  let newestBroadcast01: Types.ObjectId;
  let unscopedBroadcast: Types.ObjectId;

  const get = (key: string, query = '') => adminCall<DashboardBody>(app.url, key, 'GET', `/dashboard${query}`);

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: FRAUD_ADMIN_KEY, CASHLESS_TARGETS: DASHBOARD_TARGETS });
    ({ newestBroadcast01, unscopedBroadcast } = await seedDashboard(app.connection));
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
