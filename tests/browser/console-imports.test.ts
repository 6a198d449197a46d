import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotPath } from '../support/browser.js';
import { seriousAxeViolations, startConsole, type ConsoleHarness } from '../support/console.js';
import { REGISTER_HEADER, registerRow } from '../support/imports-api.js';

const WAIT = { timeout: 15_000 };
const WRONG_COLUMNS = fileURLToPath(new URL('../support/fixtures/imports-ledger-wrong-columns.csv', import.meta.url));

/** More rows than one batch of 500, so the job reports progress more than once. */
const PEOPLE = 620;
const bhxhCode = (n: number) => `01${String(n).padStart(8, '0')}`;

const register = [REGISTER_HEADER, ...Array.from({ length: PEOPLE }, (_, i) => registerRow(i + 1))].join('\r\n');

/**
 * A March ledger for every registered person, with refused rows placed in the
 * first batch and in the last one. Row numbers are spreadsheet rows (header = 1).
 */
function ledgerCsv(): { csv: string; total: number; bad: { row: number; column: string; code: string; vi: string }[] } {
  const lines = Array.from({ length: PEOPLE }, (_, i) => `${bhxhCode(i + 1)},2026-03,"4.350.000",cash_post,paid,05/03/2026,`);
  const bad = [
    { at: 3, line: '0199999999,2026-03,4350000,cash_post,paid,,', column: 'bhxh_code', code: 'unknown_beneficiary', vi: 'Không có người hưởng nào với mã số BHXH này' },
    { at: 10, line: `${bhxhCode(5)},2026-13,4350000,cash_post,paid,,`, column: 'period', code: 'invalid_period', vi: 'Kỳ chi trả phải ghi dạng YYYY-MM' },
    { at: 250, line: `${bhxhCode(6)},2026-03,bốn triệu,cash_post,paid,,`, column: 'amount', code: 'invalid_amount', vi: 'Số tiền phải là số đồng nguyên dương' },
    { at: 600, line: `${bhxhCode(7)},2026-03,4350000,cash_post,mất,,`, column: 'status', code: 'invalid_status', vi: 'Trạng thái phải là scheduled' },
    { at: 610, line: `${bhxhCode(1)},2026-03,4350000,cash_post,paid,,`, column: 'bhxh_code', code: 'duplicate_in_file', vi: 'đã có ở dòng 2' },
  ];
  // Insert from the end so earlier positions stay put.
  for (const b of [...bad].reverse()) lines.splice(b.at, 0, b.line);
  const rows = bad.map((b) => ({ row: lines.indexOf(b.line) + 2, column: b.column, code: b.code, vi: b.vi }));
  return { csv: ['bhxh_code,period,amount,method,status,date,destination', ...lines].join('\r\n'), total: lines.length, bad: rows };
}

async function chooseFile(page: Page, name: string, content: string | Buffer): Promise<void> {
  await page.getByLabel('Tệp cần nhập (CSV hoặc JSON)').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(content) });
  await expect.poll(() => page.locator('#imports-file-info').textContent(), WAIT).toContain(name);
}

/** Uploads the chosen file and waits for the import's own page; returns its id. */
async function upload(page: Page): Promise<string> {
  await page.getByRole('button', { name: 'Tải lên' }).click();
  await page.waitForURL(/#\/imports\/[0-9a-f]{24}$/, WAIT);
  return new URL(page.url()).hash.split('/')[2] ?? '';
}

async function waitUntilDone(page: Page): Promise<void> {
  await page.locator('.imports-status [data-status="done"]').waitFor(WAIT);
}

const figure = (page: Page, name: string) => page.locator(`[data-figure="${name}"] dd`).textContent();

/**
 * The page as a 1280-pixel laptop shows it at 200% zoom (640 CSS pixels): nothing
 * wider than the window, wide tables scroll inside their own box. Restores the size.
 */
async function fitsAtDoubleZoom(page: Page, name: string): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 640, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
  await page.screenshot({ path: screenshotPath(name), fullPage: true });
  if (size) await page.setViewportSize(size);
}

describe('staff console: imports', () => {
  let h: ConsoleHarness;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    h = await startConsole();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('imports the register, then a ledger with bad rows: progress to the end, summary, error table and errors.csv', async () => {
    const page = await h.page(h.keys.reviewer, { hash: '#/imports' });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.getByRole('heading', { level: 1, name: 'Nhập dữ liệu' }).waitFor(WAIT);
    await expect.poll(() => page.locator('.imports-recent .empty').textContent(), WAIT).toBe('Chưa có lần nhập nào.');

    // Uploading with no file chosen says so next to the field.
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await expect.poll(() => page.locator('#imports-file-error').textContent()).toBe('Vui lòng chọn một tệp trước khi tải lên.');

    // The expected columns are explained, with the header line to copy.
    await page.getByText('Xem các cột cần có').click();
    expect(await page.getByTestId('example-header').textContent()).toBe(REGISTER_HEADER);
    await page.screenshot({ path: screenshotPath('console-imports-form'), fullPage: true });

    // 1. The register, through the page (the default kind).
    expect(await page.getByLabel('Danh sách người hưởng').isChecked()).toBe(true);
    await chooseFile(page, 'danh-sach-thang-3.csv', register);
    expect(await page.locator('#imports-file-error').isHidden()).toBe(true);
    const registerId = await upload(page);
    await waitUntilDone(page);
    expect(await figure(page, 'created')).toBe(String(PEOPLE));
    expect(await figure(page, 'rejected')).toBe('0');
    expect(await page.locator('.imports-no-errors').textContent()).toBe('Không có dòng nào bị từ chối.');
    await page.screenshot({ path: screenshotPath('console-imports-register-done'), fullPage: true });

    // 2. The ledger with refused rows.
    await page.getByRole('link', { name: '← Quay lại trang nhập dữ liệu' }).click();
    await page.getByLabel('Bảng chi trả hằng tháng').check();
    expect(await page.getByTestId('example-header').textContent()).toBe('bhxh_code,period,amount,method,status,date,destination');
    const ledger = ledgerCsv();
    await chooseFile(page, 'bang-chi-tra-2026-03.csv', ledger.csv);
    const ledgerId = await upload(page);
    expect(ledgerId).not.toBe(registerId);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent(), WAIT).toBe('Nhập dữ liệu: Bảng chi trả hằng tháng');

    // The bar is polled until the job ends, then shows every row processed.
    await waitUntilDone(page);
    const bar = page.getByRole('progressbar');
    expect(await bar.getAttribute('aria-valuenow')).toBe(String(ledger.total));
    expect(await bar.getAttribute('aria-valuemax')).toBe(String(ledger.total));
    expect(await page.getByTestId('imports-progress-text').textContent()).toBe(`Đã xử lý ${ledger.total} / ${ledger.total} dòng`);
    expect(await figure(page, 'created')).toBe(String(PEOPLE));
    expect(await figure(page, 'updated')).toBe('0');
    expect(await figure(page, 'unchanged')).toBe('0');
    expect(await figure(page, 'rejected')).toBe(String(ledger.bad.length));

    const table = page.locator('table.imports-errors-table');
    expect(await table.locator('caption').textContent()).toBe(`${ledger.bad.length} lỗi đầu tiên (tổng số dòng bị từ chối: ${ledger.bad.length})`);
    const shown = await table.locator('tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ code: tr.getAttribute('data-code'), cells: Array.from(tr.querySelectorAll('td'), (td) => td.textContent ?? '') })),
    );
    expect(shown.map((r) => [r.code, Number(r.cells[0]), r.cells[1]])).toEqual(ledger.bad.map((b) => [b.code, b.row, b.column]));
    ledger.bad.forEach((b, i) => expect(shown[i]?.cells[2]).toContain(b.vi));
    await page.screenshot({ path: screenshotPath('console-imports-ledger-errors'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await fitsAtDoubleZoom(page, 'console-imports-ledger-errors-200');

    // The download carries every refused row with its reason, as the officer's spreadsheet will read it.
    const [download] = await Promise.all([page.waitForEvent('download', WAIT), page.getByRole('link', { name: 'Tải danh sách lỗi (CSV)' }).click()]);
    expect(download.suggestedFilename()).toBe(`import-${ledgerId}-errors.csv`);
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv.startsWith('\uFEFFrow,column,code,message_vi,message_en')).toBe(true);
    const lines = csv.trim().split(/\r?\n/).slice(1);
    expect(lines).toHaveLength(ledger.bad.length);
    ledger.bad.forEach((b, i) => {
      expect(lines[i]).toMatch(new RegExp(`^${b.row},${b.column},${b.code},`));
      expect(lines[i]).toContain(b.vi);
    });

    // 3. Both imports are listed, newest first, and open from the list.
    await page.getByRole('link', { name: '← Quay lại trang nhập dữ liệu' }).click();
    const recent = page.locator('.imports-recent-table tbody tr');
    await expect.poll(() => recent.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-import-id'))), WAIT).toEqual([ledgerId, registerId]);
    expect(await recent.first().locator('td').nth(1).textContent()).toBe('Bảng chi trả hằng tháng');
    expect(await recent.first().locator('td').nth(7).textContent()).toBe(String(ledger.bad.length));
    await page.screenshot({ path: screenshotPath('console-imports-recent'), fullPage: true });
    await recent.nth(1).getByRole('link', { name: 'Xem' }).click();
    await page.waitForURL(new RegExp(`#/imports/${registerId}$`), WAIT);
    await waitUntilDone(page);
    expect(await figure(page, 'created')).toBe(String(PEOPLE));

    // The ledger reached the database as the page said.
    expect(await h.app.connection.collection('payments').countDocuments({ period: '2026-03' })).toBe(PEOPLE);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('refuses a file with the wrong columns, naming them, and keeps the chosen file', async () => {
    const page = await h.page(h.keys.reviewer, { hash: '#/imports?kind=ledger' });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.getByLabel('Tệp cần nhập (CSV hoặc JSON)').waitFor(WAIT);
    expect(await page.getByLabel('Bảng chi trả hằng tháng').isChecked()).toBe(true);
    const jobsBefore = await h.app.connection.collection('import_jobs').countDocuments();

    await page.getByLabel('Tệp cần nhập (CSV hoặc JSON)').setInputFiles(WRONG_COLUMNS);
    await page.getByRole('button', { name: 'Tải lên' }).click();
    const error = page.locator('#imports-file-error');
    await error.waitFor({ state: 'visible', ...WAIT });
    const lines = await error.locator('p').allTextContents();
    expect(lines[0]).toBe('Tiêu đề tệp không đúng mẫu. Không có dòng nào được nhập.');
    expect(lines).toContain('Thiếu cột bắt buộc: bhxh_code, period, amount, method, status');
    expect(lines).toContain('Cột không nhận ra: ma_bhxh, ky_chi_tra, so_tien, hinh_thuc, trang_thai');
    // Still on the form, the file still chosen, the field marked invalid and described by the message.
    expect(new URL(page.url()).hash).toBe('#/imports?kind=ledger');
    const input = page.getByLabel('Tệp cần nhập (CSV hoặc JSON)');
    expect(await input.evaluate((el) => (el as HTMLInputElement).files?.[0]?.name)).toBe('imports-ledger-wrong-columns.csv');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    expect(await input.getAttribute('aria-describedby')).toContain('imports-file-error');
    expect(await page.locator('#imports-file-info').textContent()).toContain('imports-ledger-wrong-columns.csv');
    await page.screenshot({ path: screenshotPath('console-imports-bad-columns'), fullPage: true });
    expect(await seriousAxeViolations(page)).toEqual([]);
    await fitsAtDoubleZoom(page, 'console-imports-bad-columns-200');
    expect(await h.app.connection.collection('import_jobs').countDocuments()).toBe(jobsBefore);

    // The same refusal in English after switching language.
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByLabel('File to import (CSV or JSON)').setInputFiles(WRONG_COLUMNS);
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect.poll(() => page.locator('#imports-file-error p').first().textContent(), WAIT).toBe("The file's header does not match. Nothing was imported.");
    expect(await page.locator('#imports-file-error').textContent()).toContain('Missing required columns: bhxh_code, period, amount, method, status');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('takes a JSON file of rows, and refuses a spreadsheet file before sending it', async () => {
    const page = await h.page(h.keys.reviewer, { hash: '#/imports?kind=ledger' });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    const input = page.getByLabel('Tệp cần nhập (CSV hoặc JSON)');
    await input.waitFor(WAIT);

    await input.setInputFiles({ name: 'bang-chi-tra.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from('PK') });
    await page.getByRole('button', { name: 'Tải lên' }).click();
    await expect.poll(() => page.locator('#imports-file-error').textContent(), WAIT).toBe('Chỉ nhận tệp .csv hoặc .json.');

    await page.screenshot({ path: screenshotPath('console-imports-wrong-type'), fullPage: true });

    // A bare array is what most tools export; the page wraps it as the API's { rows }.
    // The person was registered by the first test of this file.
    const rows = [{ bhxh_code: bhxhCode(2), period: '2026-04', amount: 4_350_000, method: 'cash_post', status: 'scheduled', date: '05/04/2026' }];
    await input.setInputFiles({ name: 'bang-chi-tra-2026-04.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(rows)) });
    expect(await page.locator('#imports-file-error').isHidden()).toBe(true);
    await upload(page);
    await waitUntilDone(page);
    expect(await figure(page, 'created')).toBe('1');
    await page.screenshot({ path: screenshotPath('console-imports-json-done'), fullPage: true });
    expect(await h.app.connection.collection('payments').countDocuments({ bhxhCode: bhxhCode(2), period: '2026-04', status: 'scheduled' })).toBe(1);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('follows a running import until it ends (here: interrupted), and stops asking once the officer leaves', async () => {
    const jobs = h.app.connection.collection('import_jobs');
    const running = (total: number, processed: number) => {
      const now = new Date();
      return { kind: 'ledger', status: 'running', province: '01', startedBy: 'test', firstErrors: [], total, processed, created: processed, updated: 0, unchanged: 0, failed: 0, createdAt: now, updatedAt: now, startedAt: now };
    };
    const { insertedId: watched } = await jobs.insertOne(running(800, 300));
    const page = await h.page(h.keys.reviewer, { hash: `#/imports/${String(watched)}` });
    page.on('pageerror', (err) => pageErrors.push(err.message));
    await page.locator('.imports-status [data-status="running"]').waitFor(WAIT);
    expect(await page.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('300');
    expect(await page.getByTestId('imports-progress-text').textContent()).toBe('Đã xử lý 300 / 800 dòng');
    expect(await page.locator('.imports-summary').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-imports-running'), fullPage: true });

    // Progress moves on the next polls, then the job ends.
    await jobs.updateOne({ _id: watched }, { $set: { processed: 500, created: 500 } });
    await expect.poll(() => page.getByRole('progressbar').getAttribute('aria-valuenow'), WAIT).toBe('500');
    await jobs.updateOne({ _id: watched }, { $set: { status: 'failed', finishedAt: new Date(), failure: 'interrupted: the import stopped (the app restarted); rows written so far are kept, re-import the file' } });
    await page.locator('.imports-status [data-status="failed"]').waitFor(WAIT);
    expect(await page.locator('.imports-failure').textContent()).toContain('Ứng dụng đã khởi động lại trong lúc nhập');
    expect(await figure(page, 'created')).toBe('500');
    await page.screenshot({ path: screenshotPath('console-imports-interrupted'), fullPage: true });

    // Leaving the page of a still-running import ends its polling.
    const { insertedId: left } = await jobs.insertOne(running(800, 100));
    await page.evaluate((hash) => (location.hash = hash), `#/imports/${String(left)}`);
    await page.locator('.imports-status [data-status="running"]').waitFor(WAIT);
    const polls: string[] = [];
    page.on('request', (req) => {
      if (req.url().includes(String(left))) polls.push(req.url());
    });
    await page.waitForRequest((req) => req.url().includes(String(left)), WAIT);
    await page.getByRole('link', { name: '← Quay lại trang nhập dữ liệu' }).click();
    await page.locator('.imports-recent-table').waitFor(WAIT);
    const afterLeaving = polls.length;
    // Three poll periods: a poll left running would have asked again by now.
    await page.waitForTimeout(3_500);
    expect(polls.length).toBe(afterLeaving);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('shows no upload to a viewer', async () => {
    const page = await h.page(h.keys.viewer, { hash: '#/imports' });
    await page.locator('.imports-note').waitFor(WAIT);
    expect(await page.locator('.imports-note').textContent()).toContain('chỉ được xem');
    expect(await page.locator('input[type="file"]').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Tải lên' }).count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-imports-viewer'), fullPage: true });
    await page.close();
  });
});
