import { expect, it } from 'vitest';
import { describeOnChannels } from '../support/channels.js';
import { textOf } from '../support/chat-driver.js';
import { CASHLESS_ENV, seedPerson } from '../support/cashless-helpers.js';

describeOnChannels(
  'a bank change in few inputs',
  (harness) => {
    it('takes a never-linked person from the menu to a submitted bank change in at most 8 typed inputs', async () => {
      const person = await seedPerson(harness().app, 916_001);
      const user = harness().chat(1);
      await user.send('/start');
      const typed: string[] = [];
      const type = async (text: string) => {
        typed.push(text);
        return textOf(await user.send(text));
      };
      // Linking happens inline and comes back to the registration.
      expect(await type('doi sang ngan hang')).toContain('xác minh hồ sơ');
      await type('dong y');
      await type(person.bhxhCode);
      await type('12/04/1950');
      const linked = await type('0912000111');
      expect(linked).toContain('Ông/Bà muốn nhận lương hưu bằng cách nào?');
      expect(await type('agribank')).toContain('số tài khoản Agribank');
      const summary = await type('1500205123456');
      expect(summary).toContain('Agribank, số 1500 2051 2345 6, chủ tài khoản PHAM THI HOA');
      expect(await type('gui')).toContain('Đã gửi yêu cầu');
      console.info(`inputs from the menu to a submitted bank change (never linked, typing only): ${typed.length}`);
      expect(typed.length).toBeLessThanOrEqual(8);
      expect(await harness().app.domain.paymentMethods.eligibility(person.id)).toMatchObject({ ok: false, reason: 'pending' });
    });

    it('"Sửa" changes one field and keeps the others', async () => {
      const person = await seedPerson(harness().app, 916_002);
      await harness().app.domain.links.createSelfLink(harness().chatKey(2), person.id, 'test');
      const user = harness().chat(2);
      await user.send('/start');
      await user.send('doi sang ngan hang');
      await user.send('vietcom');
      expect(await textOf(await user.send('0071000123456'))).toContain('Vietcombank, số 0071 0001 2345 6, chủ tài khoản PHAM THI HOA');
      expect(textOf(await user.send('Sửa số tài khoản'))).toContain('số tài khoản Vietcombank');
      expect(textOf(await user.send('0071000987654'))).toContain('Vietcombank, số 0071 0009 8765 4, chủ tài khoản PHAM THI HOA');
      await user.send('Sửa ngân hàng');
      expect(textOf(await user.send('agri'))).toContain('Agribank, số 0071 0009 8765 4, chủ tài khoản PHAM THI HOA');
      await user.send('Sửa tên chủ tài khoản');
      const changed = textOf(await user.send('Pham T Hoa'));
      expect(changed).toContain('Agribank, số 0071 0009 8765 4, chủ tài khoản Pham T Hoa');
      expect(changed).not.toContain('lấy theo hồ sơ BHXH');
    });
  },
  { env: CASHLESS_ENV },
);
