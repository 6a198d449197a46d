import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger } from '../../src/logger.js';
import { ADMIN_BASE_PATH, createAdminRouter } from '../../src/http/admin/admin-router.js';
import { broadcastsAdminRoutes } from '../../src/http/admin/broadcasts-routes.js';
import { chatUserModel } from '../../src/db/models/chat-user.js';
import { createBroadcasting, type BroadcastConfig, type Broadcasting } from '../../src/broadcast/index.js';
import { CHANNEL_MODULES } from '../../src/channels/registry.js';
import { FakeTelegram, type FakeTelegramOptions } from './fake-telegram.js';
import { startTestApp, TEST_SECRET, type TestApp } from './app.js';
import { testMongoUri } from './db.js';
import { TEST_ADMIN_KEY } from './keys.js';
import { adminCall, createStaffKey, requireJson } from './admin-api.js';
import { waitFor } from './wait.js';

export const BROADCAST_ADMIN_KEY = TEST_ADMIN_KEY;

/** Fast defaults for tests: short polls and leases, 200/s (the fake enforces the same). */
export const TEST_BROADCAST_CONFIG: Partial<BroadcastConfig> = {
  limits: { telegram: { ratePerSecond: 200, perChatPerSecond: 1 } },
  quietHours: null,
  pollMs: 100,
  leaseMs: 3000,
  retryBaseMs: 20,
  batchSize: 50,
};

export interface BroadcastHarness {
  fake: FakeTelegram;
  app: TestApp;
  broadcasting: Broadcasting;
  /** Base URL of an express app serving the admin API with the broadcast routes. */
  adminUrl: string;
  /** Another worker on the same database, as a second instance would run. */
  extraWorker(id: string): Broadcasting;
  stop(): Promise<void>;
}

/** The real app on the fake Bot API, plus broadcasting wired as app.ts will wire it. */
export async function startBroadcastHarness(
  opts: { fake?: FakeTelegramOptions; config?: Partial<BroadcastConfig>; mongoUri?: string } = {},
): Promise<BroadcastHarness> {
  const fake = await FakeTelegram.start(opts.fake ?? {});
  const app = await startTestApp({
    MONGODB_URI: opts.mongoUri ?? testMongoUri(),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_MODE: 'webhook',
    ADMIN_BOOTSTRAP_KEY: BROADCAST_ADMIN_KEY,
  });
  const logger = createLogger('warn');
  const config = { ...TEST_BROADCAST_CONFIG, ...(opts.config ?? {}) };
  const make = (workerId?: string): Broadcasting =>
    createBroadcasting({
      connection: app.connection,
      domain: app.domain,
      logger,
      config,
      senders: [app.channels.get('telegram')!],
      ...(workerId ? { workerId } : {}),
    });
  const broadcasting = make('w1');
  await broadcasting.ready;
  const admin = createAdminRouter({ connection: app.connection, logger, bootstrapKey: BROADCAST_ADMIN_KEY, extraRoutes: [broadcastsAdminRoutes(broadcasting.service, broadcasting.templates, { config: broadcasting.config, platforms: broadcasting.platforms, renderers: CHANNEL_MODULES.map((m) => m.renderer) })] });
  await admin.ready;
  const web = express();
  web.use(ADMIN_BASE_PATH, admin.router);
  const server: Server = await new Promise((resolve) => {
    const s = web.listen(0, '127.0.0.1', () => resolve(s));
  });
  const extras: Broadcasting[] = [];
  return {
    fake,
    app,
    broadcasting,
    adminUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    extraWorker(id) {
      const b = make(id);
      extras.push(b);
      return b;
    },
    async stop() {
      await Promise.all([broadcasting.worker.stop(), ...extras.map((e) => e.worker.stop())]);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await app.stop();
      await fake.stop();
    },
  };
}

/** Inserts `count` subscribed Telegram chat users with chat ids from `firstChatId` (seeding only). */
export async function seedSubscribers(app: TestApp, count: number, firstChatId = 700_000, extra: { locale?: 'vi' | 'en' } = {}): Promise<string[]> {
  const now = new Date();
  const ids = Array.from({ length: count }, (_, i) => String(firstChatId + i));
  const docs = ids.map((chatId) => ({
    channel: 'telegram',
    chatId,
    platformUserId: chatId,
    locale: extra.locale ?? 'vi',
    subscribed: true,
    blocked: false,
    firstSeenAt: now,
    lastSeenAt: now,
    consents: [],
  }));
  const model = chatUserModel(app.connection);
  for (let i = 0; i < docs.length; i += 1000) await model.insertMany(docs.slice(i, i + 1000));
  return ids;
}

/** Polls until `check` holds. */
export const until = (check: () => Promise<boolean>, timeoutMs = 20_000, stepMs = 50): Promise<void> => waitFor(check, 'the condition', { timeoutMs, stepMs });

/** Calls an admin API with a key; JSON in and out. */
export async function broadcastApi<T = Record<string, unknown>>(baseUrl: string, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const answer = await adminCall<T>(baseUrl, key, method, path, body);
  return { status: answer.status, body: requireJson(answer) };
}

/** A new staff key with this role (made by the bootstrap admin); returns the plaintext key. */
export const broadcastStaffKey = (baseUrl: string, role: string, province?: string): Promise<string> => createStaffKey(baseUrl, role, province);
