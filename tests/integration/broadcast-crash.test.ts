import type { ChildProcess } from 'node:child_process';
import { startReadyChild } from '../support/ready-child.js';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_BROADCAST_CONFIG, seedSubscribers, startBroadcastHarness, until, type BroadcastHarness } from '../support/broadcast-harness.js';

const AUTHOR = { keyId: 'author-key', role: 'broadcaster', province: null };
const ADMIN = { keyId: 'second-admin', role: 'admin', province: null };
const RATE = 400;

let h: BroadcastHarness | undefined;
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  children.length = 0;
  await h?.stop();
  h = undefined;
});

/** Starts a worker process on the harness's database; resolves once it is running. */
function startChild(harness: BroadcastHarness, id: string, rate = RATE): Promise<ChildProcess> {
  return startReadyChild(
    'tests/support/broadcast-child-worker.ts',
    {
      ...process.env,
      MONGODB_URI: harness.app.config.mongodbUri,
      TELEGRAM_API_ROOT: harness.fake.apiRoot,
      TELEGRAM_BOT_TOKEN: harness.fake.token,
      WORKER_ID: id,
      BROADCAST_CONFIG: JSON.stringify({ ...TEST_BROADCAST_CONFIG, limits: { telegram: { ratePerSecond: rate, perChatPerSecond: 1 } } }),
    },
    children,
  );
}

describe('broadcast worker crash', () => {
  it('SIGKILL mid-broadcast: after a restart every recipient is final, duplicates at most the sends in flight', { timeout: 90_000 }, async () => {
    h = await startBroadcastHarness({ fake: { globalRatePerSecond: RATE, perChatRatePerSecond: 1 } });
    const chats = await seedSubscribers(h.app, 5000);
    const { service } = h.broadcasting;
    const draft = await service.create({ title: 'crash', content: { vi: { text: 'Cảnh báo lừa đảo' } }, audience: {} }, AUTHOR);
    await service.submit(draft.id, AUTHOR);
    await service.approve(draft.id, ADMIN);

    const first = await startChild(h, 'child-1');
    await until(async () => h!.fake.sentMessages().length >= 1500, 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const inFlight = (await service.get(draft.id, null)).progress.counts.sending;
    const sentAtKill = h.fake.sentMessages().length;

    await startChild(h, 'child-2');
    // Polled as the console does (once a second): each look counts every delivery's state.
    await until(async () => (await service.get(draft.id, null)).status === 'done', 60_000, 1000);

    const view = await service.get(draft.id, null);
    expect(view.progress.counts.queued + view.progress.counts.sending).toBe(0);
    expect(view.progress.counts.sent).toBe(5000);
    const sent = h.fake.sentMessages().map((c) => String(c.params.chat_id));
    expect(new Set(sent)).toEqual(new Set(chats));
    const duplicates = sent.length - new Set(sent).size;
    console.log(`crash test: sent before kill ${sentAtKill}, in flight at kill ${inFlight}, duplicates ${duplicates}`);
    expect(duplicates).toBeLessThanOrEqual(inFlight);
    expect(h.fake.stats().rateLimited).toBe(0);
  });
  it('two worker processes share one broadcast without a crash: every recipient exactly once', { timeout: 90_000 }, async () => {
    h = await startBroadcastHarness({ fake: { globalRatePerSecond: RATE, perChatRatePerSecond: 1 } });
    const chats = await seedSubscribers(h.app, 3000);
    const { service, models } = h.broadcasting;
    const draft = await service.create({ title: 'two processes', content: { vi: { text: 'Cảnh báo lừa đảo' } }, audience: {} }, AUTHOR);
    await service.submit(draft.id, AUTHOR);
    await service.approve(draft.id, ADMIN);

    // Each instance paces itself: two share the platform's limit.
    await Promise.all([startChild(h, 'proc-1', RATE / 2), startChild(h, 'proc-2', RATE / 2)]);
    await until(async () => (await service.get(draft.id, null)).status === 'done', 60_000, 1000);

    const sent = h.fake.sentMessages().map((c) => String(c.params.chat_id));
    expect(sent).toHaveLength(3000);
    expect(new Set(sent)).toEqual(new Set(chats));
    expect((await service.get(draft.id, null)).progress.counts.sent).toBe(3000);
    // Both processes took part (otherwise this proves nothing about sharing).
    expect((await models.outcomes.distinct('owner', { broadcastId: draft.id })).sort()).toEqual(['proc-1', 'proc-2']);
    expect(h.fake.stats().rateLimited).toBe(0);
  });
});
