import { afterAll, beforeAll, describe } from 'vitest';
import type { ChatKey } from '../../src/messaging/types.js';
import { FakeTelegram } from './fake-telegram.js';
import { startTestApp, TEST_SECRET, type TestApp } from './app.js';
import { testMongoUri } from './db.js';
import { SimulatorChatDriver, TelegramChatDriver, type ChatDriver } from './chat-driver.js';
import { zaloBotHarness, zaloOaHarness } from './zalo-drivers.js';

/** A running app reachable on one channel, with a way to open chats on it. */
export interface ChannelHarness {
  readonly name: string;
  readonly app: TestApp;
  /** Opens a chat; `n` makes distinct chats within one test file. */
  chat(n: number): ChatDriver;
  /** The engine's key of chat `n`, for seeding data (links, requests) directly. */
  chatKey(n: number): ChatKey;
  /** Restarts the app on the same database (conversation state must survive). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  /** Extra environment for the app (deployment settings under test). */
  env?: Record<string, string>;
}

async function telegramHarness(opts: HarnessOptions): Promise<ChannelHarness> {
  const fake = await FakeTelegram.start();
  const env = {
    MONGODB_URI: testMongoUri(),
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    SIMULATOR_ENABLED: 'false',
    ...opts.env,
  };
  let app = await startTestApp(env);
  return {
    name: 'telegram',
    get app() {
      return app;
    },
    chat: (n) => new TelegramChatDriver(fake, () => `${app.url}/webhooks/telegram`, TEST_SECRET, 700_000 + n),
    chatKey: (n) => ({ channel: 'telegram', chatId: String(700_000 + n) }),
    async restart() {
      await app.stop();
      app = await startTestApp(env);
    },
    async stop() {
      await app.stop();
      await fake.stop();
    },
  };
}

async function simulatorHarness(opts: HarnessOptions): Promise<ChannelHarness> {
  const env = { MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'true', ...opts.env };
  let app = await startTestApp(env);
  return {
    name: 'simulator',
    get app() {
      return app;
    },
    chat: (n) => new SimulatorChatDriver(() => app.url, `sim-${n}`),
    chatKey: (n) => ({ channel: 'simulator', chatId: `sim-${n}` }),
    async restart() {
      await app.stop();
      app = await startTestApp(env);
    },
    async stop() {
      await app.stop();
    },
  };
}

/** Channel harness factories by name; the Zalo channels join this list. */
export const CHANNELS: Record<string, (opts: HarnessOptions) => Promise<ChannelHarness>> = {
  telegram: telegramHarness,
  simulator: simulatorHarness,
  'zalo-oa': zaloOaHarness,
  'zalo-bot': zaloBotHarness,
};

/**
 * Runs one conversation suite on every channel: write the suite once against
 * ChatDriver, get it on Telegram, the simulator and (later) Zalo.
 */
export function describeOnChannels(title: string, suite: (getHarness: () => ChannelHarness) => void, opts: HarnessOptions = {}): void {
  for (const [name, start] of Object.entries(CHANNELS)) {
    describe(`${title} [${name}]`, () => {
      let harness: ChannelHarness | undefined;
      beforeAll(async () => {
        harness = await start(opts);
      });
      afterAll(async () => {
        await harness?.stop();
      });
      suite(() => {
        if (!harness) throw new Error('harness not started');
        return harness;
      });
    });
  }
}
