import { expect, it } from 'vitest';
import { describeOnChannels } from '../support/channels.js';
import { buttonsOf, textOf } from '../support/chat-driver.js';

describeOnChannels('main menu and anti-fraud tips', (harness) => {
  it('greets, shows the menu, and walks the anti-fraud tips by tap and by typed number', async () => {
    const user = harness().chat(1);
    const start = await user.send('/start');
    expect(textOf(start)).toContain('Kính chào Ông/Bà');
    expect(buttonsOf(start).some((b) => b.includes('Cảnh báo lừa đảo'))).toBe(true);
    const tips = await user.tap('Cảnh báo lừa đảo');
    expect(textOf(tips)).toContain('KHÔNG BAO GIỜ hỏi mã OTP');
    expect(textOf(await user.send('5'))).toContain('Nếu Ông/Bà đã bị lừa');
    expect(textOf(await user.tap('Về menu chính'))).toContain('Ông/Bà cần giúp việc gì?');
  });

  it('stops notices on "Dừng nhận tin" and resubscribes on /start', async () => {
    const user = harness().chat(3);
    await user.send('/start');
    const key = harness().chatKey(3);
    expect(await harness().app.domain.chatUsers.isSubscribed(key)).toBe(true);
    expect(textOf(await user.send('dung nhan tin'))).toContain('Ông/Bà cần giúp việc gì?');
    expect(await harness().app.domain.chatUsers.isSubscribed(key)).toBe(false);
    await user.send('/start');
    expect(await harness().app.domain.chatUsers.isSubscribed(key)).toBe(true);
    // The settings menu does the same.
    await user.send('cai dat');
    const stopped = textOf(await user.tap('Dừng nhận tin'));
    expect(stopped).toContain('đã dừng nhận thông báo');
    expect(stopped).not.toContain('/start');
    expect(await harness().app.domain.chatUsers.isSubscribed(key)).toBe(false);
    // What the message says to type works.
    await user.send('nhận lại thông báo');
    expect(await harness().app.domain.chatUsers.isSubscribed(key)).toBe(true);
    await user.send('cai dat');
    await user.tap('Dừng nhận tin');
    await user.send('cai dat');
    expect(textOf(await user.tap('Nhận lại thông báo'))).toContain('sẽ nhận lại thông báo');
    expect(await harness().app.domain.chatUsers.isSubscribed(key)).toBe(true);
  });

  it('switches to English and back, and the choice survives a restart', async () => {
    const user = harness().chat(2);
    await user.send('/start');
    const question = await user.send('ngon ngu');
    // The language question offers languages only.
    expect(buttonsOf(question).filter((b) => !b.includes('menu')).map((b) => b.replace(/^\d+\.\s*/, ''))).toEqual(['Tiếng Việt', 'English']);
    expect(textOf(await user.tap('English'))).toContain('How can I help you?');
    await harness().restart();
    expect(textOf(await user.send('menu'))).toContain('How can I help you?');
    expect(textOf(await user.send('tiếng việt'))).toContain('Đã chuyển sang tiếng Việt.');
  });
});
