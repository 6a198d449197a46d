import type { ChildProcess } from 'node:child_process';
import { startReadyChild } from '../support/ready-child.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { createBroadcasting } from '../../src/broadcast/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo } from '../support/fake-zalo.js';
import { TEST_BROADCAST_CONFIG, until } from '../support/broadcast-harness.js';
import { TEST_PII_ENV } from '../support/keys.js';
import { oaChannelFor } from '../support/zalo-broadcast.js';

const AUTHOR = { keyId: 'author-key', role: 'broadcaster', province: null };
const ADMIN = { keyId: 'second-admin', role: 'admin', province: null };
const USERS = 1500;
const RATE = 100;

/**
 * kill -9 while template messages go out: the Zalo OA sender in a worker
 * process of its own, killed mid-broadcast, then a second one. Every person
 * gets the template, repeats stay within the sends in flight at the kill.
 */
describe('Zalo template broadcast, worker killed', () => {
  let fake: FakeZalo;
  let app: TestApp;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    fake = await FakeZalo.start();
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ...fake.env({ oa: true }) });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await app?.stop();
    await fake?.stop();
  });

  const startChild = (id: string): Promise<ChildProcess> =>
    startReadyChild(
      'tests/support/zalo-child-worker.ts',
      {
        ...process.env,
        ...TEST_PII_ENV,
        ...fake.env({ oa: true }),
        NODE_ENV: 'test',
        MONGODB_URI: app.config.mongodbUri,
        WORKER_ID: id,
        HOUR: '12',
        BROADCAST_CONFIG: JSON.stringify({ ...TEST_BROADCAST_CONFIG, leaseMs: 5000, limits: { zalo: { ratePerSecond: RATE, perChatPerSecond: 1 } } }),
      },
      children,
    );

  it('SIGKILL during template sends: after a restart everyone has the template, repeats at most the sends in flight', { timeout: 180_000 }, async () => {
    const users = Array.from({ length: USERS }, (_, i) => String(6_000_000 + i));
    const now = new Date();
    await chatUserModel(app.connection).insertMany(
      users.map((chatId) => ({ channel: 'zalo', chatId, platformUserId: chatId, locale: 'vi', subscribed: true, blocked: false, firstSeenAt: now, lastSeenAt: new Date(now.getTime() - 9 * 86_400_000), consents: [] })),
    );
    for (const u of users) fake.outsideWindow.add(u);
    fake.addTemplate('420001', { tieu_de: 65, noi_dung: 200, ngay: 20 });
    fake.dailyQuota = 10_000;
    const oa = await oaChannelFor(app, createLogger('warn'));
    await oa.templates.sync();
    await oa.notices.set('broadcast', '420001', { tieu_de: 'title', noi_dung: 'text', ngay: 'date' }, 'test-admin');
    // Written and approved here; only the child processes send.
    const { service, ready } = createBroadcasting({ connection: app.connection, domain: app.domain, logger: createLogger('warn'), config: TEST_BROADCAST_CONFIG, senders: [oa] });
    await ready;
    const draft = await service.create({ title: 'crash', content: { vi: { text: 'Cảnh báo: không ai từ BHXH xin mã OTP.' } }, audience: { platforms: ['zalo'] } }, AUTHOR);
    if ((await service.submit(draft.id, AUTHOR)).status === 'pending_approval') await service.approve(draft.id, ADMIN);

    const first = await startChild('zalo-child-1');
    await until(async () => fake.templateSends().length >= 500, 90_000, 100);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const inFlight = (await service.get(draft.id, null)).progress.counts.sending;
    const sentAtKill = fake.templateSends().length;

    await startChild('zalo-child-2');
    await until(async () => (await service.get(draft.id, null)).status === 'done', 120_000, 1000);

    const report = await service.report(draft.id, null);
    expect(report.counts).toMatchObject({ sent: USERS, queued: 0, sending: 0, failed: 0 });
    expect(report.sentByRoute).toEqual({ template_uid: USERS });
    const sent = fake.templateSends().map((c) => c.to!);
    expect(new Set(sent)).toEqual(new Set(users));
    const repeats = sent.length - new Set(sent).size;
    console.log(`zalo crash test: templates before kill ${sentAtKill}, in flight at kill ${inFlight}, repeated ${repeats}`);
    expect(repeats).toBeLessThanOrEqual(inFlight);
    // No consultation message got through to anyone beyond the window.
    expect(fake.calls.filter((c) => c.api === 'oa' && c.error === 0)).toEqual([]);
  });
});
