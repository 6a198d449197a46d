import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTelegram } from '../support/fake-telegram.js';
import { postWebhook, textUpdate, callbackUpdate } from '../support/telegram-updates.js';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { conversationModel } from '../../src/db/models/conversation.js';

let fake: FakeTelegram;
let apps: TestApp[];

beforeAll(async () => {
  fake = await FakeTelegram.start();
  const env = {
    MONGODB_URI: testMongoUri(),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
  };
  apps = [await startTestApp(env), await startTestApp(env)];
});

afterAll(async () => {
  await Promise.all(apps.map((a) => a.stop()));
  await fake.stop();
});

const post = (i: number, update: object) => postWebhook(`${apps[i % 2]!.url}/webhooks/telegram`, update, TEST_SECRET);
const texts = (chatId: number) => fake.sentMessages(chatId).map((c) => String(c.params.text));

describe('two app instances on one database', () => {
  it('keep one chat consistent when its updates alternate between them', async () => {
    const steps: object[] = [
      textUpdate(3001, '/start'),
      callbackUpdate(3001, 'c:fraud-tips'),
      textUpdate(3001, '1'),
      textUpdate(3001, '4'),
      callbackUpdate(3001, 'g:menu'),
      textUpdate(3001, 'ngôn ngữ'),
    ];
    for (const [i, update] of steps.entries()) expect((await post(i, update)).status).toBe(200);
    const all = texts(3001).join('\n=====\n');
    expect(all).toContain('Cuộc gọi, tin nhắn giả danh');
    expect(all).toContain('Dịch vụ "làm hộ"');
    expect(texts(3001).at(-1)).toBe('Ông/Bà muốn dùng ngôn ngữ nào?');
  });

  it('lose no update when both instances receive messages of one chat at the same moment', async () => {
    await post(0, textUpdate(3002, '/start'));
    const before = await conversationModel(apps[0]!.connection).findOne({ channel: 'telegram', chatId: '3002' }).lean();
    const burst = Array.from({ length: 12 }, (_, i) => post(i, textUpdate(3002, i % 2 ? 'trợ giúp' : 'abc')));
    const statuses = (await Promise.all(burst)).map((r) => r.status);
    expect(statuses).toEqual(Array(12).fill(200));
    const after = await conversationModel(apps[1]!.connection).findOne({ channel: 'telegram', chatId: '3002' }).lean();
    // One saved revision per update: none overwrote another.
    expect(after!.rev - before!.rev).toBe(12);
  });
});
