import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANNELS, type ChannelHarness } from '../support/channels.js';
import { textOf, type TelegramChatDriver } from '../support/chat-driver.js';
import { linkChat, seedPerson } from '../support/cashless-helpers.js';
import { plainPhoto, qrPhoto } from '../support/qr-images.js';
import { crc16, encodeVietQr } from '../../src/domain/vietqr/emv.js';

/**
 * A bank account from a photo of its VietQR code, through the real Telegram
 * webhook: the update names a file id, the app asks the (fake) Bot API for the
 * file and decodes the image it downloads.
 */
describe('bank account from a VietQR photo [telegram]', () => {
  let harness: ChannelHarness;
  beforeAll(async () => {
    harness = await CHANNELS.telegram!({});
  });
  afterAll(async () => {
    await harness?.stop();
  });

  const start = async (n: number) => {
    const person = await seedPerson(harness.app, 915_000 + n);
    await linkChat(harness, n, person.id);
    const user = harness.chat(n) as TelegramChatDriver;
    await user.send('/start');
    return Object.assign(user, { personId: person.id });
  };

  it('proposes the bank and the full account from a photo, and submits in four inputs', async () => {
    const user = await start(1);
    let inputs = 0;
    const say = async (text: string) => (inputs++, textOf(await user.send(text)));
    expect(await say('doi sang ngan hang')).toContain('Ông/Bà muốn nhận lương hưu bằng cách nào?');
    const photo = await qrPhoto(encodeVietQr({ bin: '970405', number: '1500205123456', kind: 'account', dynamic: false }), { format: 'jpeg', rotate: 12, noise: 30 });
    inputs++;
    const proposal = textOf(await user.sendImage(photo));
    expect(proposal).toContain('Mã QR ghi: Agribank, số tài khoản 1500 2051 2345 6 — đúng không?');
    expect(await say('dung')).toContain('Agribank, số 1500 2051 2345 6, chủ tài khoản PHAM THI HOA');
    expect(await say('gui')).toContain('Đã gửi yêu cầu');
    expect(inputs).toBe(4);
    expect(await harness.app.domain.paymentMethods.eligibility(user.personId)).toMatchObject({ ok: false, reason: 'pending' });
  });

  it('answers a card code, a photo without a code, another kind of code and a damaged code, and typing still works', async () => {
    const user = await start(2);
    await user.send('doi sang ngan hang');
    await user.send('1');
    await user.send('agri');
    const card = textOf(await user.sendImage(await qrPhoto(encodeVietQr({ bin: '970405', number: '9704051234567890', kind: 'card', dynamic: false }))));
    expect(card).toContain('mã QR của thẻ, không phải của tài khoản');
    const none = textOf(await user.sendImage(plainPhoto()));
    expect(none).toContain('chưa đọc được mã QR');
    const other = textOf(await user.sendImage(await qrPhoto('https://zalo.me/g/abcdef')));
    expect(other).toContain('không phải mã nhận tiền (VietQR)');
    const good = encodeVietQr({ bin: '970405', number: '1500205123456', kind: 'account', dynamic: false });
    const damaged = textOf(await user.sendImage(await qrPhoto(`${good.slice(0, -4)}${crc16(good) === '0000' ? '1111' : '0000'}`)));
    expect(damaged).toContain('bị mờ hoặc hỏng');
    for (const answer of [card, none, other, damaged]) {
      expect(answer).toContain('gõ số tài khoản');
      expect(answer).not.toContain('Đã ghi nhận');
    }
    expect(textOf(await user.send('0071 0001 23456'))).toContain('Agribank, số 0071 0001 2345 6, chủ tài khoản PHAM THI HOA');
  });

  it('reads codes of several banks, static and dynamic, rotated, noisy and small, and "Không đúng" goes to typing', async () => {
    const user = await start(3);
    await user.send('doi sang ngan hang');
    await user.send('1');
    const codes = [
      { bin: '970436', number: '0011001932418', bank: 'Vietcombank', spoil: { format: 'png', size: 220 } },
      { bin: '970415', number: '101872345678', bank: 'VietinBank', spoil: { format: 'jpeg', rotate: -30, noise: 40, quality: 60 }, amount: '250000' },
      { bin: '970418', number: '21510000123456', bank: 'BIDV', spoil: { format: 'jpeg', rotate: 90, quality: 50 } },
      { bin: '970405', number: '1500205123456', bank: 'Agribank', spoil: { format: 'jpeg', size: 700, noise: 60, quality: 70 } },
    ] as const;
    let read = 0;
    for (const code of codes) {
      const payload = encodeVietQr({ bin: code.bin, number: code.number, kind: 'account', dynamic: 'amount' in code, ...('amount' in code ? { amount: code.amount } : {}) });
      const answer = textOf(await user.sendImage(await qrPhoto(payload, code.spoil)));
      if (answer.includes(`${code.bank}, số tài khoản ${code.number.replace(/(\d{4})(?=\d)/g, '$1 ')}`)) read++;
      // Another photo replaces the proposal, whatever it was.
    }
    console.info(`VietQR through the Telegram webhook: ${read}/${codes.length} read`);
    expect(read).toBe(codes.length);
    const typing = textOf(await user.send('Không đúng, tôi gõ số khác'));
    expect(typing).toContain('số tài khoản Agribank');
  });
});
