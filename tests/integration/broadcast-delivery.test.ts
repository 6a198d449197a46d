import { afterEach, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { outcomesOf } from '../../src/broadcast/ledger.js';
import type { BroadcastService } from '../../src/broadcast/service.js';
import { seedSubscribers, startBroadcastHarness, until, type BroadcastHarness } from '../support/broadcast-harness.js';

const AUTHOR = { keyId: 'author-key', role: 'broadcaster', province: null };
const ADMIN = { keyId: 'second-admin', role: 'admin', province: null };

let h: BroadcastHarness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** Creates, submits and (when needed) approves a plain notice; returns its id. */
async function release(service: BroadcastService, text = 'Cảnh báo: BHXH không bao giờ gọi điện xin mã OTP.'): Promise<string> {
  const draft = await service.create({ title: 'warning', content: { vi: { text }, en: { text: 'Warning: social insurance never asks for OTP codes.' } }, audience: {} }, AUTHOR);
  const submitted = await service.submit(draft.id, AUTHOR);
  if (submitted.status === 'pending_approval') await service.approve(draft.id, ADMIN);
  return draft.id;
}

async function finished(service: BroadcastService, id: string, timeoutMs = 30_000): Promise<void> {
  // Every look counts each delivery's state: a few a second, not the helper's default twenty.
  await until(async () => ['done', 'cancelled'].includes((await service.get(id, null)).status), timeoutMs, 250);
}

describe('broadcast delivery against the fake Bot API', () => {
  // 10 s of paced sends at 200/s plus seeding; on 2 cores beside two other test files FerretDB takes up to about three times that.
  it('sends 2 000 recipients at the configured pace with zero 429s, each exactly once', { timeout: 60_000 }, async () => {
    h = await startBroadcastHarness({ fake: { globalRatePerSecond: 200, perChatRatePerSecond: 1 } });
    const chats = await seedSubscribers(h.app, 2000);
    const { service } = h.broadcasting;
    h.broadcasting.worker.start();
    const id = await release(service);
    await finished(service, id, 50_000);

    const view = await service.get(id, null);
    expect(view.status).toBe('done');
    expect(view.progress.counts).toMatchObject({ sent: 2000, queued: 0, sending: 0, failed: 0, blocked: 0, skipped: 0 });
    expect(h.fake.stats().rateLimited).toBe(0);
    const sent = h.fake.sentMessages();
    expect(sent).toHaveLength(2000);
    expect(new Set(sent.map((c) => String(c.params.chat_id)))).toEqual(new Set(chats));
    expect(view.progress.ratePerSecond).toBeGreaterThan(0);
  });

  it('honours random 429 retry_after: no send inside the window, everyone delivered', async () => {
    h = await startBroadcastHarness({ fake: { globalRatePerSecond: 200 } });
    await seedSubscribers(h.app, 300);
    h.fake.randomRetryAfter(0.01, 1);
    // At least one 429 in every run (at 1% over 300 sends, about one run in twenty would draw none).
    h.fake.failNext('sendMessage', 1, { status: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const { service } = h.broadcasting;
    h.broadcasting.worker.start();
    const id = await release(service);
    await finished(service, id);

    const calls = h.fake.callsTo('sendMessage');
    const limited = calls.filter((c) => c.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    // The first 429 of each flood wait; the fake refuses everything until retry_after (1 s) ends.
    const floods = limited.filter((c, i) => i === 0 || c.at >= limited[i - 1]!.at + 1000);
    for (const first of floods) {
      // Sends already in flight when the 429 came back may land just after it; nothing sent later may land inside the window.
      const late = calls.filter((c) => c.at > first.at + 100 && c.at < first.at + 1000);
      expect(late).toEqual([]);
    }
    expect((await service.get(id, null)).progress.counts.sent).toBe(300);
    expect(new Set(h.fake.sentMessages().map((c) => String(c.params.chat_id))).size).toBe(300);
  });

  it('marks chats answering 403 blocked, makes them inactive and leaves them out of the next broadcast', async () => {
    const blocked = ['700003', '700010', '700042'];
    h = await startBroadcastHarness({ fake: { blockedChatIds: blocked } });
    await seedSubscribers(h.app, 60);
    const { service } = h.broadcasting;
    h.broadcasting.worker.start();
    const first = await release(service);
    await finished(service, first);
    const view = await service.get(first, null);
    expect(view.progress.counts).toMatchObject({ sent: 57, blocked: 3 });
    const users = await chatUserModel(h.app.connection).find({ chatId: { $in: blocked } }).lean();
    expect(users.map((u) => u.blocked)).toEqual([true, true, true]);

    h.fake.reset();
    const second = await release(service, 'Thông báo thứ hai.');
    await finished(service, second);
    const again = await service.get(second, null);
    expect(again.progress.queued).toBe(57);
    expect(again.progress.counts.sent).toBe(57);
    expect(h.fake.stats().blocked).toBe(0);
  });

  it('retries 5xx with backoff, then gives up with the reason', async () => {
    h = await startBroadcastHarness({ config: { maxAttempts: 3 } });
    await seedSubscribers(h.app, 10);
    const { service, models } = h.broadcasting;
    h.fake.failNext('sendMessage', 4, { status: 502, description: 'Bad Gateway' });
    h.broadcasting.worker.start();
    const first = await release(service);
    await finished(service, first);
    expect((await service.get(first, null)).progress.counts).toMatchObject({ sent: 10, failed: 0 });
    // Retries happen inside one claim: 4 failures spread over the first sends, each retried by the same holder.
    expect(await models.attempts.countDocuments({ broadcastId: first })).toBe(10);
    expect((await outcomesOf(models, new Types.ObjectId(first))).reduce((sum, o) => sum + o.tries, 0)).toBe(14);

    h.fake.failNext('sendMessage', 1000, { status: 500, description: 'Internal Server Error' });
    const second = await release(service, 'Lần hai');
    await finished(service, second);
    expect((await service.get(second, null)).progress.counts).toMatchObject({ sent: 0, failed: 10 });
    const reasons = await models.outcomes.distinct('reason', { broadcastId: second });
    expect(reasons).toEqual(['http_500']);
    // 3 attempts each, no more.
    expect(h.fake.callsTo('sendMessage').filter((c) => c.status === 500)).toHaveLength(30);
  });

  it('skips chats that unsubscribed after the audience was queued', async () => {
    h = await startBroadcastHarness({ config: { limits: { telegram: { ratePerSecond: 100, perChatPerSecond: 1 } } } });
    const chats = await seedSubscribers(h.app, 200);
    const { service, models } = h.broadcasting;
    h.broadcasting.worker.start();
    const id = await release(service);
    await until(async () => h!.fake.sentMessages().length >= 10);
    const leaving = chats.slice(-5);
    for (const chatId of leaving) await h.app.domain.chatUsers.setSubscribed({ channel: 'telegram', chatId }, false);
    await finished(service, id);
    expect((await service.get(id, null)).progress.counts).toMatchObject({ sent: 195, skipped: 5 });
    const skipped = await outcomesOf(models, new Types.ObjectId(id), 'skipped');
    expect(skipped.map((d) => d.chatId).sort()).toEqual(leaving);
    expect(skipped.every((d) => d.reason === 'unsubscribed')).toBe(true);
    for (const chatId of leaving) expect(h.fake.sentMessages(chatId)).toEqual([]);
  });

  it('cancel mid-way stops sending within seconds and the rest end skipped', async () => {
    h = await startBroadcastHarness({ config: { limits: { telegram: { ratePerSecond: 50, perChatPerSecond: 1 } } } });
    await seedSubscribers(h.app, 600);
    const { service } = h.broadcasting;
    h.broadcasting.worker.start();
    const id = await release(service);
    await until(async () => h!.fake.sentMessages().length >= 50);
    await service.cancel(id, AUTHOR);
    const atCancel = h.fake.sentMessages().length;
    await until(async () => {
      const c = (await service.get(id, null)).progress.counts;
      return c.queued + c.sending === 0;
    });
    const view = await service.get(id, null);
    expect(view.status).toBe('cancelled');
    // Only sends already paced or in flight at the cancel go out: well under one second's worth.
    const sent = h.fake.sentMessages().length;
    expect(sent - atCancel).toBeLessThan(50);
    expect(view.progress.counts.sent).toBe(sent);
    expect(view.progress.counts.skipped).toBe(600 - sent);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.fake.sentMessages().length).toBe(sent);
  });

  it('two workers share one broadcast: nobody twice, combined rate within the limit', async () => {
    h = await startBroadcastHarness({
      fake: { globalRatePerSecond: 200, perChatRatePerSecond: 1 },
      config: { limits: { telegram: { ratePerSecond: 100, perChatPerSecond: 1 } } },
    });
    await seedSubscribers(h.app, 800);
    const other = h.extraWorker('w2');
    await other.ready;
    h.broadcasting.worker.start();
    other.worker.start();
    const { service } = h.broadcasting;
    const id = await release(service);
    await finished(service, id);

    const sent = h.fake.sentMessages();
    expect(sent).toHaveLength(800);
    expect(new Set(sent.map((c) => String(c.params.chat_id))).size).toBe(800);
    expect(h.fake.stats().rateLimited).toBe(0);
    const owners = await h.broadcasting.models.outcomes.distinct('owner', { broadcastId: id });
    expect(owners.sort()).toEqual(['w1', 'w2']);
  });
});
