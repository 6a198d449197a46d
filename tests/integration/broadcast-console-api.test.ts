import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import {
  BROADCAST_ADMIN_KEY,
  broadcastApi,
  broadcastStaffKey,
  seedSubscribers,
  startBroadcastHarness,
  until,
  type BroadcastHarness,
} from '../support/broadcast-harness.js';

/** What the staff console reads besides the broadcast itself: reject, labels, totals, settings, districts. */
let h: BroadcastHarness;
let broadcaster: string;
let secondAdmin: string;
let viewer: string;

interface View {
  id: string;
  status: string;
  yours: boolean;
  createdBy: string;
  rejectedBy: string | null;
  rejectionReason: string | null;
  staffLabels: Record<string, string>;
  progress: { total: number; pending: number; counts: Record<string, number> };
}

const draft = (extra: Record<string, unknown> = {}) => ({ title: 'Cảnh báo', content: { vi: { text: 'BHXH không bao giờ hỏi mã OTP.' } }, ...extra });

beforeAll(async () => {
  h = await startBroadcastHarness({ config: { approvalThreshold: 5 } });
  await seedSubscribers(h.app, 12);
  broadcaster = await broadcastStaffKey(h.adminUrl, 'broadcaster');
  secondAdmin = await broadcastStaffKey(h.adminUrl, 'admin');
  viewer = await broadcastStaffKey(h.adminUrl, 'viewer');
});
afterAll(async () => {
  await h?.stop();
});

describe('broadcast API for the staff console', () => {
  it('a second admin rejects with a reason; the admin who submitted it cannot, nor can a broadcaster; a rejected broadcast cannot be approved', async () => {
    const made = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft());
    expect(made.body).toMatchObject({ yours: true, status: 'draft' });
    expect(made.body.staffLabels[made.body.createdBy]).toBe('broadcaster all');
    // An admin submits it: an admin may reject in general, so only the four-eyes rule can refuse it here.
    const submitted = await broadcastApi<View>(h.adminUrl, BROADCAST_ADMIN_KEY, 'POST', `/broadcasts/${made.body.id}/submit`);
    expect(submitted.body.status).toBe('pending_approval');

    const asViewer = await broadcastApi<View>(h.adminUrl, viewer, 'GET', `/broadcasts/${made.body.id}`);
    expect(asViewer.body.yours).toBe(false);
    const bySubmitter = await broadcastApi(h.adminUrl, BROADCAST_ADMIN_KEY, 'POST', `/broadcasts/${made.body.id}/reject`, { reason: 'Sai số điện thoại' });
    expect(bySubmitter.status).toBe(403);
    expect(bySubmitter.body.code).toBe('four_eyes');
    // The author is a broadcaster, and rejecting is an admin's step.
    const byAuthor = await broadcastApi(h.adminUrl, broadcaster, 'POST', `/broadcasts/${made.body.id}/reject`, { reason: 'Sai số điện thoại' });
    expect(byAuthor.status).toBe(403);
    expect(byAuthor.body.code).toBe('forbidden');
    const noReason = await broadcastApi(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${made.body.id}/reject`, { reason: ' ' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.field).toBe('reason');

    const rejected = await broadcastApi<View>(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${made.body.id}/reject`, { reason: 'Sai số điện thoại' });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', rejectionReason: 'Sai số điện thoại', yours: false });
    expect(rejected.body.staffLabels[rejected.body.rejectedBy!]).toBe('admin all');
    const approve = await broadcastApi(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${made.body.id}/approve`);
    expect(approve.status).toBe(409);
    expect(approve.body.code).toBe('invalid_state');
  });

  it('an admin cannot reject its own broadcast', async () => {
    const made = await broadcastApi<View>(h.adminUrl, secondAdmin, 'POST', '/broadcasts', draft());
    await broadcastApi(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${made.body.id}/submit`);
    const own = await broadcastApi(h.adminUrl, secondAdmin, 'POST', `/broadcasts/${made.body.id}/reject`, { reason: 'x' });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('four_eyes');
  });

  it('progress counts the expected total and what is still pending until every delivery is final', async () => {
    const made = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft());
    const submitted = await broadcastApi<View>(h.adminUrl, broadcaster, 'POST', `/broadcasts/${made.body.id}/submit`);
    expect(submitted.body.progress).toMatchObject({ total: 12, pending: 12 });
    await broadcastApi(h.adminUrl, BROADCAST_ADMIN_KEY, 'POST', `/broadcasts/${made.body.id}/approve`);
    h.broadcasting.worker.start();
    await until(async () => (await broadcastApi<View>(h.adminUrl, viewer, 'GET', `/broadcasts/${made.body.id}`)).body.status === 'done');
    const done = await broadcastApi<View>(h.adminUrl, viewer, 'GET', `/broadcasts/${made.body.id}`);
    expect(done.body.progress).toMatchObject({ total: 12, pending: 0, counts: { sent: 12 } });
  });

  it('tells the console the rules, the limits and the bot name recipients see', async () => {
    const answer = await broadcastApi<{ approvalThreshold: number; allowedLinkDomains: string[]; platforms: { id: string; name: string | null }[]; limits: Record<string, number> }>(
      h.adminUrl,
      viewer,
      'GET',
      '/broadcasts/settings',
    );
    expect(answer.status).toBe(200);
    expect(answer.body.approvalThreshold).toBe(5);
    expect(answer.body.allowedLinkDomains).toContain('baohiemxahoi.gov.vn');
    expect(answer.body.platforms).toEqual([{ id: 'telegram', name: 'Lương Hưu (test)', ratePerSecond: 200 }]);
    expect(answer.body.limits).toMatchObject({ text: 3500, telegramCaption: 1024, zaloText: 2000 });
  });

  it('reaches only the chats linked to a beneficiary of the chosen districts', async () => {
    const [inDistrict, elsewhere] = await seedSubscribers(h.app, 2, 800_000);
    const people = await beneficiaryModel(h.app.connection).insertMany(
      ['001', '002'].map((districtCode, i) => ({
        bhxhCode: `01990000${i}`,
        fullName: 'Nguyễn Văn A',
        birthDate: '1950-01-01',
        gender: 'male',
        phones: [],
        phoneIndexes: [],
        provinceCode: '01',
        districtCode,
        benefitType: 'pension',
        monthlyAmount: 5_000_000,
        paymentMethod: { kind: 'cash_post' },
      })),
      { lean: true },
    );
    await beneficiaryLinkModel(h.app.connection).insertMany(
      [inDistrict!, elsewhere!].map((chatId, i) => ({ channel: 'telegram', chatId, beneficiaryId: people[i]!._id, provinceCode: '01', role: 'self', status: 'active', consentVersion: 'v1' })),
    );
    const estimate = async (audience: Record<string, unknown>) =>
      (await broadcastApi<{ recipients: number }>(h.adminUrl, broadcaster, 'POST', '/broadcasts/estimate', { audience })).body.recipients;
    expect(await estimate({ provinces: ['01'] })).toBe(2);
    expect(await estimate({ districts: ['001'] })).toBe(1);
    expect(await estimate({ provinces: ['01'], districts: ['001', '002'] })).toBe(2);
    expect((await broadcastApi(h.adminUrl, broadcaster, 'POST', '/broadcasts/estimate', { audience: { districts: ['1'] } })).status).toBe(400);
  });
});
