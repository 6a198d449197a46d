import { afterEach, describe, expect, it } from 'vitest';
import { seedSubscribers, startBroadcastHarness, until, type BroadcastHarness } from '../support/broadcast-harness.js';

const AUTHOR = { keyId: 'author-key', role: 'broadcaster', province: null };
const ADMIN = { keyId: 'second-admin', role: 'admin', province: null };

let h: BroadcastHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** HH:MM in Vietnam, `minutes` from now. */
function vnClock(minutes: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(Date.now() + minutes * 60_000));
}

describe('broadcast timing', () => {
  it('postpones during quiet hours instead of dropping; an approved urgent notice goes out anyway', async () => {
    h = await startBroadcastHarness({ config: { quietHours: { start: vnClock(-60), end: vnClock(60) } } });
    await seedSubscribers(h.app, 5);
    const { service } = h.broadcasting;
    h.broadcasting.worker.start();
    const normal = await service.create({ title: 'n', content: { vi: { text: 'Thông báo thường' } }, audience: {} }, AUTHOR);
    expect((await service.submit(normal.id, AUTHOR)).status).toBe('approved');
    await until(async () => (await service.get(normal.id, null)).progress.queueComplete);
    await new Promise((r) => setTimeout(r, 400));
    const waiting = await service.get(normal.id, null);
    expect(waiting.status).toBe('sending');
    expect(waiting.progress.counts).toMatchObject({ queued: 5, sent: 0 });
    expect(h.fake.sentMessages()).toHaveLength(0);

    const urgent = await service.create({ title: 'u', content: { vi: { text: 'Cảnh báo khẩn' } }, audience: {}, ignoreQuietHours: true }, AUTHOR);
    expect((await service.submit(urgent.id, AUTHOR)).status).toBe('pending_approval');
    await service.approve(urgent.id, ADMIN);
    await until(async () => (await service.get(urgent.id, null)).status === 'done');
    expect(h.fake.sentMessages().map((c) => c.params.text)).toEqual(Array(5).fill('Cảnh báo khẩn'));
    expect((await service.get(normal.id, null)).progress.counts.queued).toBe(5);
  });

  it('waits for the scheduled time, and speaks English to English speakers', async () => {
    h = await startBroadcastHarness();
    await seedSubscribers(h.app, 3, 800_000, { locale: 'en' });
    await seedSubscribers(h.app, 2, 900_000);
    const { service } = h.broadcasting;
    h.broadcasting.worker.start();
    const sendAt = new Date(Date.now() + 1500);
    const b = await service.create({ title: 's', content: { vi: { text: 'Lịch chi trả' }, en: { text: 'Payment schedule' } }, audience: {}, sendAt }, AUTHOR);
    expect((await service.submit(b.id, AUTHOR)).status).toBe('scheduled');
    await new Promise((r) => setTimeout(r, 500));
    expect(h.fake.sentMessages()).toHaveLength(0);
    await until(async () => (await service.get(b.id, null)).status === 'done');
    expect(h.fake.sentMessages(800_000)[0]?.params.text).toBe('Payment schedule');
    expect(h.fake.sentMessages(900_000)[0]?.params.text).toBe('Lịch chi trả');
  });
});
