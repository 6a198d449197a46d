import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beneficiaryModel } from '../../src/db/models/beneficiary.js';
import { beneficiaryLinkModel } from '../../src/db/models/beneficiary-link.js';
import { screenshotPath } from '../support/browser.js';
import { seriousAxeViolations, startConsole, type ConsoleHarness } from '../support/console.js';
import { seedSubscribers } from '../support/broadcast-harness.js';

const WAIT = { timeout: 15_000 };

const TEXT_VI = 'Cảnh báo: Cơ quan BHXH không bao giờ hỏi mã OTP.\nKhi nghi ngờ, Ông/Bà gọi đường dây nóng.';
const TEXT_EN = 'Warning: the social insurance office never asks for OTP codes.';
const LINK = 'https://baohiemxahoi.gov.vn/canh-bao';

/** Telegram chats linked to a Hà Nội (01) beneficiary: the province-01 broadcaster's whole audience. */
const HANOI = 20;

/** Subscribed Telegram chats, each linked to a beneficiary of `province`; returns their chat ids. */
async function linkedSubscribers(h: ConsoleHarness, count: number, firstChatId: number, province: string): Promise<string[]> {
  const chats = await seedSubscribers(h.app, count, firstChatId);
  const people = await beneficiaryModel(h.app.connection).insertMany(
    chats.map((chatId) => ({
      bhxhCode: `${province}${chatId.padStart(8, '0')}`,
      fullName: 'Nguyễn Văn An',
      birthDate: '1950-01-01',
      gender: 'male',
      phones: [],
      phoneIndexes: [],
      provinceCode: province,
      districtCode: '001',
      benefitType: 'pension',
      monthlyAmount: 5_000_000,
      paymentMethod: { kind: 'cash_post' },
    })),
    { lean: true },
  );
  await beneficiaryLinkModel(h.app.connection).insertMany(
    chats.map((chatId, i) => ({ channel: 'telegram', chatId, beneficiaryId: people[i]!._id, provinceCode: province, role: 'self', status: 'active', consentVersion: 'v1' })),
  );
  return chats;
}

const statusOf = (page: Page) => page.locator('h1 [data-testid="status"]').getAttribute('data-status');

async function waitForStatus(page: Page, status: string): Promise<void> {
  await page.locator(`h1 [data-testid="status"][data-status="${status}"]`).waitFor(WAIT);
}

/** The broadcast id of the page shown (#/broadcasts/<id>). */
async function shownId(page: Page): Promise<string> {
  await page.waitForURL(/#\/broadcasts\/[0-9a-f]{24}$/, WAIT);
  return new URL(page.url()).hash.split('/')[2]!;
}

describe('staff console: broadcasts', () => {
  let h: ConsoleHarness;
  let hanoiChats: string[];
  let otherChats: string[];
  const pageErrors: string[] = [];
  /** Page errors and missing translations, from every page the tests open. */
  const watch = (page: Page): Page => {
    page.on('pageerror', (err) => pageErrors.push(err.message));
    page.on('console', (msg) => {
      if (msg.text().includes('missing translation')) pageErrors.push(msg.text());
    });
    return page;
  };

  beforeAll(async () => {
    // The app's own worker sends (as in production); quiet hours off so the test does not depend on the hour in Vietnam.
    h = await startConsole({ env: { BROADCAST_APPROVAL_THRESHOLD: '1', BROADCAST_WORKER_ENABLED: 'true', BROADCAST_QUIET_HOURS: 'off' } });
    hanoiChats = await linkedSubscribers(h, HANOI, 710_000, '01');
    // Outside the province-01 key's reach: a Hồ Chí Minh City chat and an unlinked one.
    otherChats = [...(await linkedSubscribers(h, 1, 790_000, '79')), ...(await seedSubscribers(h.app, 1, 799_000))];
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('a broadcaster writes a notice with a live Telegram/Zalo preview; a second admin approves; progress reaches 100% with one message per chat', async () => {
    const page = await h.page(h.keys.broadcaster, { hash: '#/broadcasts' });
    watch(page);
    await page.getByTestId('broadcast-list').getByText('Chưa có thông báo nào.').waitFor(WAIT);
    await page.screenshot({ path: screenshotPath('console-broadcasts-01-empty-list'), fullPage: true });

    await page.getByTestId('new-broadcast').click();
    await page.getByTestId('composer').waitFor(WAIT);
    // A province key's audience is its own province, shown fixed.
    expect(await page.getByTestId('province-fixed').textContent()).toContain('01');

    await page.getByLabel('Nội dung tiếng Việt (bắt buộc)').fill(TEXT_VI);
    await page.getByLabel('Nội dung tiếng Anh (không bắt buộc)').fill(TEXT_EN);
    const telegram = page.getByTestId('preview-telegram');
    const zalo = page.getByTestId('preview-zalo');
    await expect.poll(() => telegram.getByTestId('preview-bubble').first().innerText(), WAIT).toContain('Cơ quan BHXH không bao giờ hỏi mã OTP.');
    expect(await zalo.getByTestId('preview-bubble').first().innerText()).toContain('Cơ quan BHXH không bao giờ hỏi mã OTP.');
    // The bot's real name, from getMe on the fake Bot API.
    expect(await telegram.innerText()).toContain('Lương Hưu (test)');
    await page.getByTestId('preview-lang-en').click();
    await expect.poll(() => telegram.getByTestId('preview-bubble').first().innerText(), WAIT).toContain(TEXT_EN);
    expect(await zalo.getByTestId('preview-bubble').first().innerText()).toContain(TEXT_EN);
    await page.getByTestId('preview-lang-vi').click();

    // A link outside the allow-list is refused next to the field, in Vietnamese.
    const link = page.getByLabel('Địa chỉ link (https)');
    await link.fill('https://bhxh-hotro.com/otp');
    await link.blur();
    const linkError = page.locator(`#${await link.getAttribute('id')}-error`);
    await expect.poll(() => linkError.textContent(), WAIT).toContain('không nằm trong danh sách được phép');

    // Sending without a title: the errors are shown, nothing typed is lost.
    await page.getByTestId('submit').click();
    const titleError = page.locator(`#${await page.getByTestId('title').getAttribute('id')}-error`);
    await titleError.waitFor({ state: 'visible', ...WAIT });
    expect(await page.getByTestId('text-vi').inputValue()).toBe(TEXT_VI);
    expect(await page.getByTestId('text-en').inputValue()).toBe(TEXT_EN);
    expect(await link.inputValue()).toBe('https://bhxh-hotro.com/otp');
    await page.screenshot({ path: screenshotPath('console-broadcasts-02-composer-errors'), fullPage: true });

    await page.getByTestId('title').fill('Cảnh báo OTP tháng 5');
    await link.fill(LINK);
    await link.blur();
    await page.getByTestId('link-label-vi').fill('Xem cảnh báo');
    await expect.poll(() => telegram.getByTestId('preview-button').textContent(), WAIT).toContain('Xem cảnh báo');
    expect(await zalo.getByTestId('preview-button').textContent()).toContain('Xem cảnh báo');
    expect(await linkError.isHidden()).toBe(true);

    await page.getByTestId('platform-telegram').check();
    await expect.poll(() => page.getByTestId('estimate').getAttribute('data-count'), WAIT).toBe(String(HANOI));
    expect(await page.getByTestId('approval-summary').getAttribute('data-needs-approval')).toBe('true');
    await page.screenshot({ path: screenshotPath('console-broadcasts-03-composer-preview'), fullPage: true });

    // "Gửi" asks first, saying to how many; cancelling sends nothing and keeps the form.
    await page.getByTestId('submit').click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.textContent(), WAIT).toContain(`Khoảng ${HANOI} người sẽ nhận`);
    await dialog.getByTestId('dialog-cancel').click();
    expect(await page.getByTestId('title').inputValue()).toBe('Cảnh báo OTP tháng 5');
    expect(await page.getByTestId('dialog-confirm').count()).toBe(0);
    await page.getByTestId('submit').click();
    await page.getByRole('dialog').getByTestId('dialog-confirm').click();
    const id = await shownId(page);
    await waitForStatus(page, 'pending_approval');
    expect(await page.getByTestId('state-text').textContent()).toContain('chờ người thứ hai phê duyệt');
    // A broadcaster cannot approve: the button is not there.
    expect(await page.getByTestId('approve').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-broadcasts-04-waiting-approval'), fullPage: true });
    expect(h.telegram.sentMessages()).toHaveLength(0);

    const approver = await h.page(h.keys.admin2, { hash: `#/broadcasts/${id}` });
    watch(approver);
    await waitForStatus(approver, 'pending_approval');
    expect(await approver.getByTestId('state-text').textContent()).toContain('cần Ông/Bà phê duyệt');
    await approver.screenshot({ path: screenshotPath('console-broadcasts-05-approver'), fullPage: true });
    await approver.getByTestId('approve').click();
    await approver.getByTestId('dialog-confirm').click();
    // The approve button is gone once approved: focus moves to the new state, not to <body>.
    const focused = () => approver.evaluate(() => (document.activeElement === document.body ? 'body' : document.activeElement?.getAttribute('data-testid')));
    await expect.poll(focused, WAIT).toBe('state-text');

    const bar = approver.getByTestId('progress-bar').locator('[role="progressbar"]');
    await expect.poll(async () => [await bar.getAttribute('aria-valuenow'), await bar.getAttribute('aria-valuemax')], WAIT).toEqual([String(HANOI), String(HANOI)]);
    await waitForStatus(approver, 'done');
    expect(await approver.getByTestId('progress-sent').textContent()).toBe(String(HANOI));
    expect(await approver.getByTestId('progress-pending').textContent()).toBe('0');
    await approver.getByTestId('report').waitFor({ state: 'visible', ...WAIT });
    expect(await approver.getByTestId('report-sent').textContent()).toBe(String(HANOI));
    // Still there after the page followed the broadcast to its end.
    expect(await focused()).toBe('state-text');
    await approver.screenshot({ path: screenshotPath('console-broadcasts-06-done-report'), fullPage: true });
    expect(await seriousAxeViolations(approver)).toEqual([]);

    // Exactly one message per Hà Nội chat, none elsewhere, as the preview showed it.
    const sent = h.telegram.sentMessages();
    expect(sent.map((c) => String(c.params.chat_id)).sort()).toEqual([...hanoiChats].sort());
    for (const other of otherChats) expect(h.telegram.sentMessages(other)).toHaveLength(0);
    expect(sent[0]!.params.text).toBe(TEXT_VI);
    expect(sent[0]!.params.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Xem cảnh báo', url: LINK }]] });

    // The author's page, still open, follows to the end without a reload.
    await waitForStatus(page, 'done');
    expect(await statusOf(page)).toBe('done');
  });

  it('an admin cannot approve its own broadcast (the page explains); a second admin rejects it with a reason', async () => {
    const page = await h.page(h.keys.admin, { hash: '#/broadcasts/new' });
    watch(page);
    await page.getByTestId('composer').waitFor(WAIT);
    // A built-in anti-fraud template fills both languages; its field goes into the text as typed.
    await page.getByTestId('template').selectOption('otpWarning');
    await page.getByTestId('template-field-province_hotline').fill('024 3936 1111');
    await expect.poll(() => page.getByTestId('text-vi').inputValue(), WAIT).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(await page.getByTestId('text-vi').inputValue()).toContain('024 3936 1111');
    expect(await page.getByTestId('text-en').inputValue()).toContain('NEVER asks for OTP codes');
    // The preview is the server's rendering, asked for once typing pauses.
    await expect.poll(() => page.getByTestId('preview-telegram').innerText(), WAIT).toContain('024 3936 1111');
    // Every subscriber: the Hà Nội chats and the two others.
    await expect.poll(() => page.getByTestId('estimate').getAttribute('data-count'), WAIT).toBe(String(HANOI + 2));
    expect(await page.getByTestId('approval-summary').getAttribute('data-needs-approval')).toBe('true');
    await page.screenshot({ path: screenshotPath('console-broadcasts-07-template'), fullPage: true });
    await page.getByTestId('submit').click();
    await page.getByRole('dialog').getByTestId('dialog-confirm').click();
    const id = await shownId(page);
    await waitForStatus(page, 'pending_approval');
    expect(await page.getByTestId('state-text').textContent()).toContain('không thể tự duyệt');
    expect(await page.getByTestId('approve').count()).toBe(0);
    expect(await page.getByTestId('reject').count()).toBe(0);
    // The template and its version are recorded.
    expect(await page.getByText('otpWarning (phiên bản 1)').count()).toBe(1);

    const other = watch(await h.page(h.keys.admin2, { hash: `#/broadcasts/${id}` }));
    await waitForStatus(other, 'pending_approval');
    await other.getByTestId('reject').click();
    await other.getByTestId('dialog-confirm').click();
    // An empty reason is refused by the dialog itself.
    await other.getByText('Vui lòng nhập lý do.').waitFor(WAIT);
    await other.getByLabel('Lý do từ chối').fill('Thiếu số đường dây nóng của tỉnh');
    await other.getByTestId('dialog-confirm').click();
    await waitForStatus(other, 'rejected');
    expect(await other.getByTestId('state-text').textContent()).toContain('Thiếu số đường dây nóng của tỉnh');
    await waitForStatus(page, 'rejected');
    await page.screenshot({ path: screenshotPath('console-broadcasts-08-rejected'), fullPage: true });
  });

  it('cancels a scheduled broadcast after a confirmation; nothing is sent', async () => {
    const before = h.telegram.sentMessages().length;
    const page = await h.page(h.keys.admin, { hash: '#/broadcasts/new' });
    watch(page);
    await page.getByTestId('composer').waitFor(WAIT);
    await page.getByTestId('title').fill('Lịch chi trả tháng 6');
    await page.getByTestId('text-vi').fill('Lương hưu tháng 6 được chi trả từ ngày 05/06.');
    // English speakers only: nobody here, so no approval is needed and it is scheduled at once.
    await page.getByTestId('language-en').check();
    await expect.poll(() => page.getByTestId('estimate').getAttribute('data-count'), WAIT).toBe('0');
    await page.getByTestId('when-later').check();
    const tomorrow = new Date(Date.now() + 24 * 3600_000).toLocaleDateString('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });
    await page.getByTestId('send-date').fill(tomorrow);
    await page.getByTestId('send-time').fill('08:00');
    await page.getByTestId('submit').click();
    await page.getByRole('dialog').getByTestId('dialog-confirm').click();
    await shownId(page);
    await waitForStatus(page, 'scheduled');
    expect(await page.getByTestId('state-text').textContent()).toContain('08:00');
    await page.screenshot({ path: screenshotPath('console-broadcasts-09-scheduled'), fullPage: true });

    await page.getByTestId('cancel-broadcast').click();
    // Changing one's mind keeps it scheduled.
    await page.getByTestId('dialog-cancel').click();
    expect(await statusOf(page)).toBe('scheduled');
    await page.getByTestId('cancel-broadcast').click();
    await page.getByTestId('dialog-confirm').click();
    await waitForStatus(page, 'cancelled');
    expect(await page.getByTestId('cancel-broadcast').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-broadcasts-10-cancelled'), fullPage: true });
    expect(h.telegram.sentMessages()).toHaveLength(before);
  });

  it('a viewer sees the broadcasts but no button to write, approve or cancel', async () => {
    const page = await h.page(h.keys.viewer, { hash: '#/broadcasts' });
    watch(page);
    // The viewer's key is scoped to province 01: it sees the Hà Nội broadcast only.
    const rows = page.getByTestId('broadcast-list').locator('tbody tr');
    await rows.first().waitFor(WAIT);
    expect(await rows.count()).toBe(1);
    expect(await page.getByTestId('new-broadcast').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-broadcasts-11-viewer-list'), fullPage: true });
    await rows.first().getByRole('link').click();
    await waitForStatus(page, 'done');
    expect(await page.getByTestId('cancel-broadcast').count()).toBe(0);
    expect(await page.getByTestId('copy').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('console-broadcasts-12-viewer-detail'), fullPage: true });
    await page.evaluate(() => (location.hash = '#/broadcasts/new'));
    await page.getByText('Vai trò của khóa này không được soạn thông báo').waitFor(WAIT);
  });

  it('the composer (like the finished broadcast above) has no serious accessibility violations and fits a 640-pixel window (200% zoom)', async () => {
    const page = watch(await h.page(h.keys.broadcaster, { hash: '#/broadcasts/new' }));
    await page.getByTestId('composer').waitFor(WAIT);
    await page.getByTestId('text-vi').fill(TEXT_VI);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 640, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('console-broadcasts-13-zoom'), fullPage: true });
  });

  it("draws the preview from the server's answer: a long text in each platform's own pieces, a late answer for older text dropped, the last good preview kept when a call fails", async () => {
    const page = watch(await h.page(h.keys.broadcaster, { hash: '#/broadcasts/new' }));
    await page.getByTestId('composer').waitFor(WAIT);
    const telegram = page.getByTestId('preview-telegram');
    const zalo = page.getByTestId('preview-zalo');
    const preview = '**/admin/api/broadcasts/preview';

    // Over Zalo's 2 000 characters a message, within Telegram's 4 096: one Telegram message, two Zalo ones.
    const long = Array.from({ length: 45 }, (_, i) => `Dòng ${i + 1}: lương hưu được chi trả đúng hạn tại bưu điện xã.`).join('\n');
    expect(long.length).toBeGreaterThan(2000);
    await page.getByTestId('text-vi').fill(long);
    await expect.poll(() => zalo.getByTestId('preview-bubble').count(), WAIT).toBe(2);
    expect(await telegram.getByTestId('preview-bubble').count()).toBe(1);
    expect(await page.locator('.bc-counter').first().textContent()).toContain('Zalo: 2 tin');

    // The answer for the older text arrives last: it is not drawn over the newer one.
    let calls = 0;
    await page.route(preview, async (route) => {
      calls += 1;
      if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    await page.getByTestId('text-vi').fill('Bản cũ');
    await expect.poll(() => calls, WAIT).toBe(1);
    await page.getByTestId('text-vi').fill('Bản mới');
    await expect.poll(() => telegram.getByTestId('preview-bubble').first().innerText(), WAIT).toContain('Bản mới');
    await page.waitForTimeout(2000);
    expect(await telegram.getByTestId('preview-bubble').first().innerText()).toContain('Bản mới');
    await page.unroute(preview);

    // A failed call leaves the last preview the server drew.
    await page.route(preview, (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: 'unavailable', message: 'down' }) }));
    await page.getByTestId('text-vi').fill('Bản không xem trước được');
    await page.waitForTimeout(1000);
    expect(await telegram.getByTestId('preview-bubble').first().innerText()).toContain('Bản mới');
    await page.unroute(preview);
  });

  it('speaks English when the officer chose it, with every string translated', async () => {
    const page = watch(await h.page(h.keys.admin, { hash: '#/broadcasts', locale: 'en' }));
    await page.getByTestId('new-broadcast').waitFor(WAIT);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Broadcasts');
    await page.getByTestId('new-broadcast').click();
    await page.getByLabel('Vietnamese text (required)').fill(TEXT_VI);
    // Choosing a template over typed text asks first; declining keeps the text.
    await page.getByTestId('template').selectOption('paymentDay');
    await page.getByRole('dialog').getByText('Replace your text with the template?').waitFor(WAIT);
    await page.getByTestId('dialog-cancel').click();
    expect(await page.getByTestId('text-vi').inputValue()).toBe(TEXT_VI);
    expect(await page.getByTestId('template').inputValue()).toBe('');
    await page.getByTestId('template').selectOption('paymentDay');
    await page.getByTestId('dialog-confirm').click();
    await page.getByTestId('template-field-period').fill('05/2026');
    await expect.poll(() => page.getByTestId('text-en').inputValue(), WAIT).toContain('the pension for 05/2026 is paid from {{pay_day}}');
    await page.screenshot({ path: screenshotPath('console-broadcasts-14-english'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
