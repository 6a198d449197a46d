import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seriousAxeViolations, startConsole, type ConsoleHarness } from '../support/console.js';
import { FakeZalo } from '../support/fake-zalo.js';

const WAIT = { timeout: 10_000 };

describe('staff console: Zalo templates', () => {
  let h: ConsoleHarness;
  let fake: FakeZalo;

  beforeAll(async () => {
    fake = await FakeZalo.start();
    fake.addTemplate('500101', { ho_ten: 30, ky: 7, so_tien: 12 });
    fake.addTemplate('500102', { noi_dung: 200 }, { status: 'PENDING_REVIEW', templateName: 'Cảnh báo lừa đảo' });
    fake.dailyQuota = 2000;
    fake.usedToday = 150;
    h = await startConsole({ env: fake.env({ oa: true }) });
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await fake?.stop();
  });

  it('reads the templates from Zalo on demand, with their status and parameter limits, the quota, and the notice kinds still unmapped', async () => {
    const page = await h.page(h.keys.admin);
    await page.getByRole('link', { name: 'Mẫu tin Zalo' }).click();
    await page.getByTestId('zalo-sync').waitFor(WAIT);
    await expect.poll(() => page.getByText('Chưa có mẫu nào').count(), WAIT).toBe(1);
    await expect.poll(() => page.getByTestId('zalo-quota').textContent(), WAIT).toBe('Hôm nay còn gửi được 1.850 / 2.000 tin theo mẫu.');

    await page.getByTestId('zalo-sync').click();
    await page.getByTestId('zalo-templates').waitFor(WAIT);
    const approved = page.locator('[data-template="500101"]');
    expect(await approved.locator('[data-status]').textContent()).toBe('Đã duyệt');
    expect(await approved.textContent()).toContain('so_tien ≤ 12 ký tự');
    expect(await approved.textContent()).toContain('300 đ');
    expect(await page.locator('[data-template="500102"] [data-status]').textContent()).toBe('Chờ Zalo duyệt');
    expect(await page.locator('[data-kind="payment_credited"]').textContent()).toContain('Chưa gán mẫu');
    expect(await seriousAxeViolations(page)).toEqual([]);
  });

  it('shows a viewer the page without the sync button', async () => {
    const page = await h.page(h.keys.viewer, { hash: '#/zalo' });
    await page.getByTestId('zalo-mappings').waitFor(WAIT);
    expect(await page.getByTestId('zalo-sync').count()).toBe(0);
  });
});
