import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshotPath } from '../support/browser.js';
import { seriousAxeViolations, startConsole, type ConsoleHarness } from '../support/console.js';
import { DASHBOARD_TARGETS, seedDashboard, type DashboardSeed } from '../support/dashboard-seed.js';

const WAIT = { timeout: 10_000 };

/** The dashboard once its figures are on screen. */
async function dashboardShown(page: Page): Promise<void> {
  await page.getByTestId('headline-rate').waitFor({ state: 'visible', ...WAIT });
}

/** The accessible name of a chart: its SVG `<title>` then `<desc>`, which `aria-labelledby` points at. */
async function chartName(page: Page, testId: string): Promise<{ title: string; desc: string }> {
  const svg = page.getByTestId(testId).locator('svg[role="img"]');
  return { title: (await svg.locator('title').textContent()) ?? '', desc: (await svg.locator('desc').textContent()) ?? '' };
}

describe('staff console: dashboard', () => {
  let h: ConsoleHarness;
  let seed: DashboardSeed;

  beforeAll(async () => {
    h = await startConsole({ env: { CASHLESS_TARGETS: DASHBOARD_TARGETS } });
    seed = await seedDashboard(h.app.connection);
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
  });

  it('shows a province viewer its rate against the target, the queues, and charts with titles and tables', async () => {
    const page = await h.page(h.keys.viewer);
    await dashboardShown(page);
    expect(await page.getByTestId('dashboard-scope').textContent()).toBe('Số liệu của Hà Nội (01)');
    // A scoped key has nothing to choose.
    expect(await page.getByTestId('province-select').count()).toBe(0);

    expect(await page.getByTestId('headline-rate').textContent()).toBe('50%');
    expect(await page.getByTestId('headline-target').textContent()).toBe('Mục tiêu: 60%');
    expect(await page.getByTestId('headline-status').textContent()).toBe('Còn thiếu 10 điểm phần trăm để đạt mục tiêu.');
    const progress = page.getByRole('progressbar', { name: 'Tỷ lệ không dùng tiền mặt so với mục tiêu' });
    expect(await progress.getAttribute('aria-valuenow')).toBe('4');
    expect(await progress.getAttribute('aria-valuemax')).toBe('8');

    expect(await page.getByTestId('count-requests').textContent()).toBe('2');
    expect(await page.getByTestId('card-requests').textContent()).toContain('Thêm 1 yêu cầu bị tạm khóa');
    expect(await page.getByTestId('count-links').textContent()).toBe('3');
    expect(await page.getByTestId('count-fraud').textContent()).toBe('3');
    expect(await page.getByRole('link', { name: 'Mở hàng chờ yêu cầu' }).getAttribute('href')).toBe('#/reviews/requests');
    expect(await page.getByRole('link', { name: 'Mở hàng chờ liên kết' }).getAttribute('href')).toBe('#/reviews/links');
    expect(await page.getByRole('link', { name: 'Xem các tin báo lừa đảo' }).getAttribute('href')).toBe('#/fraud');

    // Districts: bars labelled in the SVG, one target line each, a name and summary for screen readers.
    const districts = await chartName(page, 'chart-adoption-area');
    expect(districts.title).toBe('Tỷ lệ không dùng tiền mặt theo quận/huyện');
    expect(districts.desc).toBe(
      '3 mục. Quận/huyện 001: 50%, mục tiêu 60%; Quận/huyện 002: 66,7%, mục tiêu 60%; Chưa rõ quận/huyện: 0%, mục tiêu 60%.',
    );
    const areaChart = page.getByTestId('chart-adoption-area');
    expect(await areaChart.locator('svg text').allTextContents()).toEqual(expect.arrayContaining(['Quận/huyện 001', '66,7%', 'Chưa rõ quận/huyện']));
    expect(await areaChart.locator('line[data-target]').count()).toBe(3);
    expect(await areaChart.locator('.chart-legend').textContent()).toContain('Vạch mục tiêu');

    // The data table is there for screen readers, and shown on demand.
    const table = areaChart.locator('[data-chart-table]');
    expect(await table.getAttribute('class')).toContain('sr-only');
    const showTable = areaChart.getByRole('button', { name: 'Hiện bảng số liệu' });
    expect(await showTable.getAttribute('aria-expanded')).toBe('false');
    expect(await showTable.getAttribute('aria-controls')).toBe(await table.getAttribute('id'));
    await showTable.click();
    expect(await table.getAttribute('class')).not.toContain('sr-only');
    const hideTable = areaChart.getByRole('button', { name: 'Ẩn bảng số liệu' });
    expect(await hideTable.getAttribute('aria-expanded')).toBe('true');
    expect(await hideTable.getAttribute('aria-pressed')).toBeNull();
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell) => cell.textContent)));
    expect(rows).toEqual([
      ['Quận/huyện 001', '4', '2', '50%', '60%'],
      ['Quận/huyện 002', '3', '2', '66,7%', '60%'],
      ['Chưa rõ quận/huyện', '1', '0', '0%', '60%'],
    ]);

    const benefits = await chartName(page, 'chart-adoption-benefit');
    expect(benefits.title).toBe('Tỷ lệ không dùng tiền mặt theo loại chế độ');
    expect(benefits.desc).toContain('Lương hưu: 50%, mục tiêu 50%');
    expect(benefits.desc).toContain('BHXH một lần: 100%, mục tiêu 98%');
    expect(benefits.desc).toContain('Trợ cấp BHXH hằng tháng: 0%;');
    const benefitChart = page.getByTestId('chart-adoption-benefit');
    expect(await benefitChart.locator('svg text').allTextContents()).toEqual(
      expect.arrayContaining(['Lương hưu', 'Trợ cấp BHXH hằng tháng', 'BHXH một lần', 'Trợ cấp thất nghiệp', 'Người có công']),
    );
    // Only benefit types with a configured target get a line: pension, lump sum, unemployment.
    expect(await benefitChart.locator('line[data-target]').count()).toBe(3);
    expect(await benefitChart.locator('.chart-legend').textContent()).toContain('Không có mục tiêu riêng');

    const fraud = await chartName(page, 'chart-fraud');
    expect(fraud.title).toBe('Tin báo lừa đảo 7 ngày qua theo loại');
    expect(fraud.desc).toContain('Tổng cộng 3 tin báo.');
    expect(fraud.desc).toContain('Giả danh BHXH, Công an: 2');
    expect(await page.getByTestId('chart-fraud').locator('.chart-legend').textContent()).toContain('Hỏi mã OTP, PIN, số thẻ: 1');

    const subscribers = await chartName(page, 'chart-subscribers');
    expect(subscribers.desc).toBe('Telegram: 1 đang nhận tin, 1 đã chặn, 0 đã dừng nhận tin; Zalo OA: 1 đang nhận tin, 0 đã chặn, 0 đã dừng nhận tin.');

    const broadcasts = page.getByTestId('broadcasts-table');
    const newest = broadcasts.locator(`tr[data-broadcast="${seed.newestBroadcast01}"]`);
    expect(await newest.getByRole('link', { name: 'Cảnh báo lừa đảo' }).getAttribute('href')).toBe(`#/broadcasts/${seed.newestBroadcast01}`);
    expect(await newest.locator('td').allTextContents()).toEqual([expect.any(String), expect.any(String), '3', '1', '1', '7', '—']);
    expect(await newest.locator('.badge').textContent()).toBe('Đang gửi');
    expect(await broadcasts.locator('tbody tr').count()).toBe(5);
    // The unscoped key's broadcast is not this province's.
    expect(await broadcasts.textContent()).not.toContain('Toàn quốc');

    await page.screenshot({ path: screenshotPath('console-dashboard-viewer'), fullPage: true });
    await page.close();
  });

  it('has no serious or critical axe-core violations', async () => {
    const page = await h.page(h.keys.viewer);
    await dashboardShown(page);
    // Also with a data table shown, so its markup is checked as sighted users get it.
    await page.getByTestId('chart-subscribers').getByRole('button', { name: 'Hiện bảng số liệu' }).click();
    const serious = await seriousAxeViolations(page);
    if (serious.length > 0) console.log('axe violations on the dashboard:', JSON.stringify(serious, null, 2));
    expect(serious).toEqual([]);
    await page.close();
  });

  it('reflows at 200% zoom without horizontal scrolling of the main area', async () => {
    // A 1280×800 laptop at 200% zoom lays out like a 640×400 viewport.
    const page = await h.page(h.keys.viewer, { viewport: { width: 640, height: 400 } });
    await dashboardShown(page);
    const overflow = await page.evaluate(() => {
      const main = document.getElementById('main')!;
      return {
        main: main.scrollWidth - main.clientWidth,
        page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
        viewport: window.innerWidth,
      };
    });
    expect(overflow).toEqual({ main: 0, page: 0, viewport: 640 });
    // The charts shrink with their cards instead of pushing the page wider.
    const widest = await page.locator('svg.chart-svg').evaluateAll((svgs) => Math.max(...svgs.map((s) => s.getBoundingClientRect().right)));
    expect(widest).toBeLessThanOrEqual(640);
    await page.screenshot({ path: screenshotPath('console-dashboard-zoom200'), fullPage: true });
    await page.close();
  });

  it('lets an unscoped key see every province and pick one', async () => {
    const page = await h.page(h.keys.admin);
    await dashboardShown(page);
    expect(await page.getByTestId('dashboard-scope').textContent()).toBe('Số liệu của tất cả tỉnh/thành phố');
    expect(await page.getByTestId('headline-rate').textContent()).toBe('54,5%');
    const provinces = await chartName(page, 'chart-adoption-area');
    expect(provinces.title).toBe('Tỷ lệ không dùng tiền mặt theo tỉnh/thành phố');
    expect(provinces.desc).toBe('2 mục. Hà Nội (01): 50%, mục tiêu 60%; Hồ Chí Minh (79): 66,7%, mục tiêu 60%.');
    expect(await page.getByTestId('broadcasts-table').textContent()).toContain('Toàn quốc');

    await page.getByLabel('Tỉnh/thành phố', { exact: true }).selectOption('79');
    await page.getByTestId('province-apply').click();
    await expect.poll(() => page.getByTestId('dashboard-scope').textContent(), WAIT).toBe('Số liệu của Hồ Chí Minh (79)');
    expect(await page.evaluate(() => location.hash)).toBe('#/dashboard?province=79');
    await dashboardShown(page);
    expect(await page.getByTestId('headline-rate').textContent()).toBe('66,7%');
    expect(await page.getByTestId('headline-status').textContent()).toBe('Đã đạt mục tiêu.');
    expect(await page.getByTestId('count-links').textContent()).toBe('1');
    expect((await chartName(page, 'chart-adoption-area')).desc).toBe('1 mục. Quận/huyện 760: 66,7%, mục tiêu 60%.');
    expect(await page.getByTestId('dashboard').textContent()).toContain('Chưa có thông báo nào.');
    await page.screenshot({ path: screenshotPath('console-dashboard-admin-79'), fullPage: true });
    await page.close();
  });

  it('speaks English, and hides queue links from a broadcaster who cannot open them', async () => {
    const page = await h.page(h.keys.broadcaster, { locale: 'en' });
    await dashboardShown(page);
    expect(await page.getByTestId('headline-target').textContent()).toBe('Target: 60%');
    expect((await chartName(page, 'chart-adoption-benefit')).desc).toContain('Retirement pension: 50%, target 50%');
    expect(await page.getByTestId('count-requests').textContent()).toBe('2');
    expect(await page.getByTestId('card-requests').getByRole('link').count()).toBe(0);
    expect(await page.getByTestId('broadcasts-table').getByRole('link', { name: 'Cảnh báo lừa đảo' }).count()).toBe(1);
    await page.close();
  });
});
