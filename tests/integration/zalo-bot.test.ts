import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo, botUpdate, postBotWebhook } from '../support/fake-zalo.js';
import { ZaloBotChatDriver } from '../support/zalo-drivers.js';
import { textOf } from '../support/chat-driver.js';

const SECRET = 'bot-secret-0123456789';

describe('Zalo Bot Platform channel', () => {
  let fake: FakeZalo;
  let app: TestApp;

  beforeAll(async () => {
    fake = await FakeZalo.start();
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', PUBLIC_URL: 'https://bot.example.vn', ...fake.env({ bot: true, botSecret: SECRET }) });
  });
  afterAll(async () => {
    await app.stop();
    await fake.stop();
  });

  it('registered its webhook with the secret at start', () => {
    const call = fake.calls.find((c) => c.api === 'bot' && c.path === '/bot/setWebhook');
    expect(call?.body).toEqual({ url: 'https://bot.example.vn/webhooks/zalo-bot', secret_token: SECRET });
  });

  it('answers with options as numbered lines, and a typed number picks one', async () => {
    const user = new ZaloBotChatDriver(fake, () => app, SECRET, 'bot-1');
    const start = await user.send('/start');
    expect(textOf(start)).toContain('Kính chào Ông/Bà');
    expect(textOf(start)).toMatch(/^\d\. .*Cảnh báo lừa đảo/m);
    expect(textOf(await user.tap('Cảnh báo lừa đảo'))).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(textOf(await user.tap('Về menu chính'))).toContain('Ông/Bà cần giúp việc gì?');
  });

  it('processes a repeated update once', async () => {
    const raw = JSON.stringify(botUpdate({ chatId: 'bot-2', text: '/start', messageId: 'dup-1' }));
    expect((await postBotWebhook(`${app.url}/webhooks/zalo-bot`, raw, SECRET)).status).toBe(200);
    const sent = fake.botMessagesTo('bot-2').length;
    expect(sent).toBeGreaterThan(0);
    expect((await postBotWebhook(`${app.url}/webhooks/zalo-bot`, raw, SECRET)).status).toBe(200);
    expect(fake.botMessagesTo('bot-2')).toHaveLength(sent);
  });

  it('refuses a wrong or missing secret (401) and a malformed body (400)', async () => {
    const raw = JSON.stringify(botUpdate({ chatId: 'bot-3', text: '/start' }));
    expect((await postBotWebhook(`${app.url}/webhooks/zalo-bot`, raw, 'bot-secret-0123456788')).status).toBe(401);
    expect((await postBotWebhook(`${app.url}/webhooks/zalo-bot`, raw, null)).status).toBe(401);
    expect((await postBotWebhook(`${app.url}/webhooks/zalo-bot`, '{"ok":tru', SECRET)).status).toBe(400);
    expect((await postBotWebhook(`${app.url}/webhooks/zalo-bot`, '{"ok":true,"result":{}}', SECRET)).status).toBe(400);
    expect(fake.botMessagesTo('bot-3')).toHaveLength(0);
  });
});
