import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { deliver } from '../../src/messaging/channel.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { launchBrowser, screenshotPath } from '../support/browser.js';

/** A common small phone (iPhone 12/13/14 in CSS pixels). */
const PHONE = { width: 390, height: 844 };
/** How long the page may take to show a reply (send + poll, or a 1.5 s poll for late messages). */
const WAIT = { timeout: 10_000 };

const TOPICS = [
  '1. Cuộc gọi giả danh BHXH, Công an',
  '2. Đường link, ứng dụng giả',
  '3. Hỏi mã OTP, mật khẩu',
  '4. Dịch vụ làm hộ có thu phí',
  '5. Tôi đã bị lừa, phải làm gì?',
];
const BACK_TO_MENU = '↩ Về menu chính';

/**
 * Waits until the page has settled after a send: input usable again and the bot's
 * message containing `text` shown. Returns that message.
 */
async function botSays(page: Page, text: string): Promise<Locator> {
  const message = page.getByTestId('bot-message').filter({ hasText: text }).last();
  await message.waitFor({ state: 'visible', ...WAIT });
  await expect.poll(() => page.getByTestId('text-input').isEnabled(), WAIT).toBe(true);
  return message;
}

async function buttonLabels(scope: Locator): Promise<string[]> {
  return (await scope.getByTestId('choice-button').allTextContents()).map((t) => t.trim());
}

async function typeAndEnter(page: Page, text: string): Promise<void> {
  const input = page.getByTestId('text-input');
  await input.fill(text);
  await input.press('Enter');
}

describe('browser chat simulator', () => {
  let app: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'true' });
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: PHONE,
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => pageErrors.push(err.message));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await app?.stop();
  });

  it('loads under the default Content-Security-Policy with a fresh chat id', async () => {
    const response = await page.goto(`${app.url}/simulator`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.locator('html[data-ready="true"]').waitFor(WAIT);

    await expect.poll(() => page.title()).toContain('Trình mô phỏng trò chuyện');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Trình mô phỏng trò chuyện');
    const chatId = await page.getByTestId('chat-id').textContent();
    expect(chatId).toMatch(/^sim-[a-z0-9]{8,}$/);
    expect(await page.evaluate(() => localStorage.getItem('simulator.chatId'))).toBe(chatId);
    expect(await page.getByTestId('bot-message').count()).toBe(0);
    expect(await page.getByTestId('start-button').isVisible()).toBe(true);

    // The stylesheet applied (it is an external file, as the CSP requires): large text, big targets.
    const input = page.getByTestId('text-input');
    expect(await input.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18);
    expect((await input.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    expect((await page.getByTestId('send-button').boundingBox())!.height).toBeGreaterThanOrEqual(48);
    expect(await page.getByTestId('style-telegram').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('messages').getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('label[for="text-input"]').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('simulator-empty') });
  });

  it('answers /start with the main menu as buttons', async () => {
    await typeAndEnter(page, '/start');
    const menu = await botSays(page, 'Ông/Bà cần giúp việc gì');

    const labels = await buttonLabels(menu);
    expect(labels.some((l) => l.includes('Cảnh báo lừa đảo'))).toBe(true);
    expect(labels.every((l) => /^\d+\. /.test(l))).toBe(true);
    expect(await page.getByTestId('user-message').last().textContent()).toContain('/start');
    expect(await page.getByTestId('text-input').inputValue()).toBe('');
    expect(await page.getByTestId('start-button').isVisible()).toBe(false);

    for (const button of await menu.getByTestId('choice-button').all()) {
      expect((await button.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    }
    const textSize = await menu.locator('.text').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(textSize).toBeGreaterThanOrEqual(18);
    await page.screenshot({ path: screenshotPath('simulator-menu') });
  });

  it('taps "Cảnh báo lừa đảo" and shows the anti-fraud intro with topic buttons', async () => {
    const before = await page.getByTestId('bot-message').count();
    await page.getByTestId('choice-button').filter({ hasText: 'Cảnh báo lừa đảo' }).last().click();
    const intro = await botSays(page, 'OTP');
    expect(await page.getByTestId('bot-message').count()).toBeGreaterThan(before);

    expect(await intro.textContent()).toContain('Ông/Bà muốn tìm hiểu về trường hợp nào?');
    expect(await buttonLabels(intro)).toEqual([...TOPICS, BACK_TO_MENU]);
    // The tap shows as the user's bubble with the button's label.
    expect(await page.getByTestId('user-message').last().textContent()).toMatch(/\d+\. Cảnh báo lừa đảo/);
    await page.screenshot({ path: screenshotPath('simulator-fraud-topics') });
  });

  it('typing "2" answers the second topic, line breaks kept', async () => {
    await typeAndEnter(page, '2');
    const tip = await botSays(page, 'Đường link, ứng dụng giả mạo');

    const text = tip.locator('.text');
    expect(await text.textContent()).toContain('tinnhiemmang.vn');
    expect(await text.textContent()).toContain('\n\nCách xử lý:\n•');
    expect(await text.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    // Rendered with line breaks: the bubble is many lines tall, not one long line.
    expect((await text.boundingBox())!.height).toBeGreaterThan(200);

    const more = await botSays(page, 'Ông/Bà muốn xem thêm nội dung nào?');
    expect(await buttonLabels(more)).toEqual([...TOPICS, BACK_TO_MENU]);
    expect(await page.getByTestId('user-message').last().textContent()).toContain('2');
    await page.screenshot({ path: screenshotPath('simulator-fraud-answer') });
  });

  it('Zalo style shows at most 3 buttons and lists the rest as numbers to type', async () => {
    await page.getByTestId('style-zalo').click();
    expect(await page.getByTestId('style-zalo').getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByTestId('style-telegram').getAttribute('aria-pressed')).toBe('false');
    expect(await page.evaluate(() => document.body.classList.contains('style-zalo'))).toBe(true);
    // The header changes colour with the style.
    const header = await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundImage);
    expect(header).toContain('gradient');

    for (const message of await page.getByTestId('bot-message').all()) {
      expect(await message.getByTestId('choice-button').count()).toBeLessThanOrEqual(3);
    }
    const more = page.getByTestId('bot-message').filter({ hasText: 'Ông/Bà muốn xem thêm nội dung nào?' }).last();
    expect(await buttonLabels(more)).toEqual([TOPICS[0], TOPICS[1], BACK_TO_MENU]);
    const listed = (await more.getByTestId('numbered-list').locator('li').allTextContents()).map((t) => t.trim());
    expect(listed).toEqual([TOPICS[2], TOPICS[3], TOPICS[4]]);
    expect(await more.getByTestId('numbered-list').textContent()).toContain('gõ số để chọn');

    // The main menu has more than three options too: three buttons, the rest listed to type.
    const menu = page.getByTestId('bot-message').filter({ hasText: 'Ông/Bà cần giúp việc gì' }).first();
    expect(await menu.getByTestId('choice-button').count()).toBe(3);
    expect(await menu.getByTestId('numbered-list').locator('li').count()).toBeGreaterThan(0);
    await more.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('simulator-zalo') });

    // A listed option can be typed.
    await typeAndEnter(page, '3');
    await botSays(page, 'Mã OTP là chìa khóa');
    await page.screenshot({ path: screenshotPath('simulator-zalo-answer') });
  });

  it('reload keeps the chat and the style, and replays the history', async () => {
    const chatId = await page.getByTestId('chat-id').textContent();
    const bots = await page.getByTestId('bot-message').count();
    const users = await page.getByTestId('user-message').count();

    await page.reload();
    await page.locator('html[data-ready="true"]').waitFor(WAIT);
    expect(await page.getByTestId('chat-id').textContent()).toBe(chatId);
    expect(await page.getByTestId('bot-message').count()).toBe(bots);
    expect(await page.getByTestId('user-message').count()).toBe(users);
    expect(await page.getByTestId('style-zalo').getAttribute('aria-pressed')).toBe('true');
    // Every message once: ids unique even though polling and the first load overlap.
    const ids = await page.locator('[data-testid="messages"] > li[data-id]').evaluateAll((els) =>
      els.map((el) => (el as HTMLElement).dataset.id),
    );
    expect(new Set(ids).size).toBe(ids.length);

    await page.getByTestId('style-telegram').click();
    const last = page.getByTestId('bot-message').filter({ hasText: 'Ông/Bà muốn xem thêm nội dung nào?' }).last();
    expect(await buttonLabels(last)).toEqual([...TOPICS, BACK_TO_MENU]);
    expect(await last.getByTestId('numbered-list').count()).toBe(0);
  });

  it('is usable from the keyboard, with a visible focus ring', async () => {
    const input = page.getByTestId('text-input');
    await input.focus();
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const style = getComputedStyle(el);
      return { testid: el.dataset.testid, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(focused).toEqual({ testid: 'photo-button', outline: 'solid', width: expect.any(Number) });
    expect(focused.width).toBeGreaterThanOrEqual(2);

    const back = page.getByTestId('choice-button').filter({ hasText: BACK_TO_MENU }).last();
    await back.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('user-message').last().textContent(), WAIT).toContain(BACK_TO_MENU);
    await botSays(page, 'Ông/Bà cần giúp việc gì');
  });

  it('the 📷 button sends a photo', async () => {
    const before = await page.getByTestId('bot-message').count();
    await page.getByTestId('photo-button').click();
    await botSays(page, 'Tôi đã nhận ảnh');
    expect(await page.getByTestId('bot-message').count()).toBe(before + 1);
    expect(await page.getByTestId('user-message').last().textContent()).toContain('📷');
  });

  it('shows messages the bot sends later, as text only, with a phone-number form and safe links', async () => {
    const chatId = (await page.getByTestId('chat-id').textContent())!;
    const hostile = '<img src=x onerror="window.__pwned=1">\nDòng thứ hai <b>không đậm</b>';
    // A message that arrives on its own (as a staff notification would), found by polling.
    await deliver(app.channels.get('simulator')!, chatId, [
      {
        text: hostile,
        requestContact: { label: '📱 Gửi số điện thoại của tôi' },
        link: { label: 'Cổng Dịch vụ công', url: 'https://dichvucong.gov.vn/' },
      },
      { text: 'Liên kết xấu', link: { label: 'Đừng bấm', url: 'javascript:window.__pwned=2' } },
    ]);
    const late = page.getByTestId('bot-message').filter({ hasText: 'onerror' }).last();
    await late.waitFor({ state: 'visible', ...WAIT });

    expect(await late.locator('.text').textContent()).toBe(hostile);
    expect(await late.locator('img, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

    const link = late.getByTestId('link-button');
    expect(await link.getAttribute('href')).toBe('https://dichvucong.gov.vn/');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
    const bad = page.getByTestId('bot-message').filter({ hasText: 'Liên kết xấu' });
    await bad.waitFor(WAIT);
    expect(await bad.getByTestId('link-button').count()).toBe(0);
    expect(await bad.locator('a').count()).toBe(0);

    const contact = late.getByTestId('contact-button');
    expect((await contact.textContent())!.trim()).toBe('📱 Gửi số điện thoại của tôi');
    expect((await contact.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await contact.click();
    const phone = late.getByTestId('phone-input');
    // The form starts empty: sending it as found sends nothing and asks for the number.
    expect(await phone.inputValue()).toBe('');
    await late.getByTestId('phone-send').click();
    expect(await late.getByRole('alert').isVisible()).toBe(true);
    await phone.fill('0912345678');
    expect(await phone.evaluate((el) => el.id && document.querySelector(`label[for="${el.id}"]`) !== null)).toBe(true);
    await late.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('simulator-contact') });

    const sent = page.waitForRequest((req) => req.url().endsWith('/simulator/api/send') && req.method() === 'POST');
    await late.getByTestId('phone-send').click();
    const body = (await sent).postDataJSON() as Record<string, unknown>;
    expect(body).toEqual({ chatId, kind: 'contact', phone: '0912345678', display: '📱 0912345678' });
    // The stored history keeps identifiers masked; the bubble shows what was stored.
    await expect.poll(() => page.getByTestId('user-message').last().textContent(), WAIT).toContain('******5678');
    await expect.poll(() => late.getByTestId('contact-form').isHidden(), WAIT).toBe(true);
  });

  it('"Cuộc trò chuyện mới" starts a new chat; a 503 shows a polite error and keeps the text', async () => {
    const oldId = await page.getByTestId('chat-id').textContent();
    await page.getByTestId('new-chat').click();
    await expect.poll(() => page.getByTestId('chat-id').textContent(), WAIT).not.toBe(oldId);
    const newId = await page.getByTestId('chat-id').textContent();
    expect(newId).toMatch(/^sim-[a-z0-9]{8,}$/);
    expect(newId).not.toBe(oldId);
    expect(await page.evaluate(() => localStorage.getItem('simulator.chatId'))).toBe(newId);
    expect(await page.getByTestId('bot-message').count()).toBe(0);
    await page.getByTestId('start-button').waitFor(WAIT);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/simulator/api/send', async (route) => {
      await held;
      await route.fulfill({ status: 503, contentType: 'application/json', body: '{"code":"busy"}' });
    });
    const input = page.getByTestId('text-input');
    await input.fill('xin chào');
    await page.getByTestId('send-button').click();
    // While the request is in flight the box is disabled.
    await expect.poll(() => input.isDisabled(), WAIT).toBe(true);
    expect(await page.getByTestId('send-button').isDisabled()).toBe(true);
    release();

    const error = page.getByTestId('error');
    await error.waitFor({ state: 'visible', ...WAIT });
    expect(await error.textContent()).toContain('Hệ thống đang bận, vui lòng thử lại');
    expect(await error.getAttribute('role')).toBe('alert');
    await expect.poll(() => input.isEnabled(), WAIT).toBe(true);
    expect(await input.inputValue()).toBe('xin chào');
    expect(await page.getByTestId('bot-message').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('simulator-busy') });

    // Sending again once the system is back works, and the error goes away.
    await page.unroute('**/simulator/api/send');
    await input.press('Enter');
    await botSays(page, 'Ông/Bà cần giúp việc gì');
    expect(await error.isHidden()).toBe(true);
    expect(await input.inputValue()).toBe('');
    expect(await page.getByTestId('bot-message').first().textContent()).toContain('Kính chào Ông/Bà');
  });

  it('"Zalo Bot" mode shows text only, options as numbered lines to type; typing the number works like a tap', async () => {
    await page.getByTestId('style-zalo-bot').click();
    expect(await page.getByTestId('style-zalo-bot').getAttribute('aria-pressed')).toBe('true');
    await typeAndEnter(page, 'menu');
    const menu = await botSays(page, 'Ông/Bà cần giúp việc gì');
    // No buttons on the Bot Platform: every option is a line of the text.
    expect(await menu.getByTestId('choice-button').count()).toBe(0);
    const text = (await menu.locator('.text').textContent())!;
    expect(text).toMatch(/\n1\. /);
    expect(text).toMatch(/\n2\. /);
    const second = /\n2\. ([^\n]+)/.exec(text)![1]!;
    await typeAndEnter(page, '2');
    await expect.poll(() => page.getByTestId('user-message').last().textContent(), WAIT).toContain('2');
    await expect.poll(async () => (await page.getByTestId('bot-message').last().textContent()) !== (await menu.textContent()), WAIT).toBe(true);
    expect(second.length).toBeGreaterThan(0);
    await page.screenshot({ path: screenshotPath('simulator-zalo-bot') });
  });

  it('in Zalo style, "silent over 7 days" shows a notice as Zalo draws its template message: title, parameters, one button', async () => {
    const chatId = (await page.getByTestId('chat-id').textContent())!;
    await deliver(app.channels.get('simulator')!, chatId, [
      {
        text: 'Lương hưu tháng 12/2026: 4.350.000 đ đã chuyển vào tài khoản ****1234 ngày 05/12/2026.',
        notice: { kind: 'payment_credited', fields: { full_name: 'Trần Thị Bình', period: '12/2026', amount: '4.350.000 đ', account: '****1234', paid_on: '05/12/2026' } },
      },
    ]);
    await page.getByTestId('style-zalo').click();
    expect(await page.getByTestId('silent-toggle').isVisible()).toBe(true);
    // Inside the window, the ordinary message.
    await page.getByTestId('bot-message').filter({ hasText: '4.350.000 đ đã chuyển' }).waitFor(WAIT);
    await page.getByTestId('silent-input').check();
    const card = page.getByTestId('template-message').last();
    await card.waitFor(WAIT);
    expect(await card.locator('.template-title').textContent()).toBe('Lương hưu đã được chi trả');
    const rows = await card.locator('tr').allTextContents();
    expect(rows).toEqual(['Họ tênTrần Thị Bình', 'Kỳ12/2026', 'Số tiền4.350.000 đ', 'Tài khoản****1234', 'Ngày chuyển05/12/2026']);
    expect(await card.getByRole('button').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('simulator-zalo-template') });
    await page.getByTestId('silent-input').uncheck();
    await page.getByTestId('style-telegram').click();
    expect(await page.getByTestId('silent-toggle').isVisible()).toBe(false);
  });

  it('fits a small 360 px phone without sideways scrolling', async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await typeAndEnter(page, 'lua dao');
    await botSays(page, 'Ông/Bà muốn tìm hiểu về trường hợp nào?');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
    for (const id of ['style-telegram', 'style-zalo', 'new-chat', 'photo-button', 'send-button', 'text-input']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.height, id).toBeGreaterThanOrEqual(48);
      expect(box.x + box.width, id).toBeLessThanOrEqual(360);
    }
    await page.screenshot({ path: screenshotPath('simulator-small-phone') });
  });

  it('on a desktop screen shows a centred phone-sized chat', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const phone = (await page.locator('#phone').boundingBox())!;
    expect(phone.width).toBeLessThanOrEqual(480);
    expect(Math.abs(phone.x + phone.width / 2 - 640)).toBeLessThanOrEqual(2);
    await page.screenshot({ path: screenshotPath('simulator-desktop') });
    await page.setViewportSize(PHONE);
  });

  it('ran without script errors or CSP violations', () => {
    expect(pageErrors).toEqual([]);
    // The 503 above is logged by the browser as a failed resource load; nothing else may be.
    expect(consoleErrors.filter((e) => !/status of 503/.test(e))).toEqual([]);
  });
});

describe('simulator in production', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: testMongoUri(), NODE_ENV: 'production' });
  }, 60_000);

  afterAll(async () => {
    await app?.stop();
  });

  it('is off without SIMULATOR_ENABLED: /simulator and its API answer 404', async () => {
    expect(app.config.simulatorEnabled).toBe(false);
    for (const path of ['/simulator', '/simulator/assets/app.js', '/simulator/api/messages?chatId=sim-abc']) {
      const res = await fetch(`${app.url}${path}`);
      expect(res.status, path).toBe(404);
      await res.body?.cancel();
    }
    const res = await fetch(`${app.url}/simulator/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chatId: 'sim-abc', kind: 'text', text: '/start' }),
    });
    expect(res.status).toBe(404);
    await res.body?.cancel();
  });
});
