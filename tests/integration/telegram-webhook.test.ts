import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../support/fake-telegram.js';
import { postWebhook, textUpdate, callbackUpdate } from '../support/telegram-updates.js';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { TelegramChatDriver, buttonsOf, textOf } from '../support/chat-driver.js';
import { conversationModel } from '../../src/db/models/conversation.js';

let fake: FakeTelegram;
let app: TestApp;
let mongoUri: string;

const env = () => ({
  MONGODB_URI: mongoUri,
  TELEGRAM_BOT_TOKEN: fake.token,
  TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
  TELEGRAM_API_ROOT: fake.apiRoot,
  TELEGRAM_MODE: 'webhook',
  PUBLIC_URL: 'https://bot.example.org',
  METRICS_TOKEN: 'metrics-token-0123456789',
});
const webhook = () => `${app.url}/webhooks/telegram`;
const chat = (id: number) => new TelegramChatDriver(fake, webhook, TEST_SECRET, id);

beforeAll(async () => {
  fake = await FakeTelegram.start();
  mongoUri = testMongoUri();
  app = await startTestApp(env());
});

afterAll(async () => {
  await app?.stop();
  await fake?.stop();
});

describe('Telegram webhook', () => {
  it('registers the webhook with its secret at start when PUBLIC_URL is set', () => {
    expect(fake.webhook()).toEqual({ url: 'https://bot.example.org/webhooks/telegram', secretToken: TEST_SECRET });
  });

  it('answers /start with the Vietnamese menu on an inline keyboard', async () => {
    const replies = await chat(1001).send('/start');
    expect(textOf(replies)).toContain('Kính chào Ông/Bà');
    expect(textOf(replies)).toContain('Ông/Bà cần giúp việc gì?');
    const last = fake.sentMessages(1001).at(-1)!;
    const keyboard = (last.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] }).inline_keyboard;
    const labels = keyboard.flat().map((b) => b.text);
    // One numbered button per row, so typing the number works like a tap.
    labels.forEach((label, i) => expect(label).toMatch(new RegExp(`^${i + 1}\\. `)));
    expect(labels.some((l) => l.endsWith('Cảnh báo lừa đảo'))).toBe(true);
    expect(labels.some((l) => l.endsWith('Ngôn ngữ / Cài đặt'))).toBe(true);
    expect(keyboard.every((row) => row.length === 1 && row[0]!.callback_data.length <= 64)).toBe(true);
  });

  it('advances the flow on a tap, answers the callback query, and maps a typed number to a tap', async () => {
    const user = chat(1002);
    await user.send('/start');
    const answered = fake.callsTo('answerCallbackQuery').length;
    const tips = await user.tap('Cảnh báo lừa đảo');
    expect(fake.callsTo('answerCallbackQuery').length).toBe(answered + 1);
    expect(textOf(tips)).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(buttonsOf(tips)).toContain('↩ Về menu chính');
    const typed = await user.send('3');
    expect(textOf(typed)).toContain('Hỏi mã OTP, mã PIN, mật khẩu, số thẻ');
    const byLabel = await user.send('duong link ung dung gia');
    expect(textOf(byLabel)).toContain('Đường link, ứng dụng giả mạo');
  });

  it('re-prompts politely with the options on unknown input, and understands global words', async () => {
    const user = chat(1003);
    await user.send('/start');
    const unknown = await user.send('abc xyz');
    expect(textOf(unknown)).toContain('Xin lỗi, tôi chưa hiểu');
    expect(buttonsOf(unknown).some((b) => b.endsWith('Cảnh báo lừa đảo'))).toBe(true);
    await user.tap('Cảnh báo lừa đảo');
    const help = await user.send('trợ giúp');
    expect(textOf(help)).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(textOf(help)).toContain('1900 9068');
    const cancelled = await user.send('huy');
    expect(textOf(cancelled)).toContain('Đã hủy');
    expect(textOf(cancelled)).toContain('Ông/Bà cần giúp việc gì?');
  });

  it('persists the English choice across an app restart on the same database', async () => {
    const user = chat(1004);
    await user.send('/start');
    await user.tap('Ngôn ngữ');
    const switched = await user.tap('English');
    expect(textOf(switched)).toContain('Switched to English.');
    expect(textOf(switched)).toContain('How can I help you?');
    await app.stop();
    app = await startTestApp(env());
    const after = await user.send('/start');
    expect(textOf(after)).toContain('Welcome!');
    expect(buttonsOf(after).some((b) => b.endsWith('Scam warnings'))).toBe(true);
    await user.send('tiếng việt');
  });

  it('refuses a missing or wrong secret with 401 and sends nothing', async () => {
    const before = fake.sentMessages().length;
    expect((await postWebhook(webhook(), textUpdate(1005, '/start'))).status).toBe(401);
    expect((await postWebhook(webhook(), textUpdate(1005, '/start'), 'wrong-secret-0123456789')).status).toBe(401);
    expect(fake.sentMessages().length).toBe(before);
  });

  it('answers malformed JSON and non-updates with 400 and keeps serving', async () => {
    const res = await fetch(webhook(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': TEST_SECRET },
      body: '{"update_id": 1, "message": ',
    });
    expect(res.status).toBe(400);
    expect((await postWebhook(webhook(), { hello: 'world' }, TEST_SECRET)).status).toBe(400);
    expect((await postWebhook(webhook(), [1, 2], TEST_SECRET)).status).toBe(400);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect(textOf(await chat(1006).send('/start'))).toContain('Ông/Bà cần giúp việc gì?');
  });

  it('processes a repeated update_id once', async () => {
    await chat(1007).send('/start');
    const update = callbackUpdate(1007, 'c:fraud-tips');
    const before = fake.sentMessages(1007).length;
    expect((await postWebhook(webhook(), update, TEST_SECRET)).status).toBe(200);
    const afterFirst = fake.sentMessages(1007).length;
    expect(afterFirst).toBeGreaterThan(before);
    expect((await postWebhook(webhook(), update, TEST_SECRET)).status).toBe(200);
    expect(fake.sentMessages(1007).length).toBe(afterFirst);
  });

  it('asks Telegram to retry a redelivery that arrives while the first delivery is still sending, and never sends twice', async () => {
    await chat(1011).send('/start');
    const update = callbackUpdate(1011, 'c:fraud-tips');
    const before = fake.sentMessages(1011).length;
    // The Bot API is slow: Telegram gives up waiting for our answer and delivers the update again.
    const release = fake.holdNext('sendMessage');
    const first = postWebhook(webhook(), update, TEST_SECRET);
    await expect.poll(async () => (await app.connection.collection('processed_inbound').findOne({ _id: `telegram:${update.update_id}` } as never))?.processingUntil).toBeInstanceOf(Date);
    const redelivery = await postWebhook(webhook(), update, TEST_SECRET);
    expect(redelivery.status).toBe(503);
    release();
    expect((await first).status).toBe(200);
    const sent = fake.sentMessages(1011).length - before;
    expect(sent).toBeGreaterThan(0);
    // Telegram's later retry finds it done: nothing is sent again.
    expect((await postWebhook(webhook(), update, TEST_SECRET)).status).toBe(200);
    expect(fake.sentMessages(1011).length - before).toBe(sent);
  });

  it('answers 5xx when a reply cannot be sent, and processes the redelivery instead of dropping it', async () => {
    const user = chat(1008);
    await user.send('/start');
    await user.tap('Cảnh báo lừa đảo');
    const update = textUpdate(1008, '3');
    fake.failNext('sendMessage', 1, { status: 500, description: 'Internal Server Error' });
    expect((await postWebhook(webhook(), update, TEST_SECRET)).status).toBe(500);
    const before = fake.sentMessages(1008).length;
    expect((await postWebhook(webhook(), update, TEST_SECRET)).status).toBe(200);
    const redelivered = fake.sentMessages(1008).slice(before).map((c) => String(c.params.text));
    // The step ran once: the redelivery replays its saved reply rather than treating "3" as a new answer.
    expect(redelivered.join('\n')).toContain('Hỏi mã OTP, mã PIN, mật khẩu, số thẻ');
    expect(redelivered.join('\n')).not.toContain('Xin lỗi, tôi chưa hiểu');
    const next = await user.send('1');
    expect(textOf(next)).toContain('Cuộc gọi, tin nhắn giả danh BHXH hoặc Công an');
  });

  it('restarts an idle conversation at the menu with a notice', async () => {
    const user = chat(1009);
    await user.send('/start');
    await user.tap('Cảnh báo lừa đảo');
    await conversationModel(app.connection).updateOne(
      { channel: 'telegram', chatId: '1009' },
      { $set: { lastActivityAt: new Date(Date.now() - 2 * 3600_000) } },
    );
    const replies = await user.send('xin chào');
    expect(textOf(replies)).toContain('lâu không hoạt động');
    expect(textOf(replies)).toContain('Ông/Bà cần giúp việc gì?');
  });

  it('politely restarts a conversation saved by an older version of its flow', async () => {
    const user = chat(1010);
    await user.send('/start');
    await user.tap('Cảnh báo lừa đảo');
    await conversationModel(app.connection).updateOne({ channel: 'telegram', chatId: '1010' }, { $set: { flowVersion: 0, step: 'gone' } });
    const replies = await user.send('2');
    expect(textOf(replies)).toContain('vừa được cập nhật');
    expect(textOf(replies)).toContain('Ông/Bà cần giúp việc gì?');
    // "2" was an answer to the old step: it must not be taken as the menu's second option.
    expect(textOf(replies)).not.toContain('Ông/Bà muốn dùng ngôn ngữ nào?');
  });

  it('exposes metrics only with the token', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toMatch(/bot_updates_total\{channel="telegram",outcome="handled"\} \d+/);
    expect(body).toContain('bot_step_duration_seconds_bucket');
  });

  it('reports readiness from the database', async () => {
    const res = await fetch(`${app.url}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });
});

describe('Telegram polling mode', () => {
  it('receives updates with getUpdates and replies through TELEGRAM_API_ROOT', async () => {
    const pollingFake = await FakeTelegram.start();
    const polling = await startTestApp({
      MONGODB_URI: testMongoUri(),
      TELEGRAM_BOT_TOKEN: pollingFake.token,
      TELEGRAM_API_ROOT: pollingFake.apiRoot,
      TELEGRAM_MODE: 'polling',
    });
    try {
      pollingFake.pushUpdate(textUpdate(2001, '/start'));
      const [welcome, menu] = await pollingFake.waitForCalls('sendMessage', 2, 10_000);
      expect(String(welcome!.params.text)).toContain('Kính chào Ông/Bà');
      expect(String(menu!.params.text)).toContain('Ông/Bà cần giúp việc gì?');
    } finally {
      await polling.stop();
      await pollingFake.stop();
    }
  });
});
