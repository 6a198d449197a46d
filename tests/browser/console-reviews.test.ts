import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { ChatKey } from '../../src/messaging/types.js';
import { screenshotPath } from '../support/browser.js';
import { seedPerson } from '../support/cashless-helpers.js';
import { SimulatorChatDriver, textOf } from '../support/chat-driver.js';
import { startConsole, type ConsoleHarness } from '../support/console.js';
import { vnDate } from '../support/link-helpers.js';
import { seedPersonas } from '../support/personas.js';

const WAIT = { timeout: 10_000 };
const REFERENCE = /YC-[2-9A-HJKMNP-Z]{6}/;

interface RequestJson {
  id: string;
  reference: string;
  status: string;
  reviewReason: string | null;
}

/** The review item on screen, once it shows `text`. */
async function itemShowing(page: Page, text: string) {
  const item = page.getByTestId('review-item');
  await item.filter({ hasText: text }).waitFor({ state: 'visible', ...WAIT });
  return item;
}

describe('staff console: review queues', () => {
  let h: ConsoleHarness;
  const chat = (id: string) => new SimulatorChatDriver(() => h.app.url, id);
  const adminGet = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${h.app.url}/admin/api${path}`, { headers: { authorization: `Bearer ${h.keys.admin}` } });
    expect(res.status).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    h = await startConsole();
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('shows a request filed in the simulator chat, approves it with the A shortcut, and the chat is told', async () => {
    const person = await seedPerson(h.app, 501, { fullName: 'Phạm Thị Hoa', provinceCode: '01' });
    await h.app.domain.links.createSelfLink({ channel: 'simulator', chatId: 'rv-hoa' }, person.id, 'test');
    const user = chat('rv-hoa');
    await user.send('menu');
    await user.tap('Nhận lương hưu qua tài khoản');
    await user.tap('Tài khoản ngân hàng');
    await user.send('vietcom');
    await user.send('0071000123456');
    await user.send('PHAM THI HOA');
    const sent = textOf(await user.tap('Gửi yêu cầu'));
    const reference = REFERENCE.exec(sent)?.[0];
    expect(reference, sent).toBeTruthy();

    const page = await h.page(h.keys.reviewer, { hash: '#/reviews/requests' });
    const item = await itemShowing(page, reference!);
    const shown = (await item.textContent()) ?? '';
    expect(shown).toContain('Phạm Thị Hoa');
    expect(shown).toContain('Hà Nội (01)');
    // How she is paid now, beside what she asks for.
    expect(shown).toContain('Cách nhận hiện nayTiền mặt tại bưu điện');
    expect(shown).toContain('******0501');
    expect(shown).not.toContain(person.bhxhCode);
    expect(shown).toContain('Tài khoản ngân hàng');
    expect(shown).toContain('Vietcombank');
    expect(shown).toContain('*********3456');
    expect(shown).not.toContain('0071000123456');
    expect(shown).toContain('PHAM THI HOA');
    expect(shown).toContain('Chính người hưởng');
    expect(shown).toMatch(/Nếu duyệt hôm nay: chờ đến hết .+, áp dụng từ kỳ \d{2}\/\d{4}\./);
    expect(await page.getByTestId('name-match').textContent()).toBe('✓ Tên khớp với người hưởng');
    expect(await page.locator('main').textContent()).not.toMatch(/null|undefined|consoleReviews\./);
    expect(await page.getByTestId('not-me').count()).toBe(0);
    expect(await page.getByTestId('review-count').textContent()).toBe('Còn 1 mục chờ duyệt · Mục 1 / 1');
    expect(await page.getByTestId('tab-requests').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('approve').getAttribute('aria-keyshortcuts')).toBe('A');
    expect(await page.getByTestId('reject').getAttribute('aria-keyshortcuts')).toBe('R');
    expect(await page.getByTestId('next').getAttribute('aria-keyshortcuts')).toBe('J N');
    expect(await page.getByTestId('previous').getAttribute('aria-keyshortcuts')).toBe('K P');
    await page.screenshot({ path: screenshotPath('console-reviews-request'), fullPage: true });

    // "?" lists the shortcuts; Escape closes the list.
    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await help.waitFor({ state: 'visible', ...WAIT });
    expect(await help.textContent()).toContain('Duyệt mục đang xem');
    await page.screenshot({ path: screenshotPath('console-reviews-shortcuts') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached', ...WAIT });

    // A asks first; Escape backs out and nothing is decided.
    await page.keyboard.press('a');
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor({ state: 'visible', ...WAIT });
    expect(await dialog.textContent()).toContain(`Duyệt yêu cầu ${reference} của Phạm Thị Hoa?`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached', ...WAIT });
    expect((await adminGet<RequestJson>(`/requests/${reference}`)).status).toBe('submitted');

    await page.keyboard.press('a');
    await dialog.waitFor({ state: 'visible', ...WAIT });
    await page.screenshot({ path: screenshotPath('console-reviews-approve-dialog') });
    await page.getByTestId('dialog-confirm').click();
    await expect.poll(() => page.getByTestId('toast').last().textContent(), WAIT).toContain(`Đã duyệt ${reference}`);
    await page.getByText('Không còn yêu cầu đổi cách nhận lương hưu nào chờ duyệt').waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('console-reviews-approved') });

    expect((await adminGet<RequestJson>(`/requests/${reference}`)).status).toBe('approved');
    const told = textOf(await user.fetchNew());
    expect(told).toContain(`Yêu cầu ${reference} đã được cơ quan BHXH duyệt`);
    expect(told).toContain('Vietcombank');
    await page.context().close();
  });

  it('rejects a relative\'s registration with a chosen reason, and the relative is told why', async () => {
    await seedPersonas(h.app.domain, ['an']);
    const relative = chat('rv-son');
    await relative.send('/start');
    const first = await relative.tap('Đăng ký cho người thân');
    if (first.some((m) => m.buttons.some((b) => b.includes('Đồng ý')))) await relative.tap('Đồng ý');
    await relative.tap('Con');
    await relative.send('0101234567');
    await relative.send('05/03/1952');
    await relative.send('125/2026/UQ');
    await relative.send(vnDate({ days: -10 }));
    await relative.send('UBND xã Tân Lập');
    await relative.send(vnDate({ days: -10, months: 6 }));
    await relative.sendPhoto();
    expect(textOf(await relative.tap('Đúng, gửi đăng ký'))).toMatch(/LK-[0-9A-F]{6}/);

    const page = await h.page(h.keys.reviewer, { hash: '#/reviews/links' });
    const item = await itemShowing(page, 'Nguyễn Văn An');
    const shown = (await item.textContent()) ?? '';
    expect(shown).toContain('******4567');
    expect(shown).not.toContain('0101234567');
    expect(shown).toContain('Con');
    expect(shown).toContain('Người thân được ủy quyền');
    expect(shown).toContain('Giấy ủy quyền');
    expect(shown).toContain('125/2026/UQ');
    expect(shown).toContain('UBND xã Tân Lập');
    expect(await page.locator('main').textContent()).not.toMatch(/null|undefined|consoleReviews\./);
    // The paper's photo, through the evidence route (the simulator's placeholder image).
    await expect
      .poll(() => page.evaluate(() => {
        const img = document.querySelector<HTMLImageElement>('[data-testid="link-photo"]');
        const missing = document.querySelector<HTMLElement>('[data-testid="photo-missing"]');
        return img?.complete && img.naturalWidth > 0 ? 'shown' : missing && !missing.hidden ? 'fallback' : 'loading';
      }), WAIT)
      .toBe('shown');
    expect(await page.getByTestId('tab-links').getAttribute('aria-current')).toBe('page');
    await page.screenshot({ path: screenshotPath('console-reviews-link'), fullPage: true });

    await page.getByTestId('reject').click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor({ state: 'visible', ...WAIT });
    // An empty reason is refused in place.
    await page.getByTestId('dialog-confirm').click();
    expect(await dialog.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    const reason = 'Ảnh giấy tờ bị mờ, không đọc được. Xin chụp lại rõ nét và đăng ký lại.';
    await dialog.getByRole('button', { name: reason }).click();
    expect(await dialog.locator('textarea').inputValue()).toBe(reason);
    // Typing in the reason is typing, not shortcuts: "a" and "j" go into the text.
    await dialog.locator('textarea').press('End');
    await dialog.locator('textarea').pressSequentially(' Cảm ơn anh/chị.');
    await page.screenshot({ path: screenshotPath('console-reviews-reject-dialog') });
    await page.getByTestId('dialog-confirm').click();
    await expect.poll(() => page.getByTestId('toast').last().textContent(), WAIT).toContain('Đã từ chối LK-');
    await page.getByText('Không còn đăng ký người thân nào chờ duyệt').waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('console-reviews-link-rejected') });

    const { items } = await adminGet<{ items: (RequestJson & { beneficiary: { fullName: string } })[] }>('/links?status=rejected');
    const rejected = items.find((l) => l.beneficiary.fullName === 'Nguyễn Văn An');
    expect(rejected?.reviewReason).toBe(`${reason} Cảm ơn anh/chị.`);
    const told = textOf(await relative.fetchNew());
    expect(told).toContain('Cán bộ BHXH chưa duyệt đăng ký làm thay cho Nguyễn Văn An');
    expect(told).toContain(`Lý do: ${reason} Cảm ơn anh/chị.`);
    await page.context().close();
  });

  it('lets a viewer see the queue (the "this was not me" flag, the name mismatch) but not decide; the API refuses too', async () => {
    const person = await seedPerson(h.app, 502, { fullName: 'Đỗ Văn Minh', provinceCode: '01' });
    const requester: ChatKey = { channel: 'simulator', chatId: 'rv-minh' };
    const family: ChatKey = { channel: 'simulator', chatId: 'rv-minh-daughter' };
    await h.app.domain.links.createSelfLink(requester, person.id, 'test');
    await h.app.domain.links.createSelfLink(family, person.id, 'test');
    const service = h.app.domain.paymentMethods;
    const submitted = await service.submit(requester, person.id, {
      kind: 'bank',
      bankBin: '970405',
      account: service.sealAccount('1500205999888').sealed,
      holderName: 'NGUYEN THI LAN',
    });
    if (!submitted.ok) throw new Error(`submit refused: ${submitted.reason}`);
    expect(await service.reportNotMe(submitted.reference, family)).toBe('frozen');
    // A younger request, second in the queue.
    const later = await seedPerson(h.app, 503, { fullName: 'Vũ Thị Mai', provinceCode: '01' });
    const laterChat: ChatKey = { channel: 'simulator', chatId: 'rv-mai' };
    await h.app.domain.links.createSelfLink(laterChat, later.id, 'test');
    // Paid at the post office now: asks for cash at home.
    const second = await service.submit(laterChat, later.id, { kind: 'cash_home', homeReason: 'mobility' });
    if (!second.ok) throw new Error(`submit refused: ${second.reason}`);

    const page = await h.page(h.keys.viewer, { hash: '#/reviews/requests' });
    const item = await itemShowing(page, submitted.reference);
    expect(await page.getByTestId('not-me').textContent()).toContain('CẢNH BÁO: "Đây không phải tôi"');
    expect(await page.getByTestId('name-match').textContent()).toContain('✗ Tên KHÁC tên người hưởng');
    expect(await item.textContent()).not.toContain('1500205999888');
    expect(await page.getByTestId('viewer-note').isVisible()).toBe(true);
    expect(await page.getByTestId('approve').count()).toBe(0);
    expect(await page.getByTestId('reject').count()).toBe(0);
    // The shortcuts do nothing for a viewer either.
    await page.keyboard.press('a');
    await page.keyboard.press('r');
    expect(await page.locator('dialog[open]').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-reviews-viewer'), fullPage: true });

    const { id } = await adminGet<RequestJson>(`/requests/${submitted.reference}`);
    const answers = await page.evaluate(async (requestId) => {
      const session = (await (await fetch('/console/session')).json()) as { csrfToken: string };
      const body = JSON.stringify({ reason: 'Người hưởng báo không phải mình.' });
      const withCsrf = await fetch(`/admin/api/requests/${requestId}/reject`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrfToken },
        body,
      });
      const withoutCsrf = await fetch(`/admin/api/requests/${requestId}/reject`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      return {
        withCsrf: [withCsrf.status, ((await withCsrf.json()) as { code: string }).code],
        withoutCsrf: withoutCsrf.status,
      };
    }, id);
    expect(answers).toEqual({ withCsrf: [403, 'forbidden'], withoutCsrf: 403 });

    // A reviewer's session is refused without the CSRF header as well: the header, not the role, is what failed.
    const reviewer = await h.page(h.keys.reviewer, { hash: '#/reviews/requests' });
    await itemShowing(reviewer, submitted.reference);
    // Frozen: only rejection is possible, and the page says so.
    expect(await reviewer.getByTestId('approve').isDisabled()).toBe(true);
    expect(await reviewer.getByTestId('review-count').textContent()).toBe('Còn 2 mục chờ duyệt · Mục 1 / 2');
    // J moves on (oldest first, so the younger request is second), K comes back.
    await reviewer.keyboard.press('j');
    await itemShowing(reviewer, second.reference);
    expect(await reviewer.getByTestId('review-count').textContent()).toBe('Còn 2 mục chờ duyệt · Mục 2 / 2');
    expect(await reviewer.getByTestId('approve').isDisabled()).toBe(false);
    expect(await reviewer.getByTestId('next').isDisabled()).toBe(true);
    // Single-key shortcuts can be turned off (WCAG 2.1.4): A then does nothing, and the hints go.
    const toggle = reviewer.getByTestId('shortcuts-toggle');
    expect(await toggle.isChecked()).toBe(true);
    await reviewer.getByLabel('Dùng phím tắt').uncheck();
    expect(await reviewer.evaluate(() => localStorage.getItem('lhb-console-shortcuts'))).toBe('off');
    expect(await reviewer.getByTestId('approve').getAttribute('aria-keyshortcuts')).toBeNull();
    expect(await reviewer.getByTestId('approve').locator('kbd').isVisible()).toBe(false);
    // Off the checkbox (an input, where keys never act), as an officer reading the item would be.
    await reviewer.getByTestId('review-heading').focus();
    await reviewer.keyboard.press('a');
    await reviewer.keyboard.press('k');
    expect(await reviewer.locator('dialog[open]').count()).toBe(0);
    expect(await reviewer.getByTestId('review-count').textContent()).toBe('Còn 2 mục chờ duyệt · Mục 2 / 2');
    // Turned back on, the same key from the same place asks to approve.
    await toggle.check();
    expect(await reviewer.getByTestId('approve').getAttribute('aria-keyshortcuts')).toBe('A');
    await reviewer.getByTestId('review-heading').focus();
    await reviewer.keyboard.press('a');
    const approveDialog = reviewer.locator('dialog[open]');
    await approveDialog.waitFor({ state: 'visible', ...WAIT });
    await reviewer.keyboard.press('Escape');
    await approveDialog.waitFor({ state: 'detached', ...WAIT });
    await reviewer.keyboard.press('k');
    await itemShowing(reviewer, submitted.reference);
    const noHeader = await reviewer.evaluate(async (requestId) => {
      const res = await fetch(`/admin/api/requests/${requestId}/reject`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ reason: 'Người hưởng báo không phải mình.' }),
      });
      return [res.status, ((await res.json()) as { code: string }).code];
    }, id);
    expect(noHeader).toEqual([403, 'csrf_failed']);
    expect((await adminGet<RequestJson>(`/requests/${submitted.reference}`)).status).toBe('frozen');
    await reviewer.context().close();
    await page.context().close();
  });
});
