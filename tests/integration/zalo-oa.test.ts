import mongoose from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo, newMsgId, oaEvent, postOaWebhook } from '../support/fake-zalo.js';
import { ZaloOaChatDriver, waitProcessed } from '../support/zalo-drivers.js';
import { textOf } from '../support/chat-driver.js';
import { oaEventKey, parseOaEvent } from '../../src/channels/zalo/oa-events.js';

describe('Zalo OA channel', () => {
  let fake: FakeZalo;
  let env: Record<string, string>;
  let app: TestApp;
  const chat = (userId: string) => new ZaloOaChatDriver(fake, () => app, userId);
  const inbox = () => app.connection.collection<{ _id: string; status: string; outcome: string | null; errorCode: number | null; event: unknown }>('zalo_inbox');

  beforeAll(async () => {
    fake = await FakeZalo.start();
    env = { MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ...fake.env({ oa: true }) };
    app = await startTestApp(env);
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('answers a text through the inbox, with menu buttons, then a tap as its payload', async () => {
    const user = chat('1001');
    const start = await user.send('xin chào');
    expect(textOf(start)).toContain('Kính chào Ông/Bà');
    expect(start.flatMap((m) => m.buttons).some((b) => b.includes('Cảnh báo lừa đảo'))).toBe(true);
    expect(textOf(await user.tap('Cảnh báo lừa đảo'))).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    // The processed row keeps no message text.
    const rows = await inbox().find({ status: 'done' }).toArray();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.event === null)).toBe(true);
  });

  it('processes a repeated delivery once', async () => {
    const raw = JSON.stringify(oaEvent(fake.appId, { kind: 'text', userId: '1002', text: '/start', msgId: newMsgId() }));
    const first = await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake);
    expect(first.status).toBe(200);
    await waitProcessed(app, oaEventKey(parseOaEvent(JSON.parse(raw))!, raw));
    const sent = fake.messagesTo('1002').length;
    expect(sent).toBeGreaterThan(0);
    const again = await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake);
    expect(again).toEqual({ status: 200, body: { ok: true, duplicate: true } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fake.messagesTo('1002')).toHaveLength(sent);
  });

  it('refuses bad, missing and stale signatures without writing anything', async () => {
    const before = await inbox().countDocuments();
    const raw = JSON.stringify(oaEvent(fake.appId, { kind: 'text', userId: '1003', text: 'hi' }));
    expect((await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake, `mac=${'a'.repeat(64)}`)).status).toBe(401);
    expect((await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake, null)).status).toBe(401);
    const stale = JSON.stringify(oaEvent(fake.appId, { kind: 'text', userId: '1003', text: 'hi' }, Date.now() - 6 * 60_000));
    expect((await postOaWebhook(`${app.url}/webhooks/zalo`, stale, fake)).status).toBe(401);
    expect((await postOaWebhook(`${app.url}/webhooks/zalo`, 'not json', fake, 'mac=00')).status).toBe(400);
    // The OA's own echo is acknowledged and dropped.
    const echo = JSON.stringify(oaEvent(fake.appId, { kind: 'oa_echo', userId: '1003', text: 'hi' }));
    expect(await postOaWebhook(`${app.url}/webhooks/zalo`, echo, fake)).toEqual({ status: 200, body: { ok: true, ignored: true } });
    expect(await inbox().countDocuments()).toBe(before);
    expect(fake.attemptsTo('1003')).toHaveLength(0);
  });

  it('records -230 (outside the 7-day window) as a distinct failure, not a crash', async () => {
    fake.outsideWindow.add('1004');
    const raw = JSON.stringify(oaEvent(fake.appId, { kind: 'text', userId: '1004', text: '/start', msgId: newMsgId() }));
    expect((await postOaWebhook(`${app.url}/webhooks/zalo`, raw, fake)).status).toBe(200);
    const key = oaEventKey(parseOaEvent(JSON.parse(raw))!, raw);
    await waitProcessed(app, key);
    expect(await inbox().findOne({ _id: key })).toMatchObject({ status: 'done', outcome: 'outside_window', errorCode: -230 });
    expect(fake.attemptsTo('1004').map((c) => c.error)).toEqual([-230]);
    expect(app.logs.text()).toMatch(/"event":"zalo_send_refused","outcome":"outside_window","code":-230/);
    // A notification to that user reports failure instead of throwing.
    expect(await app.notifier.notify({ channel: 'zalo', chatId: '1004' }, { text: [{ key: 'engine.welcome' }] })).toBe(false);
    fake.outsideWindow.delete('1004');
  });

  it('backs off and retries when Zalo throttles (-32), and the reply still arrives', async () => {
    const user = chat('1017');
    await user.send('/start');
    fake.failNext(-32, 'rate limit', '1017');
    const reply = await user.send('menu');
    expect(textOf(reply)).toContain('Ông/Bà cần giúp việc gì?');
    expect(fake.attemptsTo('1017').some((c) => c.error === -32)).toBe(true);
  });

  it('refreshes an expired token mid-conversation and retries once', async () => {
    const user = chat('1005');
    await user.send('/start');
    const refreshesBefore = fake.refreshAttempts.filter((r) => r.ok).length;
    fake.expireAccessTokens();
    const reply = await user.send('menu');
    expect(textOf(reply)).toContain('Ông/Bà cần giúp việc gì?');
    expect(fake.refreshAttempts.filter((r) => r.ok).length).toBe(refreshesBefore + 1);
    expect(fake.attemptsTo('1005').some((c) => c.error === -216)).toBe(true);
    expect(fake.refreshAttempts.every((r) => r.ok)).toBe(true);
  });

  it('marks the chat user unsubscribed on unfollow, and subscribed again on follow', async () => {
    const user = chat('1006');
    await user.send('/start');
    const key = { channel: 'zalo' as const, chatId: '1006' };
    expect(await app.domain.chatUsers.isSubscribed(key)).toBe(true);
    await user.post({ kind: 'unfollow', userId: '1006' });
    expect(await app.domain.chatUsers.isSubscribed(key)).toBe(false);
    const welcome = await user.post({ kind: 'follow', userId: '1006' });
    expect(textOf(welcome)).toContain('Kính chào Ông/Bà');
    expect(await app.domain.chatUsers.isSubscribed(key)).toBe(true);
  });

  it('drains an acknowledged but unprocessed event after a restart', async () => {
    await app.stop();
    const raw = JSON.stringify(oaEvent(fake.appId, { kind: 'text', userId: '1007', text: '/start', msgId: newMsgId() }));
    const key = oaEventKey(parseOaEvent(JSON.parse(raw))!, raw);
    // What the webhook saved just before the instance died (200 already sent).
    const client = await mongoose.createConnection(env.MONGODB_URI!).asPromise();
    await client.collection<{ _id: string }>('zalo_inbox').insertOne({
      _id: key, channel: 'zalo', status: 'pending', event: JSON.parse(raw), attempts: 1, leaseOwner: 'dead-instance',
      leaseUntil: new Date(Date.now() - 1000), receivedAt: new Date(), doneAt: null, outcome: null, errorCode: null,
    } as never);
    await client.close();
    expect(fake.messagesTo('1007')).toHaveLength(0);
    app = await startTestApp(env);
    await waitProcessed(app, key);
    expect(textOf(fake.messagesTo('1007').map((m) => ({ text: String(m.text ?? ''), buttons: [], requestsContact: false })))).toContain('Kính chào Ông/Bà');
  });
});

describe('Zalo OA tokens shared by two instances', () => {
  it('refreshes once when both need a token at the same time; the spent refresh token is never reused', async () => {
    const fake = await FakeZalo.start({ refreshDelayMs: 150 });
    const env = { MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ...fake.env({ oa: true }) };
    const [a, b] = await Promise.all([startTestApp(env), startTestApp(env)]);
    try {
      const hello = { text: [{ key: 'engine.welcome' }] };
      const results = await Promise.all([
        a.notifier.notify({ channel: 'zalo', chatId: '2001' }, hello),
        b.notifier.notify({ channel: 'zalo', chatId: '2002' }, hello),
        a.notifier.notify({ channel: 'zalo', chatId: '2003' }, hello),
        b.notifier.notify({ channel: 'zalo', chatId: '2004' }, hello),
      ]);
      expect(results).toEqual([true, true, true, true]);
      expect(fake.refreshAttempts).toHaveLength(1);
      expect(fake.refreshAttempts[0]!.ok).toBe(true);
      // An expired token seen by both: still one refresh, with the new refresh token.
      fake.expireAccessTokens();
      const again = await Promise.all([a.notifier.notify({ channel: 'zalo', chatId: '2001' }, hello), b.notifier.notify({ channel: 'zalo', chatId: '2002' }, hello)]);
      expect(again).toEqual([true, true]);
      expect(fake.refreshAttempts.map((r) => r.ok)).toEqual([true, true]);
      expect(fake.refreshAttempts[1]!.token).not.toBe(fake.initialRefreshToken);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await fake.stop();
    }
  });
});
