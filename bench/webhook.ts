import express from 'express';
import { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import { FakeTelegram } from '../tests/support/fake-telegram.js';
import { callbackUpdate, textUpdate, postWebhook } from '../tests/support/telegram-updates.js';
import { loadConfig } from '../src/config.js';
import { startApp } from '../src/app.js';
import { createLogger } from '../src/logger.js';
import { benchDatabase, commandCounter, fmt, printTable, throughput } from './harness.js';
import { withDatabase } from '../tests/support/db.js';
import { TEST_PII_ENV } from '../tests/support/keys.js';

const SECRET = 'bench-secret-0123456789';
const TOTAL = Number(process.env.BENCH_WEBHOOK_UPDATES ?? 3000);
const CHATS = Number(process.env.BENCH_WEBHOOK_CHATS ?? 50);
/** New chats to add after the main run, timing each quarter: how throughput holds as data grows (0 skips it). */
const GROWTH = Number(process.env.BENCH_WEBHOOK_GROWTH ?? 0);

/** A realistic mix per chat: start, open a feature by tap, typed answers, back to the menu. */
function updateFor(job: number, lane: number): Update {
  const chatId = 500_000 + lane;
  switch (job % 5) {
    case 0: return textUpdate(chatId, '/start');
    case 1: return callbackUpdate(chatId, 'c:fraud-tips');
    case 2: return textUpdate(chatId, '1');
    case 3: return textUpdate(chatId, 'lừa đảo qua đường link');
    default: return callbackUpdate(chatId, 'g:menu');
  }
}

/** The baseline: telegraf alone, echoing each update to the same fake API over the same HTTP path. */
async function startEchoBot(fake: FakeTelegram): Promise<{ url: string; stop(): Promise<void> }> {
  const bot = new Telegraf(fake.token, { telegram: { apiRoot: fake.apiRoot, webhookReply: false } });
  bot.on('message', (ctx) => ctx.reply('text' in ctx.message ? ctx.message.text : 'ok').then(() => undefined));
  bot.on('callback_query', async (ctx) => {
    await ctx.answerCbQuery();
    await ctx.reply('ok');
  });
  const app = express();
  app.post('/webhooks/telegram', express.json(), async (req, res) => {
    await bot.handleUpdate(req.body as Update);
    res.json({ ok: true });
  });
  const server = await new Promise<import('node:http').Server>((resolve) => {
    const s = app.listen(0, () => resolve(s));
  });
  const port = (server.address() as import('node:net').AddressInfo).port;
  return { url: `http://127.0.0.1:${port}/webhooks/telegram`, stop: () => new Promise((r) => server.close(() => r())) };
}

export async function benchWebhook(): Promise<{ full: number; bare: number; ratio: number; perUpdate: number }> {
  const db = await benchDatabase();
  const fake = await FakeTelegram.start();
  const config = loadConfig({
    MONGODB_URI: withDatabase(db.uri, 'bench_webhook'),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    NODE_ENV: 'test',
    ...TEST_PII_ENV,
  });
  const app = await startApp(config, { logger: createLogger(process.env.BENCH_LOG_LEVEL === 'error' ? 'error' : 'silent'), port: 0 });
  const echo = await startEchoBot(fake);
  try {
    const warm = (url: string) => throughput(200, 10, async (job, lane) => void (await postWebhook(url, updateFor(job, lane + 900), SECRET)));
    await warm(`${app.url}/webhooks/telegram`);
    await warm(echo.url);

    // A 5xx is resent as Telegram would (FerretDB's SQLite answers "database is locked" to some concurrent writes); counted and shown.
    let retried = 0;
    const post = (url: string) => async (job: number, lane: number) => {
      const update = updateFor(job, lane);
      for (let attempt = 0; ; attempt++) {
        const res = await postWebhook(url, update, SECRET);
        if (res.status === 200) return;
        if (res.status < 500 || attempt >= 10) throw new Error(`webhook answered ${res.status} ${attempt + 1} times`);
        retried++;
        await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
      }
    };
    const bare = await throughput(TOTAL, CHATS, post(echo.url));
    const commands = commandCounter(app.connection);
    const full = await throughput(TOTAL, CHATS, post(`${app.url}/webhooks/telegram`));
    const perUpdate = commands.count() / TOTAL;
    const ratio = full / bare;
    const growth: [string, string][] = [];
    let known = CHATS;
    for (let step = 0; GROWTH > 0 && step < 4; step++) {
      // First contacts from chats never seen: each adds a chat user, a conversation and its lease links.
      const n = Math.ceil(GROWTH / 4);
      const first = 1_000_000 + known;
      // Ten at a time: on FerretDB a first contact slows with every chat, and fifty waiting ones would pass the 25 s handler timeout.
      const rate = await throughput(n, Math.min(CHATS, 10), async (job) => {
        const update = textUpdate(first + job, '/start');
        for (let attempt = 0; ; attempt++) {
          const res = await postWebhook(`${app.url}/webhooks/telegram`, update, SECRET);
          if (res.status === 200) return;
          if (res.status < 500 || attempt >= 10) throw new Error(`webhook answered ${res.status} ${attempt + 1} times`);
          retried++;
          await new Promise((r) => setTimeout(r, Math.min(50 * 2 ** attempt, 2000)));
        }
      });
      known += n;
      growth.push([`first contacts, chats ${known - n}→${known}`, `${fmt(rate)} updates/s`]);
    }
    printTable(`bench/webhook — ${TOTAL} updates from ${CHATS} concurrent chats (database: ${db.label})`, [
      ['full path (webhook → engine → MongoDB → fake API)', `${fmt(full)} updates/s`],
      ['baseline (bare telegraf echo bot, same fake API)', `${fmt(bare)} updates/s`],
      ['ratio full / baseline', fmt(ratio, 3)],
      ['database commands per update (all instances of the app, jobs included)', fmt(perUpdate, 1)],
      ['updates answered 5xx and resent (as the platform would)', String(retried)],
      ...growth,
    ]);
    return { full, bare, ratio, perUpdate };
  } finally {
    await echo.stop();
    await app.stop();
    await fake.stop();
    await db.stop();
  }
}
