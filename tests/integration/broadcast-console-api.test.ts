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

  it("previews a draft through each channel's own renderer, with the link problems the create route would refuse", async () => {
    type Preview = {
      locale: string;
      channels: { channel: string; enabled: boolean; displayName: string | null; bubbles: { photo?: string; text: string; button?: { label: string; url: string } }[] }[];
      problems: { field: string; code: string }[];
    };
    const long = `${'Cảnh báo lừa đảo. '.repeat(130)}\nDòng cuối`;
    const label = 'Xem hướng dẫn của BHXH';
    const answer = await broadcastApi<Preview>(h.adminUrl, viewer, 'POST', '/broadcasts/preview', {
      content: { vi: { text: long, linkLabel: label } },
      linkUrl: 'https://baohiemxahoi.gov.vn/huong-dan',
      imageUrl: 'https://baohiemxahoi.gov.vn/canh-bao.png',
    });
    expect(answer.status).toBe(200);
    const byName = new Map(answer.body.channels.map((c) => [c.channel, c]));
    expect([...byName.keys()]).toEqual(['telegram', 'zalo', 'zalo-bot', 'simulator']);
    // Only Telegram runs in this harness; the others are still previewed, from their renderers.
    expect(byName.get('telegram')).toMatchObject({ enabled: true, displayName: 'Lương Hưu (test)' });
    expect(byName.get('zalo')).toMatchObject({ enabled: false, displayName: null });
    // Telegram: the text is over a caption (1024), so the photo goes first, alone, then the text with the button.
    const telegram = byName.get('telegram')!.bubbles;
    expect(telegram[0]).toEqual({ photo: 'https://baohiemxahoi.gov.vn/canh-bao.png', text: '' });
    expect(telegram.at(-1)!.button).toEqual({ label, url: 'https://baohiemxahoi.gov.vn/huong-dan' });
    // Zalo OA: the image is its own message, and the 2000-character limit splits the text at a line or a space.
    const zalo = byName.get('zalo')!.bubbles;
    expect(zalo[0]).toEqual({ photo: 'https://baohiemxahoi.gov.vn/canh-bao.png', text: '' });
    expect(zalo.length).toBeGreaterThanOrEqual(3);
    expect(zalo.slice(1).every((b) => b.text.length > 0 && b.text.length <= 2000)).toBe(true);
    expect(zalo.at(-1)).toMatchObject({ text: expect.stringContaining('Dòng cuối'), button: { label, url: 'https://baohiemxahoi.gov.vn/huong-dan' } });
    // Zalo Bot Platform: no buttons at all; the link is a line of the text.
    expect(byName.get('zalo-bot')!.bubbles.some((b) => b.text.includes(`${label}: https://baohiemxahoi.gov.vn/huong-dan`))).toBe(true);
    expect(answer.body.problems).toEqual([]);

    const short = await broadcastApi<Preview>(h.adminUrl, broadcaster, 'POST', '/broadcasts/preview', {
      content: { vi: { text: 'Xem https://evil.example', linkLabel: 'Xem' }, en: { text: 'See' } },
      linkUrl: 'http://baohiemxahoi.gov.vn/',
      imageUrl: 'https://baohiemxahoi.gov.vn/a.png',
      locale: 'en',
    });
    expect(short.status).toBe(200);
    expect(short.body.locale).toBe('en');
    // A photo and a short text make one Telegram call: the caption sits under the photo.
    expect(short.body.channels.find((c) => c.channel === 'telegram')!.bubbles).toEqual([
      { photo: 'https://baohiemxahoi.gov.vn/a.png', text: 'See', button: { label: 'Xem', url: 'http://baohiemxahoi.gov.vn/' } },
    ]);
    expect(short.body.problems.map((p) => [p.field, p.code])).toEqual([
      ['linkUrl', 'link_not_https'],
      ['content.vi.text', 'link_in_text'],
    ]);

    const empty = await broadcastApi<Preview>(h.adminUrl, viewer, 'POST', '/broadcasts/preview', { content: { vi: { text: '' } } });
    expect(empty.body.channels.every((c) => c.bubbles.length === 0)).toBe(true);
    expect((await broadcastApi(h.adminUrl, viewer, 'POST', '/broadcasts/preview', { content: { vi: { text: 'x'.repeat(3501) } } })).status).toBe(400);
    // A preview changes nothing, so it leaves no audit entry.
    const audit = await broadcastApi<{ items: { action: string }[] }>(h.adminUrl, BROADCAST_ADMIN_KEY, 'GET', '/audit?limit=200');
    expect(audit.body.items.some((e) => e.action.includes('preview'))).toBe(false);
  });

  it('lists the people a broadcast did not reach as CSV for the office, and answers 404 for an unknown broadcast', async () => {
    const created = await broadcastApi<{ id: string }>(h.adminUrl, broadcaster, 'POST', '/broadcasts', draft());
    const csv = await fetch(`${h.adminUrl}/admin/api/broadcasts/${created.body.id}/undeliverable.csv`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    // A byte-order mark first, so spreadsheet programs read the Vietnamese names right.
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('channel,chat_id,reason,bhxh_code,full_name,district_code,commune_code\r\n');
    const missing = await fetch(`${h.adminUrl}/admin/api/broadcasts/${'0'.repeat(24)}/undeliverable.csv`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(missing.status).toBe(404);
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
