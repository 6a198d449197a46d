import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Markup, Telegraf, Telegram, TelegramError } from 'telegraf';
import { FakeTelegram, isUploadedFile, type FakeTelegramOptions } from '../support/fake-telegram.js';
import { callbackUpdate, contactUpdate, photoUpdate, postWebhook, textUpdate } from '../support/telegram-updates.js';

const CHAT_A = 5128843091;
const CHAT_B = 6034417725;

let fake: FakeTelegram | undefined;
const cleanups: Array<() => Promise<void> | void> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
  await fake?.stop();
  fake = undefined;
});

async function start(opts?: FakeTelegramOptions): Promise<{ fake: FakeTelegram; tg: Telegram }> {
  fake = await FakeTelegram.start(opts);
  return { fake, tg: new Telegram(fake.token, { apiRoot: fake.apiRoot }) };
}

/** Awaits a promise that must reject with a TelegramError and returns that error. */
async function telegramError(promise: Promise<unknown>): Promise<TelegramError> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(TelegramError);
    return err as TelegramError;
  }
  throw new Error('expected the Telegram call to fail');
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('FakeTelegram via the real telegraf client', () => {
  it('answers getMe with the bot user derived from the token', async () => {
    const { tg } = await start();
    const me = await tg.getMe();
    expect(me).toMatchObject({ id: 123456, is_bot: true, username: 'luong_huu_test_bot' });
  });

  it('round-trips sendMessage with an inline keyboard and records it', async () => {
    const { fake, tg } = await start();
    const keyboard = Markup.inlineKeyboard([
      [Markup.button.callback('Có', 'cashless:yes'), Markup.button.callback('Để sau', 'cashless:later')],
    ]);
    const first = await tg.sendMessage(CHAT_A, 'Bác muốn nhận lương hưu qua ngân hàng không ạ?', keyboard);
    const second = await tg.sendMessage(CHAT_A, 'Tin thứ hai');

    expect(first.message_id).toBeGreaterThan(0);
    expect(second.message_id).toBe(first.message_id + 1);
    expect(first.chat).toMatchObject({ id: CHAT_A, type: 'private' });
    expect(first.text).toBe('Bác muốn nhận lương hưu qua ngân hàng không ạ?');
    expect(typeof first.date).toBe('number');
    expect(first.reply_markup).toEqual(keyboard.reply_markup);
    expect(second.reply_markup).toBeUndefined();

    const [call] = fake.callsTo('sendMessage');
    expect(call).toMatchObject({ method: 'sendMessage', token: fake.token, status: 200 });
    expect(call?.params).toMatchObject({ chat_id: CHAT_A, reply_markup: keyboard.reply_markup });
    expect(fake.sentMessages(CHAT_A)).toHaveLength(2);
    expect(fake.sentMessages(CHAT_B)).toHaveLength(0);
  });

  it('answers 401 Unauthorized to a wrong token and records the attempt', async () => {
    const { fake } = await start();
    const wrong = new Telegram('999:WRONG-TOKEN', { apiRoot: fake.apiRoot });
    const err = await telegramError(wrong.getMe());
    expect(err.code).toBe(401);
    expect(err.description).toBe('Unauthorized');
    expect(fake.calls).toEqual([expect.objectContaining({ method: 'getMe', token: '999:WRONG-TOKEN', status: 401 })]);
  });

  it('enforces the per-chat rate: a second message to one chat within 1 s gets 429 retry_after', async () => {
    const { fake, tg } = await start({ perChatRatePerSecond: 1 });
    await tg.sendMessage(CHAT_A, 'một');
    const err = await telegramError(tg.sendMessage(CHAT_A, 'hai'));
    expect(err.code).toBe(429);
    expect(err.description).toBe('Too Many Requests: retry after 1');
    expect(err.parameters?.retry_after).toBe(1);

    // another chat is unaffected
    await expect(tg.sendMessage(CHAT_B, 'chat khác')).resolves.toMatchObject({ chat: { id: CHAT_B } });
    expect(fake.stats()).toEqual({ rateLimited: 1, blocked: 0 });

    // after waiting retry_after the chat accepts messages again
    await sleep(1050);
    await expect(tg.sendMessage(CHAT_A, 'hai, lần nữa')).resolves.toMatchObject({ text: 'hai, lần nữa' });
    expect(fake.sentMessages(CHAT_A).map((c) => c.params.text)).toEqual(['một', 'hai, lần nữa']);
  });

  it('enforces the global rate over a sliding 1 s window', async () => {
    const { fake, tg } = await start({ globalRatePerSecond: 3 });
    for (let i = 0; i < 3; i++) await tg.sendMessage(1000 + i, `tin ${i}`);
    const err = await telegramError(tg.sendMessage(2000, 'tin 4'));
    expect(err.code).toBe(429);
    expect(err.parameters?.retry_after).toBeGreaterThanOrEqual(1);
    expect(fake.sentMessages()).toHaveLength(3);
    expect(fake.callsTo('sendMessage').map((c) => c.status)).toEqual([200, 200, 200, 429]);
  });

  it('answers 403 for blocked chats, configured up front or at run time', async () => {
    const { fake, tg } = await start({ blockedChatIds: [CHAT_A] });
    const err = await telegramError(tg.sendMessage(CHAT_A, 'xin chào'));
    expect(err.code).toBe(403);
    expect(err.description).toBe('Forbidden: bot was blocked by the user');

    await tg.sendMessage(CHAT_B, 'xin chào');
    fake.blockChat(String(CHAT_B));
    expect((await telegramError(tg.sendChatAction(CHAT_B, 'typing'))).code).toBe(403);
    expect(fake.stats()).toEqual({ rateLimited: 0, blocked: 2 });
    expect(fake.sentMessages()).toHaveLength(1);
  });

  it('failNext injects the given errors, then recovers', async () => {
    const { fake, tg } = await start();
    fake.failNext('sendMessage', 2, { status: 429, description: 'Too Many Requests: retry after 3', retryAfter: 3 });
    fake.failNext('getMe', 1, { status: 502, description: 'Bad Gateway' });

    for (let i = 0; i < 2; i++) {
      const err = await telegramError(tg.sendMessage(CHAT_A, 'thử'));
      expect(err.code).toBe(429);
      expect(err.parameters?.retry_after).toBe(3);
    }
    await expect(tg.sendMessage(CHAT_A, 'thử')).resolves.toMatchObject({ text: 'thử' });
    expect((await telegramError(tg.getMe())).code).toBe(502);
    await expect(tg.getMe()).resolves.toMatchObject({ is_bot: true });
    expect(fake.callsTo('sendMessage').map((c) => c.status)).toEqual([429, 429, 200]);
  });

  it('randomRetryAfter answers 429 and keeps refusing until retry_after elapses; reset clears it', async () => {
    const { fake, tg } = await start({ random: () => 0 });
    fake.randomRetryAfter(0.5, 2);
    const first = await telegramError(tg.sendMessage(CHAT_A, 'a'));
    expect(first.parameters?.retry_after).toBe(2);
    fake.randomRetryAfter(0, 0);
    const retriedTooSoon = await telegramError(tg.sendMessage(CHAT_A, 'a'));
    expect(retriedTooSoon.code).toBe(429);
    expect(fake.stats().rateLimited).toBe(2);

    fake.reset();
    expect(fake.calls).toEqual([]);
    await expect(tg.sendMessage(CHAT_A, 'a')).resolves.toMatchObject({ text: 'a' });
  });

  it('validates text like Telegram: empty, too long, HTML and MarkdownV2 entities', async () => {
    const { fake, tg } = await start();
    expect((await telegramError(tg.sendMessage(CHAT_A, '   '))).description).toBe('Bad Request: message text is empty');
    expect((await telegramError(tg.sendMessage(CHAT_A, 'ơ'.repeat(4097)))).description).toBe('Bad Request: message is too long');
    await expect(tg.sendMessage(CHAT_A, 'ơ'.repeat(4096))).resolves.toBeDefined();

    // HTML markup does not count towards the limit; the returned text is the parsed plain text
    const html = await tg.sendMessage(CHAT_A, `<b>${'a'.repeat(4096)}</b>`, { parse_mode: 'HTML' });
    expect(html.text).toHaveLength(4096);
    const unclosed = await telegramError(tg.sendMessage(CHAT_A, '<b>Lương hưu', { parse_mode: 'HTML' }));
    expect(unclosed.description).toMatch(/^Bad Request: can't parse entities: /);
    const raw = await telegramError(tg.sendMessage(CHAT_A, 'Số tiền < 5 triệu', { parse_mode: 'HTML' }));
    expect(raw.code).toBe(400);
    await expect(tg.sendMessage(CHAT_A, 'Số tiền &lt; 5 triệu', { parse_mode: 'HTML' })).resolves.toMatchObject({
      text: 'Số tiền < 5 triệu',
    });

    const md = await telegramError(tg.sendMessage(CHAT_A, 'Lương về ngày 5.', { parse_mode: 'MarkdownV2' }));
    expect(md.description).toContain("Character '.' is reserved");
    await expect(tg.sendMessage(CHAT_A, '*Lương* về ngày 5\\.', { parse_mode: 'MarkdownV2' })).resolves.toBeDefined();

    const missingChat = await fetch(`${fake.apiRoot}/bot${fake.token}/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'không có chat_id' }),
    });
    expect(missingChat.status).toBe(400);
    expect(await missingChat.json()).toEqual({ ok: false, error_code: 400, description: 'Bad Request: chat_id is empty' });
  });

  it('rejects callback_data over 64 bytes (counted in UTF-8) with BUTTON_DATA_INVALID', async () => {
    const { fake, tg } = await start();
    const ascii65 = Markup.inlineKeyboard([Markup.button.callback('Quá dài', 'x'.repeat(65))]);
    const err = await telegramError(tg.sendMessage(CHAT_A, 'chọn', ascii65));
    expect(err.code).toBe(400);
    expect(err.description).toBe('Bad Request: BUTTON_DATA_INVALID');

    // 60 characters but 80 bytes: Vietnamese diacritics are multi-byte in UTF-8
    const vietnamese = 'ủy_quyền:nhận_lương_hưu:xác_nhận_đăng_ký_tài_khoản_ngân_hàng';
    expect(vietnamese.length).toBeLessThanOrEqual(64);
    expect(Buffer.byteLength(vietnamese)).toBeGreaterThan(64);
    const err2 = await telegramError(tg.sendMessage(CHAT_A, 'chọn', Markup.inlineKeyboard([Markup.button.callback('OK', vietnamese)])));
    expect(err2.description).toBe('Bad Request: BUTTON_DATA_INVALID');

    await expect(
      tg.sendMessage(CHAT_A, 'chọn', Markup.inlineKeyboard([Markup.button.callback('OK', 'y'.repeat(64))])),
    ).resolves.toBeDefined();
    expect(fake.sentMessages()).toHaveLength(1);
  });

  it('getUpdates long-polls: resolves early when an update is pushed, and honours offset and limit', async () => {
    // The cap is far beyond the test timeout: only an early wake-up lets this test finish.
    const { fake, tg } = await start({ longPollCapMs: 120_000 });
    const polling = tg.getUpdates(60, 100, 0, undefined);
    await sleep(50);
    const update = textUpdate(CHAT_A, 'Xin chào');
    fake.pushUpdate(update);
    const got = await polling;
    expect(got).toEqual([update]);

    // not yet confirmed: the same update comes again with offset 0
    expect(await tg.getUpdates(0, 100, 0, undefined)).toEqual([update]);
    // confirming with offset = update_id + 1 forgets it
    expect(await tg.getUpdates(0, 100, update.update_id + 1, undefined)).toEqual([]);
    expect(await tg.getUpdates(0, 100, 0, undefined)).toEqual([]);

    const u2 = textUpdate(CHAT_A, 'hai');
    const u3 = textUpdate(CHAT_A, 'ba');
    fake.pushUpdate(u2);
    fake.pushUpdate(u3);
    expect(await tg.getUpdates(0, 1, 0, undefined)).toEqual([u2]);
    expect(await tg.getUpdates(0, 1, u2.update_id + 1, undefined)).toEqual([u3]);
  });

  it('getUpdates without updates returns [] after the capped wait', async () => {
    // Asked to wait 60 s, longer than the test timeout: only the fake's cap lets this finish.
    const { tg } = await start({ longPollCapMs: 200 });
    expect(await tg.getUpdates(60, 100, 0, undefined)).toEqual([]);
  });

  it('answers 404 to unknown methods (plain fetch) and records them', async () => {
    const { fake } = await start();
    const res = await fetch(`${fake.apiRoot}/bot${fake.token}/sendDice`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'chat_id=42&emoji=%F0%9F%8E%B2',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ ok: false, error_code: 404, description: 'Not Found: method not found' });
    expect(fake.callsTo('sendDice')).toEqual([
      expect.objectContaining({ status: 404, params: { chat_id: 42, emoji: '🎲' } }),
    ]);
  });

  it('accepts a multipart photo upload, then getFile and the file download', async () => {
    const { fake, tg } = await start();
    const sent = await tg.sendPhoto(CHAT_A, { source: Buffer.from('not really a jpeg'), filename: 'bien-lai.jpg' }, { caption: 'Biên lai' });
    expect(sent.photo.length).toBeGreaterThan(0);
    expect(sent.caption).toBe('Biên lai');

    const [call] = fake.callsTo('sendPhoto');
    expect(call?.status).toBe(200);
    expect(call?.params.chat_id).toBe(CHAT_A);
    expect(call?.params.caption).toBe('Biên lai');
    expect(isUploadedFile(call?.params.photo)).toBe(true);
    expect(call?.params.photo).toMatchObject({ filename: 'bien-lai.jpg', size: 17 });
    expect(fake.sentMessages(CHAT_A)).toHaveLength(1);

    const largest = sent.photo[sent.photo.length - 1];
    const link = await tg.getFileLink(largest?.file_id ?? '');
    expect(link.pathname).toMatch(/^\/file\/bot123456:TEST-TOKEN\/photos\/file_\d+\.jpg$/);
    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBeGreaterThan(0);

    const tooLong = await telegramError(tg.sendPhoto(CHAT_A, 'AgACAgUAAxkBAAIE', { caption: 'c'.repeat(1025) }));
    expect(tooLong.description).toBe('Bad Request: message caption is too long');
  });

  it('stores webhooks like Telegram: HTTPS only, secret token charset, getUpdates conflict', async () => {
    const { fake, tg } = await start();
    expect(fake.webhook()).toBeUndefined();
    expect((await telegramError(tg.setWebhook('http://bot.example.vn/tg'))).description).toBe(
      'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
    );
    expect((await telegramError(tg.setWebhook('https://bot.example.vn/tg', { secret_token: 'has:colon' }))).description).toBe(
      'Bad Request: secret token contains unallowed characters',
    );

    fake.pushUpdate(textUpdate(CHAT_A, 'đang chờ'));
    await tg.setWebhook('https://bot.example.vn/tg', { secret_token: 's3cret_TOKEN-1', allowed_updates: ['message', 'callback_query'] });
    expect(fake.webhook()).toEqual({ url: 'https://bot.example.vn/tg', secretToken: 's3cret_TOKEN-1' });
    expect(await tg.getWebhookInfo()).toMatchObject({
      url: 'https://bot.example.vn/tg',
      has_custom_certificate: false,
      pending_update_count: 1,
      allowed_updates: ['message', 'callback_query'],
    });
    expect((await telegramError(tg.getUpdates(0, 100, 0, undefined))).code).toBe(409);

    await tg.deleteWebhook({ drop_pending_updates: true });
    expect(fake.webhook()).toBeUndefined();
    expect(await tg.getWebhookInfo()).toMatchObject({ url: '', pending_update_count: 0 });
  });

  it('edits, answers callback queries and deletes with Telegram semantics', async () => {
    const { fake, tg } = await start();
    const kb = Markup.inlineKeyboard([Markup.button.callback('Có', 'yes')]);
    const msg = await tg.sendMessage(CHAT_A, 'Câu hỏi', kb);

    const edited = await tg.editMessageText(CHAT_A, msg.message_id, undefined, 'Câu hỏi (đã trả lời)');
    expect(edited).toMatchObject({ message_id: msg.message_id, text: 'Câu hỏi (đã trả lời)' });
    const same = await telegramError(tg.editMessageText(CHAT_A, msg.message_id, undefined, 'Câu hỏi (đã trả lời)'));
    expect(same.description).toMatch(/^Bad Request: message is not modified/);
    await expect(tg.editMessageReplyMarkup(CHAT_A, msg.message_id, undefined, kb.reply_markup)).resolves.toMatchObject({
      reply_markup: kb.reply_markup,
    });

    await expect(tg.answerCbQuery('4387512230000007919', 'Đã ghi nhận')).resolves.toBe(true);
    expect((await telegramError(tg.answerCbQuery('4387512230000007919'))).description).toMatch(/query is too old/);

    await expect(tg.deleteMessage(CHAT_A, msg.message_id)).resolves.toBe(true);
    expect((await telegramError(tg.deleteMessage(CHAT_A, msg.message_id))).description).toBe(
      'Bad Request: message to delete not found',
    );
    expect((await telegramError(tg.editMessageText(CHAT_A, msg.message_id, undefined, 'muộn'))).description).toBe(
      'Bad Request: message to edit not found',
    );

    await expect(tg.setMyCommands([{ command: 'start', description: 'Bắt đầu' }])).resolves.toBe(true);
    expect(await tg.getMyCommands()).toEqual([{ command: 'start', description: 'Bắt đầu' }]);
    expect((await telegramError(tg.setMyCommands([{ command: 'Start!', description: 'x' }]))).description).toBe(
      'Bad Request: BOT_COMMAND_INVALID',
    );
    expect(fake.callsTo('answerCallbackQuery').map((c) => c.status)).toEqual([200, 400]);
  });

  it('waitForCalls resolves on the n-th success and times out listing the recorded calls', async () => {
    const { fake, tg } = await start({ blockedChatIds: [CHAT_B] });
    const waiting = fake.waitForCalls('sendMessage', 2, 2000);
    await tg.sendMessage(CHAT_A, 'một');
    await telegramError(tg.sendMessage(CHAT_B, 'bị chặn'));
    await tg.sendMessage(CHAT_A, 'hai');
    expect((await waiting).map((c) => c.params.text)).toEqual(['một', 'hai']);

    const timeout = fake.waitForCalls('sendPhoto', 1, 100);
    await expect(timeout).rejects.toThrow(/timed out after 100 ms waiting for 1 successful sendPhoto/);
    await expect(fake.waitForCalls('sendPhoto', 1, 50)).rejects.toThrow(/sendMessage → 403 chat_id=6034417725 text="bị chặn"/);
  });
});

describe('a real Telegraf bot against FakeTelegram', () => {
  it('polling: receives a pushed /start and replies', async () => {
    const { fake } = await start();
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot } });
    bot.start((ctx) => ctx.reply(`Chào bác ${ctx.from.first_name}`));
    const running = bot.launch();
    cleanups.push(async () => {
      bot.stop('test end');
      await running;
    });

    fake.pushUpdate(textUpdate(CHAT_A, '/start', { firstName: 'Hùng' }));
    const [reply] = await fake.waitForCalls('sendMessage', 1, 3000);
    expect(reply?.params).toMatchObject({ chat_id: CHAT_A, text: 'Chào bác Hùng' });
    expect(fake.callsTo('getMe')).toHaveLength(1);
    expect(fake.callsTo('deleteWebhook')).toHaveLength(1);
  });

  it('webhook: postWebhook delivers updates with the secret header; a wrong secret is refused', async () => {
    const { fake } = await start();
    const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot, webhookReply: false } });
    bot.on('callback_query', async (ctx) => {
      await ctx.answerCbQuery();
      await ctx.reply(`Bạn chọn: ${'data' in ctx.callbackQuery ? ctx.callbackQuery.data : '?'}`);
    });
    bot.on('contact', (ctx) => ctx.reply(ctx.message.contact.user_id === ctx.from.id ? 'số của bác' : 'số người khác'));
    const server: Server = createServer(bot.webhookCallback('/tg', { secretToken: 'hook_secret' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tg`;

    const refused = await postWebhook(url, callbackUpdate(CHAT_A, 'cashless:yes'), 'wrong');
    expect(refused.status).toBe(403);
    expect(fake.calls).toHaveLength(0);

    const accepted = await postWebhook(url, callbackUpdate(CHAT_A, 'cashless:yes'), 'hook_secret');
    expect(accepted.status).toBe(200);
    await postWebhook(url, contactUpdate(CHAT_A, '84912345678'), 'hook_secret');
    await postWebhook(url, contactUpdate(CHAT_A, '84987654321', { contactUserId: 777 }), 'hook_secret');
    const replies = await fake.waitForCalls('sendMessage', 3);
    expect(replies.map((c) => c.params.text)).toEqual(['Bạn chọn: cashless:yes', 'số của bác', 'số người khác']);
    expect(fake.callsTo('answerCallbackQuery')).toHaveLength(1);
  });
});

describe('update builders', () => {
  const fixture = (name: string): Record<string, unknown> =>
    JSON.parse(readFileSync(new URL(`../support/fixtures/telegram/${name}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;

  /** Key paths of a JSON value, array indices collapsed, e.g. "message.entities[].type". */
  const keyPaths = (value: unknown, prefix = ''): string[] => {
    if (Array.isArray(value)) return value.flatMap((v) => keyPaths(v, `${prefix}[]`));
    if (typeof value !== 'object' || value === null) return [];
    return Object.entries(value).flatMap(([k, v]) => {
      const path = prefix ? `${prefix}.${k}` : k;
      return [path, ...keyPaths(v, path)];
    });
  };
  const sameShape = (built: object, real: Record<string, unknown>, optional: RegExp[] = []): void => {
    const builtPaths = new Set(keyPaths(built));
    const realPaths = new Set(keyPaths(real));
    expect([...builtPaths].filter((p) => !realPaths.has(p))).toEqual([]);
    expect([...realPaths].filter((p) => !builtPaths.has(p) && !optional.some((o) => o.test(p)))).toEqual([]);
  };
  const user = { userId: 5128843091, firstName: 'Hùng', lastName: 'Trần Văn', username: 'tranvanhung58' };

  it('produce the same shapes as real payloads', () => {
    sameShape(textUpdate(CHAT_A, 'Tháng này lương hưu đã về chưa con?', user), fixture('message_text'));
    sameShape(textUpdate(CHAT_A, '/start', user), fixture('command_start'));
    sameShape(callbackUpdate(CHAT_A, 'cashless:yes', user), fixture('callback_query'));
    sameShape(contactUpdate(CHAT_A, '84912345678', user), fixture('contact'), [/reply_to_message/]);
    sameShape(photoUpdate(CHAT_A, 'AgACAgUAAxkBAAIE', 'Tin nhắn lạ', user), fixture('photo'));
  });

  it('fill in realistic details', () => {
    const a = textUpdate(CHAT_A, '/start ref_zalo');
    const b = textUpdate(CHAT_A, 'không phải lệnh /start');
    expect(b.update_id).toBe(a.update_id + 1);
    expect(a.message.entities).toEqual([{ offset: 0, length: 6, type: 'bot_command' }]);
    expect(b.message.entities).toBeUndefined();
    expect(a.message.from.language_code).toBe('vi');
    expect(a.message.from.id).toBe(CHAT_A);
    expect(textUpdate(CHAT_A, 'hi', { languageCode: 'en' }).message.from.language_code).toBe('en');

    const cb = callbackUpdate(CHAT_A, 'menu:status');
    expect(cb.callback_query.message).toMatchObject({ from: { is_bot: true }, chat: { id: CHAT_A } });
    expect(cb.callback_query.data).toBe('menu:status');

    expect(contactUpdate(CHAT_A, '+84912345678').message.contact.user_id).toBe(CHAT_A);
    expect(contactUpdate(CHAT_A, '+84912345678', { contactUserId: null }).message.contact.user_id).toBeUndefined();
    const photo = photoUpdate(CHAT_A, 'FILE-1');
    expect(photo.message.photo.at(-1)?.file_id).toBe('FILE-1');
    expect(photo.message.caption).toBeUndefined();

    const group = textUpdate(-1001234567890, 'chào cả nhà');
    expect(group.message.chat.type).toBe('supergroup');
    expect(group.message.from.id).not.toBe(-1001234567890);
  });
});
