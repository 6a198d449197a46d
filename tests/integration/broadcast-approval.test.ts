import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import {
  BROADCAST_ADMIN_KEY,
  broadcastApi,
  broadcastStaffKey,
  seedSubscribers,
  startBroadcastHarness,
  until,
  type BroadcastHarness,
} from '../support/broadcast-harness.js';

let h: BroadcastHarness;
let broadcaster: string;
let secondAdmin: string;
let viewer: string;
let hanoi: string;

type View = { id: string; status: string; needsApproval: boolean; estimatedRecipients: number; progress: { counts: Record<string, number> } };

const draft = (extra: Record<string, unknown> = {}) => ({
  title: 'Cảnh báo lừa đảo',
  content: { vi: { text: 'Cơ quan BHXH không bao giờ gọi điện yêu cầu chuyển tiền.' } },
  ...extra,
});

beforeAll(async () => {
  h = await startBroadcastHarness({ config: { approvalThreshold: 20 } });
  await seedSubscribers(h.app, 30);
  broadcaster = await broadcastStaffKey(h.app.url, 'broadcaster');
  secondAdmin = await broadcastStaffKey(h.app.url, 'admin');
  viewer = await broadcastStaffKey(h.app.url, 'viewer');
  hanoi = await broadcastStaffKey(h.app.url, 'broadcaster', '01');
});
afterAll(async () => {
  await h?.stop();
});

describe('broadcast approval (four-eyes), link allow-list and roles', () => {
  it('a broadcaster key alone cannot send a large broadcast: it waits for a different admin key', async () => {
    const created = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft());
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('draft');
    const submitted = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', `/broadcasts/${created.body.id}/submit`);
    expect(submitted.body).toMatchObject({ status: 'pending_approval', needsApproval: true, estimatedRecipients: 30 });

    const selfApprove = await broadcastApi(h.adminUrl, broadcaster, 'POST', `/broadcasts/${created.body.id}/approve`);
    expect(selfApprove.status).toBe(403);
    expect(selfApprove.body.code).toBe('forbidden');

    h.broadcasting.worker.start();
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.sentMessages()).toHaveLength(0);

    const approved = await broadcastApi<View>(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${created.body.id}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.status).toBe('approved');
    await until(async () => (await broadcastApi<View>(h.adminUrl, viewer, 'GET', `/broadcasts/${created.body.id}`)).body.status === 'done');
    const progress = await broadcastApi<View>(h.adminUrl, viewer, 'GET', `/broadcasts/${created.body.id}`);
    expect(progress.body.progress.counts.sent).toBe(30);
  });

  it('an admin cannot approve a broadcast it wrote itself', async () => {
    const created = await broadcastApi<View>(h.adminUrl, secondAdmin, 'POST', '/broadcasts', draft());
    await broadcastApi(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${created.body.id}/submit`);
    const own = await broadcastApi(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${created.body.id}/approve`);
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('four_eyes');
    const other = await broadcastApi<View>(h.adminUrl, BROADCAST_ADMIN_KEY, 'POST', `/broadcasts/${created.body.id}/approve`);
    expect(other.body.status).toBe('approved');
  });

  it('refuses links outside the allow-list, look-alike domains, http, and links hidden in the text', async () => {
    for (const linkUrl of ['https://bhxh-hotro.com/otp', 'https://baohiemxahoi.gov.vn.evil.com/', 'http://baohiemxahoi.gov.vn/']) {
      const answer = await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft({ linkUrl, content: { vi: { text: 'Xem chi tiết', linkLabel: 'Mở' } } }));
      expect(answer.status, linkUrl).toBe(400);
      expect(String(answer.body.code)).toMatch(/^link_not_(allowed|https)$/);
    }
    const hidden = await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft({ content: { vi: { text: 'Bấm vào https://bhxh-hotro.com để nhận tiền' } } }));
    expect(hidden.status).toBe(400);
    expect(hidden.body.code).toBe('link_in_text');
  });

  it('a small broadcast with an allowed link still needs approval', async () => {
    const created = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft({
      linkUrl: 'https://baohiemxahoi.gov.vn/canh-bao',
      content: { vi: { text: 'Xem cảnh báo mới', linkLabel: 'Xem cảnh báo' } },
      audience: { languages: ['en'] },
    }));
    expect(created.status).toBe(201);
    const submitted = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', `/broadcasts/${created.body.id}/submit`);
    expect(submitted.body).toMatchObject({ status: 'pending_approval', estimatedRecipients: 0 });
  });

  it('a small broadcast without a link goes out on submit', async () => {
    const created = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft({ audience: { languages: ['en'] } }));
    const submitted = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', `/broadcasts/${created.body.id}/submit`);
    expect(submitted.body.status).toBe('approved');
  });

  it('viewers cannot write; province keys stay in their province', async () => {
    const byViewer = await broadcastApi(h.adminUrl, viewer, 'POST', '/broadcasts', draft());
    expect(byViewer.status).toBe(403);
    const otherProvince = await broadcastApi(h.adminUrl, hanoi, 'POST', '/broadcasts', draft({ audience: { provinces: ['79'] } }));
    expect(otherProvince.status).toBe(403);
    expect(otherProvince.body.code).toBe('province_scope');
    const own = await broadcastApi<View & { audience: { provinces: string[]; linkedOnly: boolean } }>(h.adminUrl, hanoi, 'POST', '/broadcasts', draft());
    expect(own.body.audience).toMatchObject({ provinces: ['01'], linkedOnly: true });
    const estimate = await broadcastApi<{ recipients: number }>(h.adminUrl, broadcaster, 'POST', '/broadcasts/estimate', { audience: {} });
    expect(estimate.body.recipients).toBe(30);
    // Another province's office does not see it.
    const list = await broadcastApi<{ items: View[] }>(h.adminUrl, hanoi, 'GET', '/broadcasts');
    expect(list.body.items.map((b) => b.id)).toEqual([own.body.id]);
  });

  it('creates a notice from a built-in template with its named fields filled in both languages', async () => {
    const list = await broadcastApi<{ items: { id: string; fields: string[] }[] }>(h.adminUrl, viewer, 'GET', '/broadcasts/templates');
    expect(list.body.items.find((t) => t.id === 'otpWarning')?.fields).toEqual(['province_hotline']);
    const missing = await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcasts', { title: 'OTP', template: { id: 'otpWarning', fields: {} } });
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('template_fields');
    const made = await broadcastApi<{ content: { vi: { text: string }; en: { text: string } } }>(h.adminUrl, broadcaster, 'POST', '/broadcasts', {
      title: 'OTP',
      template: { id: 'otpWarning', fields: { province_hotline: '024 3936 1111' } },
    });
    expect(made.status).toBe(201);
    expect(made.body.content.vi.text).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(made.body.content.vi.text).toContain('024 3936 1111');
    expect(made.body.content.en.text).toContain('NEVER asks for OTP codes');
  });

  it('audits every broadcast action with the acting key', async () => {
    const actions = await auditLogModel(h.app.connection).distinct('action', { action: /^broadcast\./ });
    expect(actions.sort()).toEqual(['broadcast.approve', 'broadcast.create', 'broadcast.estimate', 'broadcast.submit']);
  });
  it('approve and cancel at the same moment: one approval at most, and a cancel that succeeded is never undone', async () => {
    const { service } = h.broadcasting;
    const author = { keyId: 'race-author', role: 'broadcaster', province: null };
    const admin = { keyId: 'race-admin', role: 'admin', province: null };
    for (let round = 0; round < 5; round++) {
      const created = await service.create({ ...draft({ title: `race ${round}` }), audience: {} } as Parameters<typeof service.create>[0], author);
      await service.submit(created.id, author);
      // Many callers at once, straight to the service: the race is between the status read and its update.
      const outcomes = await Promise.allSettled(Array.from({ length: 16 }, (_, i) => (i % 4 === 3 ? service.cancel(created.id, author) : service.approve(created.id, admin))));
      const ok = (status: string) => outcomes.filter((o) => o.status === 'fulfilled' && o.value.status === status).length;
      const refused = outcomes.filter((o) => o.status === 'rejected').map((o) => (o as PromiseRejectedResult).reason as { code?: string });
      expect(refused.every((e) => e.code === 'invalid_state')).toBe(true);
      expect(ok('approved')).toBeLessThanOrEqual(1);
      expect(ok('cancelled')).toBeLessThanOrEqual(1);
      expect(ok('approved') + ok('cancelled')).toBeGreaterThanOrEqual(1);
      // An approval may come first and a cancel after it (both allowed); a cancel is final: the worker never overrides it.
      const final = ok('cancelled') === 1 ? 'cancelled' : 'done';
      await until(async () => (await service.get(created.id, null)).status === final);
    }
  });
});
