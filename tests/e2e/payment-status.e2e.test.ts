import { beforeAll, expect, it } from 'vitest';
import { vietnamToday } from '../../src/domain/validators/dates.js';
import { describeOnChannels } from '../support/channels.js';
import { buttonsOf, textOf } from '../support/chat-driver.js';
import { PERSONAS, seedPersonas, type PersonaName } from '../support/personas.js';
import { seedPerson } from '../support/cashless-helpers.js';

/** The period `back` months before this one, YYYY-MM (Vietnam time, as the service computes it). */
function period(back: number): string {
  const today = vietnamToday();
  const index = today.year * 12 + today.month - 1 - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}
const display = (p: string) => p.split('-').reverse().join('/');

describeOnChannels('payment status', (harness) => {
  let ids: Record<PersonaName, string>;
  const link = (n: number, who: PersonaName) => harness().app.domain.links.createSelfLink(harness().chatKey(n), ids[who], 'test');

  beforeAll(async () => {
    const { domain } = harness().app;
    ids = await seedPersonas(domain);
    const row = (who: PersonaName, back: number, status: string, extra: Record<string, string> = {}) => ({
      bhxh_code: PERSONAS[who].bhxhCode,
      period: period(back),
      amount: String(PERSONAS[who].monthlyAmount),
      method: PERSONAS[who].paymentMethod.kind,
      status,
      ...extra,
    });
    const rows = [
      // Bình: paid this month to her full account number (masked on import), and seven earlier periods.
      row('binh', 0, 'paid', { date: '05/01/2026', destination: 'Agribank 1500205123456' }),
      ...[1, 2, 3, 4, 5, 6, 7].map((back) => row('binh', back, back === 2 ? 'returned' : 'paid')),
      // An: the bank returned this month's payment.
      row('an', 0, 'returned', { destination: '****6789' }),
      // Cường: last month paid; this month scheduled.
      row('cuong', 1, 'paid'),
      row('cuong', 0, 'scheduled'),
    ];
    const { done } = await domain.imports.startLedgerImport({ rows }, { startedBy: 'test', province: null });
    expect(await done).toMatchObject({ status: 'done', failed: 0, created: rows.length });
  });

  it('shows a paid month with the masked account, the next date and six periods of history', async () => {
    await link(1, 'binh');
    const user = harness().chat(1);
    await user.send('/start');
    const shown = textOf(await user.tap('Xem lương hưu tháng này'));
    expect(shown).toContain(`Lương hưu tháng ${display(period(0))} của Trần Thị Bình`);
    expect(shown).toContain('Đã chi trả 5.120.000 đ ngày 05/01/2026 vào tài khoản Agribank *********3456');
    expect(shown).not.toContain('1500205123456');
    // This month is paid: the next payment is next month's, and says so.
    expect(shown).toContain(`Kỳ chi trả tiếp theo (lương tháng ${display(period(-1))}) dự kiến vào ngày`);
    expect(shown).toContain('Các kỳ gần đây:');
    const lines = shown.split('\n').filter((l) => l.startsWith('• '));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toBe(`• ${display(period(0))}: 5.120.000 đ — đã chi trả`);
    expect(lines[2]).toBe(`• ${display(period(2))}: 5.120.000 đ — bị ngân hàng trả lại`);
    expect(shown).not.toContain(display(period(6)));
  });

  it('explains a returned payment and points to re-registering the account', async () => {
    await link(2, 'an');
    const user = harness().chat(2);
    await user.send('/start');
    const shown = textOf(await user.send('luong huu'));
    expect(shown).toContain('Ngân hàng đã trả lại khoản 4.350.000 đ vì tài khoản ****6789 không nhận được tiền');
    expect(shown).toContain('"Nhận lương hưu qua tài khoản"');
    expect(shown).toContain(harness().app.config.bhxhHotline);
  });

  it('says once when a scheduled month will be paid', async () => {
    await link(3, 'cuong');
    const user = harness().chat(3);
    await user.send('/start');
    const shown = textOf(await user.tap('Xem lương hưu tháng này'));
    expect(shown).toMatch(/Khoản 3\.800\.000 đ sẽ được chi trả vào ngày \d\d\/\d\d\/\d{4}\./);
    // Said once: no second sentence with the same date.
    expect(shown).not.toContain('Kỳ chi trả tiếp theo');
    expect(shown).toContain(`• ${display(period(1))}: 3.800.000 đ — đã chi trả`);
  });

  it('says when this month is not on the list yet and when payment is expected', async () => {
    const person = await seedPerson(harness().app, 914_001);
    await harness().app.domain.links.createSelfLink(harness().chatKey(7), person.id, 'test');
    const user = harness().chat(7);
    await user.send('/start');
    const shown = textOf(await user.send('luong thang nay'));
    expect(shown).toContain(`Tháng ${display(period(0))} chưa có trong danh sách chi trả. Dự kiến chi trả vào ngày`);
  });

  it('works in English', async () => {
    await link(4, 'binh');
    const user = harness().chat(4);
    await user.send('/start');
    await user.send('ngon ngu');
    await user.tap('English');
    const shown = textOf(await user.tap("This month's pension"));
    expect(shown).toContain(`Pension for ${display(period(0))}, Trần Thị Bình:`);
    expect(shown).toContain('5.120.000 đ was paid on 05/01/2026 to account Agribank *********3456.');
    expect(shown).toContain(`• ${display(period(2))}: 5.120.000 đ — returned by the bank`);
  });

  it('offers linking to a chat with no linked beneficiary', async () => {
    const user = harness().chat(5);
    await user.send('/start');
    const shown = await user.tap('Xem lương hưu tháng này');
    expect(textOf(shown)).toContain('Ông/Bà chưa liên kết hồ sơ BHXH nào');
    expect(buttonsOf(shown).some((b) => b.includes('Liên kết hồ sơ của tôi'))).toBe(true);
  });

  it('lets a chat linked to several people pick one, then another', async () => {
    await link(6, 'an');
    await link(6, 'binh');
    const user = harness().chat(6);
    await user.send('/start');
    const ask = await user.tap('Xem lương hưu tháng này');
    expect(textOf(ask)).toContain('Ông/Bà muốn xem lương hưu của ai?');
    const first = await user.tap('Nguyễn Văn An');
    expect(textOf(first)).toContain('Ngân hàng đã trả lại khoản 4.350.000 đ');
    const again = await user.tap('Xem cho người khác');
    expect(textOf(again)).toContain('Ông/Bà muốn xem lương hưu của ai?');
    expect(textOf(await user.tap('Trần Thị Bình'))).toContain('Đã chi trả 5.120.000 đ');
  });
});
