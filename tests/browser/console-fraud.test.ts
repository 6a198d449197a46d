import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { TEST_SECRET } from '../support/app.js';
import { screenshotPath } from '../support/browser.js';
import { TelegramChatDriver, textOf } from '../support/chat-driver.js';
import { seriousAxeViolations, startConsole, type ConsoleHarness } from '../support/console.js';
import { seedPersonas } from '../support/personas.js';
import { seedPerson } from '../support/cashless-helpers.js';

const WAIT = { timeout: 10_000 };
const CASE = /LD-\d{4}-\d{6}/;
const CHAT_ID = 710_001;

/** Width the browser decoded for an <img>: 0 until a real image has loaded. */
const naturalWidth = (img: Locator) => img.evaluate((el) => ((el as HTMLImageElement).complete ? (el as HTMLImageElement).naturalWidth : 0));

async function caseRow(page: Page, caseNumber: string): Promise<Locator> {
  const row = page.locator(`[data-testid="fraud-row"][data-case="${caseNumber}"]`);
  await row.waitFor({ state: 'visible', ...WAIT });
  return row;
}

describe('staff console: fraud cases', () => {
  let h: ConsoleHarness;
  let caseNumber = '';
  let user: TelegramChatDriver;
  /** file_id of the photo the reporter sent, as the bot stored it. */
  let photoId = '';

  beforeAll(async () => {
    h = await startConsole();
    // The reporter's record is in province 01, so the case is the 01 reviewer's.
    const ids = await seedPersonas(h.app.domain, ['an']);
    await h.app.domain.links.createSelfLink({ channel: 'telegram', chatId: String(CHAT_ID) }, ids.an, 'test');

    // Filed through the real Telegram webhook, photo included, as a pensioner would.
    user = new TelegramChatDriver(h.telegram, () => `${h.app.url}/webhooks/telegram`, TEST_SECRET, CHAT_ID);
    await user.send('/start');
    await user.tap('Báo cáo lừa đảo');
    await user.tap('Hỏi mã OTP');
    await user.send('Có người gọi xưng cán bộ BHXH, bảo tôi đọc mã OTP 482913 để cập nhật lương hưu');
    await user.send('0987 111 222');
    await user.tap('Có, tôi đã mất tiền');
    await user.send('5 triệu');
    expect(textOf(await user.sendPhoto())).toContain('Đã nhận 1 ảnh');
    await user.tap('Xong');
    const done = textOf(await user.tap('Gửi báo cáo'));
    caseNumber = CASE.exec(done)?.[0] ?? '';
    expect(caseNumber, done).not.toBe('');
    const stored = await h.app.connection.collection('fraud_reports').findOne({ caseNumber });
    photoId = String(stored?.photoRefs?.[0] ?? '');
    expect(photoId).toMatch(/^photo-\d+$/);
  }, 60_000);

  afterAll(async () => {
    await h?.stop();
  });

  it('lists the case with its badges, and opens it with the photo the reporter sent', async () => {
    const page = await h.page(h.keys.reviewer, { hash: '#/fraud' });
    const row = await caseRow(page, caseNumber);
    const cells = (await row.textContent()) ?? '';
    expect(cells).toContain('Hỏi mã OTP, mã PIN, số thẻ');
    expect(cells).toContain('Khẩn cấp');
    expect(cells).toContain('Mới');
    expect(cells).toContain('5.000.000 đ');
    expect(await page.getByTestId('fraud-count').textContent()).toBe('Tìm thấy 1 hồ sơ');
    await page.screenshot({ path: screenshotPath('console-fraud-list'), fullPage: true });

    await row.getByRole('link', { name: caseNumber }).click();
    await page.getByRole('heading', { level: 1, name: `Hồ sơ ${caseNumber}` }).waitFor(WAIT);
    expect(await page.getByTestId('case-description').textContent()).toContain('mã OTP ***');
    expect(await page.getByTestId('case-description').textContent()).not.toContain('482913');
    expect(await page.getByTestId('case-money').textContent()).toBe('Có, 5.000.000 đ');
    expect(await page.getByTestId('case-reporter').textContent()).toBe('Qua Telegram, nói Tiếng Việt');
    expect(await page.getByTestId('case-reporter-contact').textContent()).toContain('Được ẩn');
    expect(await page.content()).not.toContain(String(CHAT_ID));

    const thumb = page.getByTestId('photo-thumb');
    expect(await thumb.count()).toBe(1);
    expect(await thumb.getAttribute('alt')).toBe(`Ảnh bằng chứng 1 / 1 của hồ sơ ${caseNumber}`);
    await expect.poll(() => naturalWidth(thumb), WAIT).toBe(160);
    // The image came from Telegram: getFile for the stored file_id, then the file download.
    expect(h.telegram.callsTo('getFile').map((c) => c.params.file_id)).toContain(photoId);
    await page.screenshot({ path: screenshotPath('console-fraud-case'), fullPage: true });

    // Keyboard only: focus the thumbnail, Enter opens the larger view, Escape closes it.
    await page.getByRole('button', { name: 'Xem ảnh 1 / 1 cỡ lớn' }).focus();
    await page.keyboard.press('Enter');
    const viewer = page.getByTestId('photo-viewer');
    await viewer.waitFor({ state: 'visible', ...WAIT });
    expect(await viewer.getByRole('heading').textContent()).toBe(`Ảnh 1 / 1 — hồ sơ ${caseNumber}`);
    await expect.poll(() => naturalWidth(page.getByTestId('photo-large')), WAIT).toBe(160);
    await page.screenshot({ path: screenshotPath('console-fraud-photo') });
    await page.keyboard.press('Escape');
    await viewer.waitFor({ state: 'hidden', ...WAIT });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Xem ảnh 1 / 1 cỡ lớn');

    // Every view is in the audit log against the case.
    const audits = await h.app.connection.collection('audit_log').find({ action: 'evidence_photo.read', 'target.id': caseNumber }).toArray();
    expect(audits.length).toBeGreaterThanOrEqual(1);
    expect(audits[0]?.details).toMatchObject({ index: 0, platform: 'telegram' });
    await page.close();
  });

  it('moves the case to in progress, then closes it, with notes; the reporter is told each time', async () => {
    const page = await h.page(h.keys.reviewer, { hash: `#/fraud/${caseNumber}?severity=urgent` });
    const select = page.getByTestId('status-select');
    await select.waitFor(WAIT);
    expect(await select.locator('option').allTextContents()).toEqual(['— Chọn trạng thái mới —', 'Đang xử lý', 'Đã chuyển Công an', 'Đã đóng']);

    // Submitting without a choice is caught on the page.
    await page.getByTestId('status-submit').click();
    expect(await page.getByText('Vui lòng chọn trạng thái mới.').isVisible()).toBe(true);

    await select.selectOption('in_review');
    await page.getByTestId('status-note').fill('Đã gọi lại cho người báo, hướng dẫn khoá tài khoản ngân hàng.');
    await page.getByTestId('status-submit').click();
    await page.getByTestId('toast').filter({ hasText: `Đã chuyển hồ sơ ${caseNumber} sang "Đang xử lý". Người báo đã nhận tin nhắn.` }).waitFor(WAIT);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).locator('..').getByTestId('status-badge').first().textContent(), WAIT).toBe('Đang xử lý');
    expect(await page.getByTestId('note').allTextContents()).toEqual([expect.stringContaining('Đã gọi lại cho người báo')]);
    expect(await page.getByTestId('note').textContent()).toContain('· reviewer (test)');
    expect(textOf(user.history())).toContain(`Hồ sơ lừa đảo ${caseNumber} của Ông/Bà đang được cán bộ BHXH xem xét.`);
    // Only the moves the API allows from "in review" are offered now.
    expect(await select.locator('option').allTextContents()).toEqual(['— Chọn trạng thái mới —', 'Đã chuyển Công an', 'Đã đóng']);
    await page.screenshot({ path: screenshotPath('console-fraud-in-review'), fullPage: true });

    // A separate note, then closing (final: asks first).
    await page.getByTestId('note-text').fill('Ngân hàng đã phong toả tài khoản nhận tiền.');
    await page.getByTestId('note-submit').click();
    await expect.poll(() => page.getByTestId('note').count(), WAIT).toBe(2);

    await page.getByTestId('status-select').selectOption('closed');
    await page.getByTestId('status-note').fill('Đã xử lý xong, người báo được hoàn tiền.');
    await page.getByTestId('status-submit').click();
    const dialog = page.getByRole('dialog', { name: 'Đóng hồ sơ?' });
    await dialog.waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('console-fraud-close-confirm') });
    await dialog.getByTestId('dialog-confirm').click();
    await page.getByTestId('status-final').waitFor(WAIT);
    // The form the officer used is gone; focus stays in the status box rather than falling to <body>.
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')), WAIT).toBe('status-final');
    expect(await page.getByTestId('note').count()).toBe(3);
    expect(textOf(user.history())).toContain(`Hồ sơ lừa đảo ${caseNumber} của Ông/Bà đã được xử lý xong.`);
    const stored = await h.app.connection.collection('fraud_reports').findOne({ caseNumber });
    expect(stored?.status).toBe('closed');
    await page.screenshot({ path: screenshotPath('console-fraud-closed'), fullPage: true });

    // Back to the list keeps the filter the case was opened from.
    await page.getByTestId('back-to-list').click();
    await caseRow(page, caseNumber);
    expect(await page.getByTestId('filter-urgent').isChecked()).toBe(true);
    await page.close();
  });

  it('finds the case with the list filters and exports what the filters show as CSV', async () => {
    const page = await h.page(h.keys.reviewer, { hash: '#/fraud' });
    await caseRow(page, caseNumber);

    // A filter that excludes it.
    await page.getByTestId('filter-status').selectOption('new');
    await page.getByTestId('filter-apply').click();
    await page.getByText('Không có hồ sơ nào khớp bộ lọc.').waitFor(WAIT);

    // Part of the case number, closed, urgent, reported today.
    const today = await page.evaluate(() => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date()));
    await page.getByLabel('Số hồ sơ').fill(caseNumber.slice(-6));
    await page.getByTestId('filter-status').selectOption('closed');
    await page.getByTestId('filter-category').selectOption('otp_request');
    await page.getByTestId('filter-urgent').check();
    await page.getByTestId('filter-from').fill(today);
    await page.getByTestId('filter-to').fill(today);
    await page.getByTestId('filter-apply').click();
    const row = await caseRow(page, caseNumber);
    expect(await row.textContent()).toContain('Đã đóng');
    expect(await page.getByTestId('fraud-count').textContent()).toBe('Tìm thấy 1 hồ sơ');
    expect(await page.evaluate(() => location.hash)).toContain(`q=${caseNumber.slice(-6)}`);
    await page.screenshot({ path: screenshotPath('console-fraud-filtered'), fullPage: true });

    // An invalid search is explained (the server's check), and the filters shown stay.
    await page.getByLabel('Số hồ sơ').fill('LD 2026');
    await page.getByTestId('filter-apply').click();
    await page.getByText('Số hồ sơ chỉ gồm chữ, số và dấu gạch ngang').waitFor(WAIT);
    expect(await page.evaluate(() => location.hash)).toContain(`q=${caseNumber.slice(-6)}`);
    await page.getByLabel('Số hồ sơ').fill(caseNumber.slice(-6));

    const exportLink = page.getByTestId('fraud-export');
    expect(await exportLink.getAttribute('href')).toContain(`q=${caseNumber.slice(-6)}`);
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), exportLink.click()]);
    expect(download.suggestedFilename()).toBe('fraud-cases.csv');
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toContain('caseNumber,createdAt,status');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(caseNumber);
    expect(lines[1]).toContain('closed');
    await page.close();
  });

  it('lets a viewer read the case without photos or changes, and keeps other provinces out', async () => {
    const viewer = await h.page(h.keys.viewer, { hash: `#/fraud/${caseNumber}` });
    await viewer.getByTestId('viewer-note').waitFor(WAIT);
    expect(await viewer.getByTestId('photos-reviewer-only').textContent()).toBe('Hồ sơ có 1 ảnh. Chỉ cán bộ duyệt mới được xem ảnh bằng chứng.');
    expect(await viewer.getByTestId('photo-thumb').count()).toBe(0);
    expect(await viewer.getByTestId('status-select').count()).toBe(0);
    expect(await viewer.getByTestId('note-text').count()).toBe(0);
    expect(await viewer.getByTestId('note').count()).toBe(3);
    await viewer.screenshot({ path: screenshotPath('console-fraud-viewer'), fullPage: true });
    await viewer.close();

    const other = await h.page(h.keys.reviewer79, { hash: '#/fraud' });
    await other.getByText('Không có hồ sơ nào khớp bộ lọc.').waitFor(WAIT);
    await other.evaluate((n) => (location.hash = `#/fraud/${n}`), caseNumber);
    await other.getByRole('alert').filter({ hasText: 'Không tìm thấy mục này' }).waitFor(WAIT);
    await other.close();
  });

  it('pages through a long list, 20 cases a page, keeping the filters', async () => {
    // Province 79's own cases: the 01 reviewer's pages above never see them.
    const person = await seedPerson(h.app, 7901, { provinceCode: '79', fullName: 'Võ Văn Tám' });
    const chat = { channel: 'simulator', chatId: 'fraud-79' } as const;
    await h.app.domain.links.createSelfLink(chat, person.id, 'test');
    const filed: string[] = [];
    for (let i = 0; i < 23; i++) {
      const receipt = await h.app.domain.fraud.report({
        chat, locale: 'vi', category: 'other', description: `Tin nhắn lạ số ${i}`, scammerContact: null, moneyLost: false, amountLost: null, photoRefs: [],
      });
      filed.push(receipt.caseNumber);
    }
    const page = await h.page(h.keys.reviewer79, { hash: '#/fraud?category=other' });
    await caseRow(page, filed[22]!);
    expect(await page.getByTestId('fraud-count').textContent()).toBe('Tìm thấy 23 hồ sơ');
    expect(await page.getByTestId('fraud-row').count()).toBe(20);
    expect(await page.getByTestId('page-number').textContent()).toBe('Trang 1 / 2');
    await page.getByTestId('page-next').click();
    await caseRow(page, filed[0]!);
    expect(await page.getByTestId('fraud-row').count()).toBe(3);
    expect(await page.getByTestId('page-number').textContent()).toBe('Trang 2 / 2');
    expect(await page.getByTestId('filter-category').inputValue()).toBe('other');
    await page.screenshot({ path: screenshotPath('console-fraud-page2'), fullPage: true });
    await page.getByTestId('page-previous').click();
    await caseRow(page, filed[22]!);
    // A page past the end (an old link) shows the last page, not an empty one.
    await page.evaluate(() => {
      location.hash = '#/fraud?category=other&page=9';
    });
    await caseRow(page, filed[0]!);
    expect(await page.getByTestId('fraud-row').count()).toBe(3);
    expect(await page.getByTestId('page-number').textContent()).toBe('Trang 2 / 2');
    await page.close();
  });

  it('reads in English, and reflows at 200% zoom (640 px) without sideways scrolling', async () => {
    const english = await h.page(h.keys.reviewer, { hash: '#/fraud', locale: 'en' });
    const row = await caseRow(english, caseNumber);
    const cells = (await row.textContent()) ?? '';
    expect(cells).toContain('Asked for OTP, PIN or card');
    expect(cells).toContain('Urgent');
    expect(cells).toContain('Closed');
    expect(await english.getByTestId('fraud-export').textContent()).toBe('Download CSV');
    await english.close();

    for (const hash of ['#/fraud', `#/fraud/${caseNumber}`]) {
      const page = await h.page(h.keys.reviewer, { hash, viewport: { width: 640, height: 400 } });
      await page.getByRole('heading', { level: 1 }).waitFor(WAIT);
      if (hash === '#/fraud') await caseRow(page, caseNumber);
      else await expect.poll(() => naturalWidth(page.getByTestId('photo-thumb')), WAIT).toBe(160);
      const overflow = await page.evaluate(() => {
        const main = document.getElementById('main')!;
        return { main: main.scrollWidth - main.clientWidth, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
      });
      expect(overflow, hash).toEqual({ main: 0, page: 0 });
      await page.screenshot({ path: screenshotPath(hash === '#/fraud' ? 'console-fraud-list-zoom200' : 'console-fraud-case-zoom200'), fullPage: true });
      await page.close();
    }
  });

  it('has no serious or critical axe-core violations on a case page with its photo open', async () => {
    const page = await h.page(h.keys.reviewer, { hash: `#/fraud/${caseNumber}` });
    await expect.poll(() => naturalWidth(page.getByTestId('photo-thumb')), WAIT).toBe(160);
    const onPage = await seriousAxeViolations(page);
    if (onPage.length > 0) console.log('axe violations on the fraud case page:', JSON.stringify(onPage, null, 2));
    expect(onPage).toEqual([]);
    await page.getByRole('button', { name: 'Xem ảnh 1 / 1 cỡ lớn' }).click();
    await page.getByTestId('photo-viewer').waitFor(WAIT);
    const inDialog = await seriousAxeViolations(page);
    expect(inDialog).toEqual([]);
    await page.close();
  });
});
