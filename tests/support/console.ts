import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { staffKeyModel, type StaffRole } from '../../src/db/models/staff-key.js';
import { StaffKeyService } from '../../src/domain/staff-keys.js';
import { startTestApp, TEST_SECRET, type TestApp } from './app.js';
import { launchBrowser } from './browser.js';
import { testMongoUri } from './db.js';
import { FakeTelegram } from './fake-telegram.js';

/** Plaintext keys of the staff a console test signs in as. */
export interface ConsoleKeys {
  /** Unscoped admins: two, for four-eyes approvals. */
  admin: string;
  admin2: string;
  /** Province 01. */
  reviewer: string;
  broadcaster: string;
  viewer: string;
  /** A reviewer of province 79, to check scoping. */
  reviewer79: string;
}

export interface ConsoleHarness {
  app: TestApp;
  telegram: FakeTelegram;
  keys: ConsoleKeys;
  browser: Browser;
  /** The console's address. */
  url: string;
  /**
   * A fresh browser context signed in with `key` (through the sign-in form, as
   * staff do), showing `/console` — or `/console#<hash>` when given.
   */
  page(key: string, opts?: { hash?: string; viewport?: { width: number; height: number }; locale?: 'vi' | 'en' }): Promise<Page>;
  stop(): Promise<void>;
}

/** A laptop at a service desk. */
export const DESK = { width: 1280, height: 800 };

const STAFF: Array<{ name: keyof ConsoleKeys; role: StaffRole; province: string | null }> = [
  { name: 'admin', role: 'admin', province: null },
  { name: 'admin2', role: 'admin', province: null },
  { name: 'reviewer', role: 'reviewer', province: '01' },
  { name: 'broadcaster', role: 'broadcaster', province: '01' },
  { name: 'viewer', role: 'viewer', province: '01' },
  { name: 'reviewer79', role: 'reviewer', province: '79' },
];

/**
 * The real app (Telegram webhook mode against the fake Bot API, simulator on,
 * a fresh database), staff keys of every role, and headless Chromium.
 */
export async function startConsole(opts: { env?: Record<string, string> } = {}): Promise<ConsoleHarness> {
  const telegram = await FakeTelegram.start();
  const app = await startTestApp({
    MONGODB_URI: testMongoUri(),
    TELEGRAM_BOT_TOKEN: telegram.token,
    TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    SIMULATOR_ENABLED: 'true',
    ...opts.env,
  });
  const service = new StaffKeyService(staffKeyModel(app.connection));
  const keys = {} as ConsoleKeys;
  for (const staff of STAFF) {
    const { key } = await service.create({ role: staff.role, province: staff.province, label: `${staff.name} (test)`, createdBy: 'test' });
    keys[staff.name] = key;
  }
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  const url = `${app.url}/console`;

  return {
    app,
    telegram,
    keys,
    browser,
    url,
    async page(key, pageOpts = {}) {
      const context = await browser.newContext({ viewport: pageOpts.viewport ?? DESK, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh', reducedMotion: 'reduce' });
      contexts.push(context);
      if (pageOpts.locale === 'en') await context.addInitScript(() => localStorage.setItem('lhb-console-lang', 'en'));
      const page = await context.newPage();
      await page.goto(url);
      await page.getByTestId('signin-key').fill(key);
      await page.getByTestId('signin-submit').click();
      await page.getByTestId('sign-out').waitFor({ state: 'visible', timeout: 10_000 });
      if (pageOpts.hash) {
        await page.evaluate((hash) => (location.hash = hash), pageOpts.hash);
      }
      return page;
    },
    async stop() {
      for (const context of contexts) await context.close().catch(() => undefined);
      await browser.close();
      await app.stop();
      await telegram.stop();
    },
  };
}

/** One accessibility problem axe-core found, enough to act on. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * Runs axe-core (the npm package, injected from node_modules: no CDN) on the
 * page as it is now and returns its serious and critical violations.
 */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the debugging protocol: the console's CSP (rightly) refuses injected <script> tags.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }> }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target.join(' '))) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
