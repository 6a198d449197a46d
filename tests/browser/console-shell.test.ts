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

  it('signs out by itself after the idle timeout, even while a page keeps polling', async () => {
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
});
