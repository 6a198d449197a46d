import { beforeAll, expect, it } from 'vitest';
import { describeOnChannels } from '../support/channels.js';
import { buttonsOf, textOf, type SeenMessage } from '../support/chat-driver.js';
import { seedPersonas, type PersonaName } from '../support/personas.js';

/** The number a main-menu item is typed as, read from the menu the bot showed (buttons or a numbered list). */
function menuNumber(menu: SeenMessage[], label: string): string {
  const options = buttonsOf(menu)
    .map((b) => b.replace(/^\d+\.\s*/, ''))
    .filter((b) => !b.includes('Về menu chính'));
  const index = options.findIndex((b) => b.includes(label));
  expect(index, `"${label}" in the menu: ${options.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return String(index + 1);
}

describeOnChannels('off-path input understood from any step', (harness) => {
  let ids: Record<PersonaName, string>;
  const link = (n: number, who: PersonaName) => harness().app.domain.links.createSelfLink(harness().chatKey(n), ids[who], 'test');

  beforeAll(async () => {
    ids = await seedPersonas(harness().app.domain);
  });

  it('opens a main-menu item typed by number on an information screen, with no repeat of the screen', async () => {
    await link(1, 'binh');
    const user = harness().chat(1);
    const menu = await user.send('/start');
    await user.send('xem luong');
    const fraud = textOf(await user.send(menuNumber(menu, 'Báo cáo lừa đảo')));
    expect(fraud).not.toContain('chưa hiểu');
    expect(fraud).not.toContain('Lương hưu tháng');
    expect(fraud).toBe(textOf(await user.send('bao lua dao')));
    // The anti-fraud tips have five options of their own; a higher menu number still opens its item.
    await user.send('canh bao lua dao');
    const data = textOf(await user.send(menuNumber(menu, 'Dữ liệu của tôi')));
    expect(data).not.toContain('chưa hiểu');
    await user.send('menu');
    expect(data).toBe(textOf(await user.send('du lieu cua toi')));
  });

  it('understands a small vocabulary with or without diacritics from any step', async () => {
    await link(2, 'binh');
    const user = harness().chat(2);
    await user.send('/start');
    await user.send('cai dat');
    expect(textOf(await user.send('lương tháng này'))).toContain('Lương hưu tháng');
    expect(textOf(await user.send('luong thang nay'))).toContain('Lương hưu tháng');
    const cashless = textOf(await user.send('toi muon doi sang nhan qua ngan hang'));
    expect(cashless).toContain('Ông/Bà muốn nhận lương hưu bằng cách nào?');
    expect(textOf(await user.send('Báo lừa đảo'))).not.toContain('chưa hiểu');
    const hotline = textOf(await user.send('goi tong dai'));
    expect(hotline).toContain(harness().app.config.bhxhHotline);
  });

  it('goes back one step with "quay lại", keeping what was entered, and to the menu from the first step', async () => {
    await link(3, 'binh');
    const user = harness().chat(3);
    await user.send('/start');
    await user.send('nhan luong qua tai khoan');
    await user.send('1');
    expect(textOf(await user.send('agribank'))).toContain('số tài khoản Agribank');
    const back = textOf(await user.send('quay lai'));
    expect(back).toContain('Ông/Bà nhận qua ngân hàng nào?');
    const again = textOf(await user.send('quay lại'));
    expect(again).toContain('Ông/Bà muốn nhận lương hưu bằng cách nào?');
    // Forward again: the bank step and then the account step, the bank still known after going back from it.
    await user.send('1');
    await user.send('vietcom');
    await user.send('1234567890');
    expect(textOf(await user.send('quay lai'))).toContain('số tài khoản Vietcombank');
    expect(textOf(await user.send('1234567890'))).toContain('Tên chủ tài khoản');
    const first = textOf(await user.send('quay lai'));
    expect(first).toContain('số tài khoản Vietcombank');
    await user.send('quay lai');
    await user.send('quay lai');
    const menu = textOf(await user.send('quay lai'));
    expect(menu).toContain('Ông/Bà cần giúp việc gì?');
  });

  it('re-prompts with one short line plus the options, never the same fallback twice', async () => {
    await link(4, 'binh');
    const user = harness().chat(4);
    await user.send('/start');
    const status = textOf(await user.send('xem luong'));
    expect(status).toContain('Lương hưu tháng');
    const first = await user.send('abc xyz');
    expect(textOf(first)).toContain('chưa hiểu');
    expect(textOf(first)).not.toContain('Lương hưu tháng');
    expect(textOf(first).length).toBeLessThan(300);
    const second = await user.send('abc xyz');
    expect(textOf(second)).not.toBe(textOf(first));
    expect(textOf(second)).toContain(harness().app.config.bhxhHotline);
    await user.send('menu');
    const atMenu = textOf(await user.send('qwerty'));
    expect(atMenu.match(/bấm một nút bên dưới hoặc gõ số thứ tự/g) ?? []).toHaveLength(1);
    expect(atMenu).not.toContain('Ông/Bà cần giúp việc gì?');
  });
});
