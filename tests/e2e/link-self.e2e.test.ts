import { expect, it } from 'vitest';
import { describeOnChannels, type ChannelHarness } from '../support/channels.js';
import { textOf, type ChatDriver } from '../support/chat-driver.js';
import { PERSONAS, seedPersonas } from '../support/personas.js';
import { shareOthersContact } from '../support/link-helpers.js';

const ASK_ID = 'gõ mã số BHXH';
const ASK_DOB = 'gõ ngày sinh';
const MISMATCH = 'Thông tin chưa khớp với hồ sơ';
const LOCKED = 'tạm khóa đến';

/** A record only the lockout test uses, so its lock cannot disturb other tests. */
const DUNG = { ...PERSONAS.an, bhxhCode: '0109990001', cccd: '001060011111', fullName: 'Phạm Văn Dũng', birthDate: '1960-01-02', phones: ['0977000111'] };

async function openLinkSelf(user: ChatDriver): Promise<string> {
  await user.send('/start');
  const first = await user.tap('Liên kết hồ sơ của tôi');
  if (!first.some((msg) => msg.buttons.some((b) => b.includes('Đồng ý')))) return textOf(first);
  return textOf(await user.tap('Đồng ý'));
}

async function chatKey(h: ChannelHarness, user: ChatDriver) {
  return { channel: h.name as 'telegram' | 'simulator', chatId: String((user as unknown as { chatId: string | number }).chatId) };
}

describeOnChannels('link my own record', (harness) => {
  let seeded = false;
  const seed = async () => {
    if (seeded) return;
    await seedPersonas(harness().app.domain);
    await harness().app.domain.beneficiaries.upsert(DUNG);
    seeded = true;
  };

  it('links by BHXH code with the contact button, after consent', async () => {
    await seed();
    const user = harness().chat(1);
    await user.send('/start');
    const consent = await user.tap('Liên kết hồ sơ của tôi');
    expect(textOf(consent)).toContain('mã tài khoản trò chuyện');
    expect(textOf(consent)).toContain('Dữ liệu của tôi');
    expect(consent.at(-1)!.buttons.join('|')).toContain('Không đồng ý');
    expect(textOf(await user.tap('Đồng ý'))).toContain(ASK_ID);
    expect(await harness().app.domain.chatUsers.hasConsented(await chatKey(harness(), user), '2026-11-v1')).toBe(true);
    expect(textOf(await user.send('0101 234 567'))).toContain(ASK_DOB);
    const phoneAsk = await user.send('5-3-1952');
    expect(phoneAsk.some((m) => m.requestsContact)).toBe(true);
    const done = textOf(await user.shareContact('+84912345678'));
    expect(done).toContain('Đã liên kết thành công hồ sơ của Nguyễn Văn An');
    expect(done).toContain('******4567');
    expect(done).not.toContain('0101234567');
    const linked = await harness().app.domain.links.activeFor(await chatKey(harness(), user));
    expect(linked.map((l) => l.fullName)).toEqual(['Nguyễn Văn An']);
    // Linking the same record again: said at once, nothing else asked.
    const again = textOf(await user.tap('Về menu chính').then(() => user.tap('Liên kết hồ sơ của tôi')));
    expect(again).toContain(ASK_ID); // consent not asked twice
    expect(textOf(await user.send('0101234567'))).toContain('đã được liên kết');
  });

  it('links by CCCD with a typed +84 phone', async () => {
    await seed();
    const user = harness().chat(2);
    await openLinkSelf(user);
    await user.send('001 155 054 321');
    await user.send('20.11.1955');
    expect(textOf(await user.send('+84 987 654 321'))).toContain('Trần Thị Bình');
    // Identifiers never reach the logs.
    expect(harness().app.logs.text()).not.toMatch(/001155054321|987654321|0107654321/);
  });

  it('accepts a pre-2018 11-digit number mapped to today\'s prefix', async () => {
    await seed();
    const user = harness().chat(3);
    await openLinkSelf(user);
    await user.send('0107654321');
    await user.send('20/11/1955');
    // 0168 became 038 in 2018: the record holds 0389123456.
    expect(textOf(await user.send('01689 123 456'))).toContain('Đã liên kết thành công');
  });

  it('after three wrong dates of birth it still links, and never says which field was wrong', async () => {
    await seed();
    const user = harness().chat(4);
    await openLinkSelf(user);
    for (const wrong of ['16/07/1940', '15/08/1940', '15/07/1941']) {
      await user.send('3109876543');
      await user.send(wrong);
      const failed = textOf(await user.send('0903111222'));
      expect(failed).toContain(MISMATCH);
      expect(failed).toContain(ASK_ID);
      expect(failed).not.toMatch(/ngày sinh|năm sinh|số điện thoại không|mã số BHXH không/i);
    }
    await user.send('3109876543');
    await user.send('15/07/1940');
    expect(textOf(await user.send('0903 111 222'))).toContain('Lê Văn Cường');
  });

  it('locks a stranger\u2019s chat after five failures, saying how many tries are left; the owner still links from their own chat', async () => {
    await seed();
    const user = harness().chat(5);
    await openLinkSelf(user);
    let last = '';
    const told: string[] = [];
    for (let i = 0; i < 5; i++) {
      await user.send(DUNG.bhxhCode);
      await user.send('03/01/1960');
      last = textOf(await user.send('0977000111'));
      told.push(last);
    }
    expect(told[0]).toContain('còn 4 lần nhập');
    expect(told[3]).toContain('còn 1 lần nhập');
    expect(last).toContain(LOCKED);
    expect(last).toContain('1900 9068');
    expect(last).toContain('CCCD');
    // Sixth try: refused at once, nothing asked.
    const sixth = textOf(await user.tap('Liên kết hồ sơ của tôi'));
    expect(sixth).toContain(LOCKED);
    expect(sixth).not.toContain(ASK_ID);
    expect(sixth).not.toContain('Ông/Bà có đồng ý không?');
    // The owner, from their own chat, with the right answers: the stranger's guesses did not lock the record.
    const owner = harness().chat(6);
    await openLinkSelf(owner);
    expect(textOf(await owner.send(DUNG.bhxhCode))).toContain(ASK_DOB);
    await owner.send('02/01/1960');
    expect(textOf(await owner.send('0977000111'))).toContain('Phạm Văn Dũng');
    const record = await harness().app.domain.beneficiaries.byBhxhCode(DUNG.bhxhCode);
    expect(record?.selfServiceLockedUntil ?? null).toBeNull();
  });

  it('a record locked by guesses from many chats opens to its owner sharing the phone the register holds', async () => {
    await seed();
    const code = '0109990002';
    const { id } = await harness().app.domain.beneficiaries.upsert({ ...DUNG, bhxhCode: code, cccd: '001060022222', phones: ['0977000222'] });
    for (let i = 0; i < 20; i++) {
      await harness().app.domain.identity.verifyRelative({ channel: 'simulator', chatId: `guess-${harness().name}-${i}` }, { beneficiaryId: String(id), birthDate: '1960-01-03' });
    }
    expect(await harness().app.domain.identity.lockedUntil({ channel: 'simulator', chatId: 'fresh' }, String(id))).not.toBeNull();
    const owner = harness().chat(8);
    await openLinkSelf(owner);
    await owner.send(code);
    await owner.send('02/01/1960');
    // Typed, the number is not verified by the platform: still locked, and told how to open it.
    const typed = textOf(await owner.send('0977000222'));
    expect(typed).toContain(LOCKED);
    expect(typed).toContain('Gửi số điện thoại của tôi');
    await owner.send('menu');
    await openLinkSelf(owner);
    await owner.send(code);
    await owner.send('02/01/1960');
    const shared = textOf(await owner.shareContact('0977000222'));
    if (harness().name === 'zalo-bot') {
      // The Bot Platform has no contact button: a number sent there is typed, never verified by Zalo.
      expect(shared).toContain(LOCKED);
      return;
    }
    expect(shared).toContain('Phạm Văn Dũng');
    expect(await harness().app.domain.identity.lockedUntil({ channel: 'simulator', chatId: 'fresh' }, String(id))).toBeNull();
  });

  it('catches a CCCD whose birth-year digits disagree with the date of birth, before any check', async () => {
    await seed();
    const user = harness().chat(7);
    await openLinkSelf(user);
    await user.send('001155054321');
    const reply = textOf(await user.send('20/11/1956'));
    expect(reply).toContain('Năm sinh trong số CCCD không khớp');
    expect(reply).toContain(ASK_ID);
    const attempts = await harness().app.connection.collection('identity_attempts').countDocuments({ chatId: String((user as unknown as { chatId: string | number }).chatId) });
    expect(attempts).toBe(0);
  });

  it('refuses a shared contact that is not the user\'s own', async (ctx) => {
    if (harness().name !== 'telegram') ctx.skip(); // the simulator's phone form only sends one's own number
    await seed();
    const user = harness().chat(8);
    await openLinkSelf(user);
    await user.send('0101234567');
    await user.send('05/03/1952');
    const reply = textOf(await shareOthersContact(harness(), user, '+84912345678'));
    expect(reply).toContain('danh bạ của người khác');
    expect(reply).not.toContain('Đã liên kết');
    expect(textOf(await user.shareContact('0912345678'))).toContain('Đã liên kết thành công');
  });

  it('cancels mid-flow with "hủy" and starts again without the consent question', async () => {
    await seed();
    const user = harness().chat(9);
    await openLinkSelf(user);
    await user.send('0101234567');
    expect(textOf(await user.send('hủy'))).toContain('Đã hủy');
    const again = await user.tap('Liên kết hồ sơ của tôi');
    expect(textOf(again)).toContain(ASK_ID);
    expect(textOf(again)).not.toContain('Ông/Bà có đồng ý không?');
    await user.send('0101234567');
    await user.send('05/03/1952');
    expect(textOf(await user.send('0912345678'))).toContain('Đã liên kết thành công');
  });

  it('continues where it was after an app restart', async () => {
    await seed();
    const user = harness().chat(10);
    await openLinkSelf(user);
    await user.send('0107654321');
    await user.send('20/11/1955');
    await harness().restart();
    expect(textOf(await user.send('0987654321'))).toContain('Đã liên kết thành công');
  });

  it('works in English', async () => {
    await seed();
    const user = harness().chat(11);
    await user.send('/start');
    await user.send('ngon ngu');
    await user.tap('English');
    const consent = textOf(await user.tap('Link my record'));
    expect(consent).toContain('Do you agree?');
    expect(textOf(await user.tap('I agree'))).toContain('social-insurance number');
    await user.send('3109876543');
    await user.send('01/01/1940');
    expect(textOf(await user.send('0903111222'))).toContain('The details do not match the record.');
    await user.send('3109876543');
    await user.send('15/07/1940');
    const done = textOf(await user.send('0903111222'));
    expect(done).toContain('is now linked');
    expect(done).toContain('******6543');
  });
});
