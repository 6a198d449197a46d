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

  it('maps a kind of notice to an approved template, saying under the field what is missing, and can remove it', async () => {
    const page = await h.page(h.keys.admin, { hash: '#/zalo' });
    await page.getByTestId('zalo-templates').waitFor(WAIT);
    await page.getByTestId('map-broadcast').click();
    const editor = page.getByTestId('map-editor');
    await editor.waitFor(WAIT);
    // Only approved templates are offered.
    expect(await editor.getByTestId('map-template').locator('option').allTextContents()).toEqual(['— Chọn mẫu đã được duyệt —', 'Mẫu 500101 (500101)']);
    await editor.getByTestId('map-template').selectOption('500101');
    await editor.locator('[data-param="ho_ten"]').selectOption('title');
    await editor.locator('[data-param="ky"]').selectOption('date');
    // so_tien is left unbound: Zalo needs it, the server refuses and the field says so; the choices stay.
    await editor.getByTestId('map-save').click();
    await expect.poll(() => editor.getByText('Vui lòng chọn nội dung cho ô này.').count(), WAIT).toBe(1);
    expect(await editor.locator('[data-param="ho_ten"]').inputValue()).toBe('title');
    await editor.locator('[data-param="so_tien"]').selectOption('text');
    await editor.getByTestId('map-save').click();
    await expect.poll(() => page.locator('[data-kind="broadcast"]').textContent(), WAIT).toContain('Gửi được');
    expect(await page.getByTestId('map-editor').count()).toBe(0);
    expect(await seriousAxeViolations(page)).toEqual([]);

    // The composer now offers everyone in the register, with the routes and the cost.
    await h.app.domain.beneficiaries.upsert({
      bhxhCode: '0199000001',
      fullName: 'Trần Văn Thử',
      birthDate: '1950-01-01',
      gender: 'male',
      phones: ['0911222333'],
      provinceCode: '01',
      benefitType: 'pension',
      monthlyAmount: 4_000_000,
      paymentMethod: { kind: 'cash_post' },
    });
    const composer = await h.page(h.keys.admin, { hash: '#/broadcasts/new' });
    await composer.getByTestId('source-register').check();
    await expect.poll(() => composer.getByTestId('route-phone').textContent(), WAIT).toBe('1 người nhận tin mẫu Zalo qua số điện thoại');
    expect(await composer.getByTestId('route-cost').textContent()).toBe('Chi phí dự kiến: 300 đ');
    expect(await composer.getByTestId('route-quota').textContent()).toBe('Hạn mức Zalo hôm nay còn 1.850 / 2.000 tin');
    // Platforms and languages do not apply to the register.
    expect(await composer.getByTestId('platform-telegram').isVisible()).toBe(false);

    await page.getByTestId('map-broadcast').click();
    await page.getByTestId('map-remove').click();
    await page.getByRole('dialog').getByRole('button', { name: 'Bỏ gán mẫu' }).click();
    await expect.poll(() => page.locator('[data-kind="broadcast"]').textContent(), WAIT).toContain('Chưa gán mẫu');
  });

  it('shows a viewer the page without the sync button', async () => {
    const page = await h.page(h.keys.viewer, { hash: '#/zalo' });
    await page.getByTestId('zalo-mappings').waitFor(WAIT);
    expect(await page.getByTestId('zalo-sync').count()).toBe(0);
    expect(await page.getByTestId('map-broadcast').count()).toBe(0);
  });
});
