import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotPath } from '../support/browser.js';
import { DESK, seriousAxeViolations, startConsole, type ConsoleHarness } from '../support/console.js';

describe('staff console: sign-in and session', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('refuses a wrong key in Vietnamese, keeps the form, then signs in and shows role and province', async () => {
    const context = await h.browser.newContext({ viewport: DESK });
    const page = await context.newPage();
    await page.goto(h.url);
    await expect.poll(() => page.getByRole('heading', { name: 'Đăng nhập' }).isVisible()).toBe(true);

    await page.getByLabel('Khoá truy cập (API key)').fill('lhb_wrong-key-0000000000000000000000000000000');
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await expect.poll(() => page.locator('.field .error').textContent()).toContain('Khoá không đúng hoặc đã bị thu hồi');
    await expect.poll(() => page.getByLabel('Khoá truy cập (API key)').getAttribute('aria-invalid')).toBe('true');
    await page.screenshot({ path: screenshotPath('console-sign-in-refused') });
    expect(await seriousAxeViolations(page)).toEqual([]);
    // The checker itself works: a planted unlabeled input is reported, then removed.
    await page.evaluate(() => document.querySelector('main')?.append(Object.assign(document.createElement('input'), { id: 'planted' })));
    expect((await seriousAxeViolations(page)).map((v) => v.id)).toContain('label');
    await page.evaluate(() => document.getElementById('planted')?.remove());

    await page.getByLabel('Khoá truy cập (API key)').fill(h.keys.reviewer);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByTestId('sign-out').waitFor();
    expect(await page.getByTestId('role').textContent()).toBe('Cán bộ duyệt');
    expect(await page.getByTestId('province').textContent()).toBe('Tỉnh 01');
    // The navigation is the whole console for a reviewer, imports included.
    const nav = await page.locator('.mainnav a').allTextContents();
    expect(nav).toEqual(['Tổng quan', 'Gửi thông báo', 'Duyệt yêu cầu', 'Tin báo lừa đảo', 'Nhập dữ liệu']);
    await page.screenshot({ path: screenshotPath('console-signed-in') });

    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'lhb_console', httpOnly: true, sameSite: 'Strict', path: '/' });
    // Over plain http (tests) the cookie cannot be Secure; behind HTTPS `req.secure` sets it.
    expect(cookie?.secure).toBe(false);
    await context.close();
  });

  it('shows where the keyboard is: every control reached with Tab has a visible focus ring', async () => {
    const page = await h.page(h.keys.reviewer, { hash: '#/imports' });
    // After navigation the page title has focus (announced to screen readers); Tab goes on from there.
    await page.getByRole('heading', { level: 1, name: 'Nhập dữ liệu' }).waitFor();
    // The title takes focus once the page has loaded its data: walk from there, not before.
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName), { timeout: 10_000 }).toBe('H1');
    const seen: string[] = [];
    let wraps = 0;
    for (let i = 0; i < 16; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { name: `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 20)}`, outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
      });
      // Past the last control focus leaves the page once, then starts again at the top.
      if (focus === null) {
        wraps++;
        continue;
      }
      expect(focus.outline, `${focus.name} has no focus outline`).not.toBe('none');
      expect(focus.width, `${focus.name} focus outline too thin`).toBeGreaterThanOrEqual(2);
      seen.push(focus.name);
    }
    expect(wraps).toBeLessThanOrEqual(1);
    // The walk covered the page's own controls, the skip link, the header and the navigation.
    expect(seen).toContain('button:Tải lên');
    expect(seen.some((n) => n.startsWith('a:Bỏ qua'))).toBe(true);
    expect(seen).toContain('button:Đăng xuất');
    expect(seen).toContain('a:Tổng quan');
    await page.keyboard.press('Tab');
    await page.screenshot({ path: screenshotPath('console-keyboard-focus') });
    await page.close();
  });

  it('hides sections a viewer cannot use and switches to English', async () => {
    const page = await h.page(h.keys.viewer);
    const nav = await page.locator('.mainnav a').allTextContents();
    expect(nav).not.toContain('Nhập dữ liệu');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByTestId('role').textContent()).toBe('Viewer');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.screenshot({ path: screenshotPath('console-viewer-english') });
    await page.close();
  });

  it('needs the CSRF header for cookie-authenticated changes, and sign-out ends the session', async () => {
    const page = await h.page(h.keys.admin);
    const results = await page.evaluate(async () => {
      const session = (await (await fetch('/console/session')).json()) as { csrfToken: string };
      const body = JSON.stringify({ role: 'viewer', province: '01', label: 'made from console' });
      const withoutHeader = await fetch('/admin/api/keys', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      const withHeader = await fetch('/admin/api/keys', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body,
      });
      const read = await fetch('/admin/api/me');
      return { withoutHeader: withoutHeader.status, code: ((await withoutHeader.json()) as { code: string }).code, withHeader: withHeader.status, read: read.status };
    });
    expect(results).toEqual({ withoutHeader: 403, code: 'csrf_failed', withHeader: 201, read: 200 });

    await page.getByTestId('sign-out').click();
    await page.getByTestId('signin-key').waitFor();
    expect(await page.locator('.alert-info').textContent()).toBe('Đã đăng xuất.');
    await page.screenshot({ path: screenshotPath('console-signed-out') });
    const after = await page.evaluate(async () => (await fetch('/admin/api/me')).status);
    expect(after).toBe(401);
    await page.close();
  });

  it('ends the session when its key is revoked', async () => {
    const page = await h.page(h.keys.broadcaster);
    const admin = await h.page(h.keys.admin);
    const revoked = await admin.evaluate(async () => {
      const session = (await (await fetch('/console/session')).json()) as { csrfToken: string };
      const keys = (await (await fetch('/admin/api/keys')).json()) as { items: Array<{ id: string; label: string }> };
      const target = keys.items.find((k) => k.label === 'broadcaster (test)');
      if (!target) return 0;
      const res = await fetch(`/admin/api/keys/${target.id}`, { method: 'DELETE', headers: { 'X-CSRF-Token': session.csrfToken } });
      return res.status;
    });
    expect(revoked).toBe(200);
    expect(await page.evaluate(async () => (await fetch('/admin/api/me')).status)).toBe(401);
    await page.reload();
    await page.getByTestId('signin-key').waitFor();
    await page.screenshot({ path: screenshotPath('console-revoked-key-signed-out') });
    await page.close();
    await admin.close();
  });

  it('signs out by itself after the idle timeout, clearing the screen and ending the server session', async () => {
    const context = await h.browser.newContext({ viewport: DESK });
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${h.url}#/dashboard`);
    await page.getByTestId('signin-key').fill(h.keys.viewer);
    await page.getByTestId('signin-submit').click();
    await page.getByTestId('sign-out').waitFor();

    // CONSOLE_IDLE_MINUTES defaults to 30: 29 minutes without input is still fine.
    await page.clock.fastForward('29:00');
    expect(await page.getByTestId('sign-out').isVisible()).toBe(true);
    await page.mouse.click(5, 300);
    await page.clock.fastForward('29:00');
    expect(await page.getByTestId('sign-out').isVisible(), 'input restarts the idle time').toBe(true);

    await page.clock.fastForward('02:00');
    await page.getByTestId('signin-key').waitFor();
    expect(await page.locator('.alert-info').textContent()).toContain('Phiên làm việc đã hết hạn');
    // The screen holds no page any more, and the server session is gone too.
    expect(await page.locator('.mainnav').count()).toBe(0);
    await expect.poll(() => page.evaluate(async () => (await fetch('/console/session')).status)).toBe(401);
    await page.screenshot({ path: screenshotPath('console-idle-signed-out') });
    await context.close();
  });

  it('counts input in any tab: a busy tab keeps an idle one signed in', async () => {
    const context = await h.browser.newContext({ viewport: DESK });
    await context.clock.install();
    const busy = await context.newPage();
    await busy.goto(h.url);
    await busy.getByTestId('signin-key').fill(h.keys.viewer);
    await busy.getByTestId('signin-submit').click();
    await busy.getByTestId('sign-out').waitFor();
    const idle = await context.newPage();
    await idle.goto(`${h.url}#/fraud`);
    await idle.getByTestId('sign-out').waitFor();

    for (let i = 0; i < 3; i++) {
      await context.clock.fastForward('20:00');
      await busy.mouse.click(5, 300);
      // Storage reaches another tab's process a moment later; in real use 20 minutes pass, here the clock jumps.
      const touched = await busy.evaluate(() => localStorage.getItem('lhb-console-activity'));
      await idle.waitForFunction((value) => localStorage.getItem('lhb-console-activity') === value, touched);
    }
    await context.clock.fastForward('20:00');
    // 80 minutes since the idle tab was touched, 20 since the busy one was.
    expect(await idle.getByTestId('sign-out').isVisible()).toBe(true);
    expect(await busy.getByTestId('sign-out').isVisible()).toBe(true);
    await context.close();
  });

  it('drops a page that is still loading when the officer moves on', async () => {
    const page = await h.page(h.keys.admin, { hash: '#/imports' });
    await page.getByRole('heading', { level: 1, name: 'Nhập dữ liệu' }).waitFor();
    let answered = 0;
    // The overview answers slowly; the officer goes to Imports before it does.
    await page.route('**/admin/api/dashboard**', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 800));
      answered++;
      await route.continue().catch(() => undefined);
    });
    const asked = page.waitForRequest('**/admin/api/dashboard**');
    await page.evaluate(() => (location.hash = '#/dashboard'));
    await asked;
    await page.evaluate(() => (location.hash = '#/imports'));
    await page.getByRole('heading', { level: 1, name: 'Nhập dữ liệu' }).waitFor();
    await expect.poll(() => answered, { timeout: 5000 }).toBe(1);
    await page.waitForTimeout(300);
    // Only the Imports page is on screen: nothing of the overview was drawn under it.
    expect(await page.locator('main > .page').count()).toBe(1);
    expect(await page.locator('main h1').allTextContents()).toEqual(['Nhập dữ liệu']);
    expect(await page.getByText('Tỷ lệ chi trả không dùng tiền mặt').count()).toBe(0);
    await page.close();
  });

  it('follows a sign-in with another key in another tab instead of failing every change', async () => {
    const context = await h.browser.newContext({ viewport: DESK });
    const first = await context.newPage();
    await first.goto(`${h.url}#/imports`);
    await first.getByTestId('signin-key').fill(h.keys.reviewer);
    await first.getByTestId('signin-submit').click();
    await first.getByLabel('Tệp cần nhập (CSV hoặc JSON)').waitFor();
    expect(await first.getByTestId('role').textContent()).toBe('Cán bộ duyệt');

    // A colleague signs in at the same browser with an admin key: the cookie now names that session.
    const second = await context.newPage();
    await second.goto(h.url);
    await second.getByTestId('sign-out').click();
    await second.getByTestId('signin-key').fill(h.keys.admin);
    await second.getByTestId('signin-submit').click();
    await second.getByTestId('sign-out').waitFor();

    // The first tab's next change is refused for its old CSRF token; it reloads as the admin, and says so.
    await first.getByLabel('Tệp cần nhập (CSV hoặc JSON)').setInputFiles({ name: 'a.csv', mimeType: 'text/csv', buffer: Buffer.from('bhxh_code\n') });
    await first.getByRole('button', { name: 'Tải lên' }).click();
    await expect.poll(() => first.getByTestId('role').textContent()).toBe('Quản trị');
    expect(await first.getByTestId('toast').last().textContent()).toContain('thẻ khác');
    await first.screenshot({ path: screenshotPath('console-session-changed') });
    await context.close();
  });
});
