import { afterEach, describe, expect, it } from 'vitest';
import { BROADCAST_ADMIN_KEY, broadcastApi, broadcastStaffKey, seedSubscribers, startBroadcastHarness, until, type BroadcastHarness } from '../support/broadcast-harness.js';

interface Report {
  status: string;
  final: boolean;
  recipients: number;
  counts: Record<string, number>;
  failureReasons: Record<string, number>;
  skipReasons: Record<string, number>;
  startedAt: string | null;
  finishedAt: string | null;
  firstSentAt: string | null;
  lastSentAt: string | null;
  achievedRatePerSecond: number | null;
}

let h: BroadcastHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

describe('broadcast final report', () => {
  it('gives counts per final state, failures per reason, first and last send time and the achieved rate', async () => {
    h = await startBroadcastHarness({ fake: { blockedChatIds: ['700005', '700020'], globalRatePerSecond: 50 }, config: { limits: { telegram: { ratePerSecond: 50, perChatPerSecond: 1 } } } });
    await seedSubscribers(h.app, 60);
    h.fake.failNext('sendMessage', 3, { status: 400, description: 'Bad Request: chat not found' });
    const viewer = await broadcastStaffKey(h.adminUrl, 'viewer');
    const made = await broadcastApi<{ id: string }>(h.adminUrl, BROADCAST_ADMIN_KEY, 'POST', '/broadcasts', {
      title: 'report',
      content: { vi: { text: 'Cảnh báo: BHXH không bao giờ hỏi mã OTP.' } },
    });
    const id = made.body.id;
    const before = await broadcastApi<Report>(h.adminUrl, viewer, 'GET', `/broadcasts/${id}/report`);
    expect(before.body).toMatchObject({ status: 'draft', final: false, recipients: 0, firstSentAt: null, achievedRatePerSecond: null });

    h.broadcasting.worker.start();
    expect((await broadcastApi<{ status: string }>(h.adminUrl, BROADCAST_ADMIN_KEY, 'POST', `/broadcasts/${id}/submit`)).body.status).toBe('approved');
    await until(async () => (await h!.broadcasting.service.get(id, null)).status === 'done');

    const report = await broadcastApi<Report>(h.adminUrl, viewer, 'GET', `/broadcasts/${id}/report`);
    expect(report.status).toBe(200);
    expect(report.body).toMatchObject({
      status: 'done',
      final: true,
      recipients: 60,
      counts: { sent: 55, blocked: 2, failed: 3, skipped: 0, queued: 0, sending: 0 },
      failureReasons: { bad_request: 3 },
      skipReasons: {},
    });
    const first = Date.parse(report.body.firstSentAt!);
    const last = Date.parse(report.body.lastSentAt!);
    expect(first).toBeGreaterThanOrEqual(Date.parse(report.body.startedAt!));
    expect(last).toBeGreaterThan(first);
    expect(last).toBeLessThanOrEqual(Date.parse(report.body.finishedAt!));
    // 55 sends at 50/s: about a second; the rate is what was achieved, never above the limit by more than timing noise.
    expect(report.body.achievedRatePerSecond).toBeCloseTo(54 / ((last - first) / 1000), 1);
    expect(report.body.achievedRatePerSecond!).toBeGreaterThan(10);
    expect(report.body.achievedRatePerSecond!).toBeLessThanOrEqual(55);

    expect((await broadcastApi(h.adminUrl, viewer, 'GET', '/broadcasts/0123456789abcdef01234567/report')).status).toBe(404);
    const hanoi = await broadcastStaffKey(h.adminUrl, 'viewer', '01');
    // Written by an all-province key: a province key does not see it.
    expect((await broadcastApi(h.adminUrl, hanoi, 'GET', `/broadcasts/${id}/report`)).status).toBe(404);
  });
});
