import { expect, it } from 'vitest';
import { conversationModel } from '../../src/db/models/conversation.js';
import { paymentMethodRequestModel } from '../../src/db/models/payment-method-request.js';
import { describeOnChannels, type ChannelHarness } from '../support/channels.js';
import { buttonsOf, textOf, type ChatDriver } from '../support/chat-driver.js';
import {
  CASHLESS_ENV,
  adminCall,
  linkChat,
  pressNotificationButton,
  seedPerson,
} from '../support/cashless-helpers.js';

const REFERENCE = /YC-[2-9A-HJKMNP-Z]{6}/;

interface RequestBody {
  reference: string;
  status: string;
  notMe: boolean;
  withinMinInterval: boolean;
  effectiveFromPeriod: string | null;
  method: { kind: string; bankBin: string | null; accountMasked: string | null; nameMatches: boolean | null; homeReason: string | null; walletProvider: string | null };
}

function referenceIn(text: string): string {
  const found = REFERENCE.exec(text);
  if (!found) throw new Error(`no reference in: ${text}`);
  return found[0];
}

/** Opens the cashless flow from the menu; with one linked person it goes straight to the method. */
async function openFlow(user: ChatDriver): Promise<string> {
  await user.send('menu');
  return textOf(await user.tap('Nhận lương hưu qua tài khoản'));
}

/** Bank account at Vietcombank for a linked person, up to the summary; the holder proposed from the register unless `holder` is typed. */
async function bankToSummary(user: ChatDriver, account: string, holder?: string): Promise<string> {
  await openFlow(user);
  await user.tap('Tài khoản ngân hàng');
  await user.send('vietcom');
  const summary = textOf(await user.send(account));
  if (holder === undefined) return summary;
  expect(textOf(await user.tap('Sửa tên chủ tài khoản'))).toContain('Tên chủ tài khoản là gì?');
  return textOf(await user.send(holder));
}

async function submitBank(h: ChannelHarness, user: ChatDriver, holder?: string): Promise<string> {
  await bankToSummary(user, '0071000123456', holder);
  const done = textOf(await user.tap('Gửi yêu cầu'));
  expect(done).toContain('Mã yêu cầu của Ông/Bà');
  void h;
  return referenceIn(done);
}

describeOnChannels(
  'register cashless payment',
  (harness) => {
    it('registers a bank account chosen by typing "vietcom", re-asks an account with letters, never echoes it, then refuses a second request', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 1);
      await linkChat(h, 1, person.id);
      const user = h.chat(1);

      const method = await openFlow(user);
      expect(method).toContain('Ông/Bà muốn nhận lương hưu bằng cách nào?');
      expect(method).toContain('vẫn được phép');
      const methodButtons = buttonsOf(user.history().slice(-1));
      expect(methodButtons.some((b) => b.includes('Tài khoản ngân hàng'))).toBe(true);
      expect(methodButtons.some((b) => b.includes('Tiền mặt tại bưu điện'))).toBe(true);
      // E-wallets are off unless the deployment enables them.
      expect(methodButtons.some((b) => b.includes('Ví điện tử'))).toBe(false);

      const bankQuestion = textOf(await user.tap('Tài khoản ngân hàng'));
      expect(bankQuestion).toContain('Gõ vài chữ trong tên ngân hàng');
      expect(buttonsOf(user.history().slice(-1)).some((b) => b.includes('Agribank'))).toBe(true);

      const accountQuestion = textOf(await user.send('vietcom'));
      expect(accountQuestion).toContain('Ngân hàng: Vietcombank.');
      expect(accountQuestion).toContain('số tài khoản Vietcombank');

      const letters = textOf(await user.send('0071 ABC 3456'));
      expect(letters).toContain('không có chữ cái');
      expect(letters).toContain('số tài khoản Vietcombank');
      expect(textOf(await user.send('12345'))).toContain('từ 6 đến 19 chữ số');
      const card = textOf(await user.send('9704 0512 3456 7890'));
      expect(card).toContain('Đây có vẻ là số thẻ');
      expect(card).toContain('sổ tài khoản');
      expect(card).not.toContain('Đã ghi nhận');
      expect(accountQuestion).not.toMatch(/trên thẻ/);

      const noted = textOf(await user.send('0071 0001 23456'));
      expect(noted).toContain('*********3456');
      expect(noted).not.toContain('0071000123456');
      // The holder is proposed from the register: no question, straight to the summary.
      expect(noted).not.toContain('Tên chủ tài khoản là gì?');
      const summary = noted;
      // The final confirmation shows the full number typed, grouped for checking.
      expect(summary).toContain('Vietcombank, số 0071 0001 2345 6, chủ tài khoản PHAM THI HOA');
      expect(summary).toContain('lấy theo hồ sơ BHXH');
      expect(summary).not.toContain('0071000123456');
      expect(summary).toContain('VssID');
      expect(summary).toContain('dichvucong.gov.vn');
      expect(summary).not.toContain('khác tên người hưởng');

      const done = textOf(await user.tap('Gửi yêu cầu'));
      const reference = referenceIn(done);
      expect(done).toContain('kỳ chi trả tiếp theo');
      expect(done).toContain('KHÔNG BAO GIỜ hỏi mã OTP');

      const stored = await adminCall<RequestBody>(h.app, 'GET', `/requests/${reference}`);
      expect(stored.status).toBe(200);
      expect(stored.body).toMatchObject({ status: 'submitted', method: { kind: 'bank', bankBin: '970436', accountMasked: '*********3456', nameMatches: true } });
      expect(stored.text).not.toContain('0071000123456');

      // Account numbers never sit in clear in conversation state either.
      const conversations = await conversationModel(h.app.connection).find({}).lean().exec();
      expect(JSON.stringify(conversations)).not.toContain('0071000123456');
      expect(JSON.stringify(conversations)).not.toContain('0071 0001 2345 6');

      const again = textOf(await user.tap('Nhận lương hưu qua tài khoản'));
      expect(again).toContain(`đang chờ cán bộ BHXH xem xét (mã ${reference})`);
      expect(again).toContain('Ông/Bà cần giúp việc gì?');
    });

    it('offers a short list when a typed bank name fits several, and the popular list when it fits none', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 12);
      await linkChat(h, 12, person.id);
      const user = h.chat(12);
      await openFlow(user);
      await user.tap('Tài khoản ngân hàng');
      const none = await user.send('xyzabc');
      expect(textOf(none)).toContain('chưa tìm thấy ngân hàng');
      expect(buttonsOf(none)).toEqual(expect.arrayContaining(['1. Agribank', '2. Vietcombank']));
      const several = await user.send('sai gon');
      expect(textOf(several)).toContain('Có vài ngân hàng có tên gần giống');
      expect(buttonsOf(several)).toEqual(expect.arrayContaining(['1. Sacombank', '2. SHB', '3. Saigonbank', '4. SCB']));
      expect(textOf(await user.send('3'))).toContain('Ngân hàng: Saigonbank.');
    });

    it('flags an account holder name that is not the beneficiary\u2019s, and says the account must be in their own name', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 2, { fullName: 'Đỗ Văn Minh' });
      await linkChat(h, 2, person.id);
      const user = h.chat(2);
      const summary = await bankToSummary(user, '1500205999888', 'NGUYEN THI LAN');
      expect(summary).toContain('Tài khoản phải đứng tên chính người hưởng');
      expect(summary).toContain('khác tên người hưởng');
      const reference = referenceIn(textOf(await user.tap('Gửi yêu cầu')));
      const stored = await adminCall<RequestBody>(h.app, 'GET', `/requests/${reference}`);
      expect(stored.body.method.nameMatches).toBe(false);
    });

    it('registers cash at home with a reason', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 3);
      await linkChat(h, 3, person.id);
      const user = h.chat(3);
      await openFlow(user);
      expect(textOf(await user.tap('Tiền mặt tại nhà'))).toContain('Vì sao Ông/Bà cần nhận tiền mặt tại nhà?');
      const summary = textOf(await user.tap('nằm một chỗ'));
      expect(summary).toContain('Nhận tiền mặt tại nhà.');
      const reference = referenceIn(textOf(await user.send('1')));
      const stored = await adminCall<RequestBody>(h.app, 'GET', `/requests/${reference}`);
      expect(stored.body.method).toMatchObject({ kind: 'cash_home', homeReason: 'bedridden', accountMasked: null });
    });

    it('lets a second linked chat freeze the request with "this was not me"', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 4);
      await linkChat(h, 4, person.id);
      await linkChat(h, 5, person.id);
      const requester = h.chat(4);
      const other = h.chat(5);
      await other.send('/start');
      const reference = await submitBank(h, requester);

      const alert = (await other.allMessages()).slice(-1)[0]!;
      expect(alert.text).toContain(`(mã ${reference})`);
      expect(alert.text).toContain('*********3456');
      expect(alert.text).not.toContain('0071000123456');
      // A button where the platform has them; a line to type on the Zalo Bot Platform.
      expect([...alert.buttons, ...alert.text.split('\n')]).toContain('⚠️ Đây không phải tôi');
      // The requester is not alerted about their own request.
      expect(textOf(await requester.allMessages())).not.toContain('Đây không phải tôi');

      const frozen = textOf(await pressNotificationButton(other, 'Đây không phải tôi'));
      expect(frozen).toContain(`Đã tạm khóa yêu cầu ${reference}`);
      expect(frozen).toContain('Ông/Bà vui lòng tự gọi tổng đài BHXH');
      expect(frozen).toContain('thì đó là kẻ gian');

      const stored = await adminCall<RequestBody>(h.app, 'GET', `/requests/${reference}`);
      expect(stored.body).toMatchObject({ status: 'frozen', notMe: true });
      const doc = await paymentMethodRequestModel(h.app.connection).findOne({ reference }).lean().exec();
      expect(doc?.notMe?.chatId).toBe(h.chatKey(5).chatId);
      // Frozen still counts as pending: no new request meanwhile, and approval is refused.
      expect(await openFlow(requester)).toContain(`(mã ${reference})`);
      expect((await adminCall(h.app, 'POST', `/requests/${reference}/approve`, { body: {} })).status).toBe(409);
    });

    it('applies the minimum interval: warns the user, and approval needs a staff override', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 6);
      await linkChat(h, 6, person.id);
      const user = h.chat(6);
      const first = await submitBank(h, user);
      expect((await adminCall(h.app, 'POST', `/requests/${first}/approve`, { body: {} })).status).toBe(200);

      const warned = await openFlow(user);
      expect(warned).toContain('Mỗi 90 ngày chỉ nên đổi một lần');
      await user.tap('Tiền mặt tại bưu điện');
      const second = referenceIn(textOf(await user.tap('Gửi yêu cầu')));
      const listed = await adminCall<RequestBody>(h.app, 'GET', `/requests/${second}`);
      expect(listed.body.withinMinInterval).toBe(true);

      const refused = await adminCall<{ code: string }>(h.app, 'POST', `/requests/${second}/approve`, { body: {} });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('too_soon');
      const overridden = await adminCall<RequestBody & { overrideFrequency: boolean }>(h.app, 'POST', `/requests/${second}/approve`, { body: { overrideFrequency: true } });
      expect(overridden.status).toBe(200);
      expect(overridden.body.overrideFrequency).toBe(true);
    });

    it('refuses a beneficiary staff have frozen, and accepts again once unfrozen', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 7);
      await linkChat(h, 7, person.id);
      const user = h.chat(7);
      expect((await adminCall(h.app, 'POST', `/beneficiaries/${person.bhxhCode}/freeze`)).status).toBe(200);
      const refused = await openFlow(user);
      expect(refused).toContain('đang được cơ quan BHXH tạm khóa');
      expect(refused).toContain('Ông/Bà cần giúp việc gì?');
      expect((await adminCall(h.app, 'POST', `/beneficiaries/${person.bhxhCode}/unfreeze`)).status).toBe(200);
      expect(await openFlow(user)).toContain('Ông/Bà muốn nhận lương hưu bằng cách nào?');
    });

    it('tells an English-speaking user of the approval, in English, with the period', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 8, { fullName: 'Vũ Thị Mai' });
      await linkChat(h, 8, person.id);
      const user = h.chat(8);
      await user.send('english');
      await user.send('menu');
      expect(textOf(await user.tap('Get my pension by account'))).toContain('How would you like to receive the pension?');
      await user.tap('Bank account');
      expect(textOf(await user.send('agri'))).toContain('Bank: Agribank.');
      expect(textOf(await user.send('12ab34567'))).toContain('no letters');
      expect(textOf(await user.send('1500205777666'))).toContain('Paid to Agribank account 1500 2057 7766 6, holder VU THI MAI');
      const reference = referenceIn(textOf(await user.tap('Send the request')));

      const approved = await adminCall<RequestBody>(h.app, 'POST', `/requests/${reference}/approve`, { body: {} });
      expect(approved.status).toBe(200);
      const period = approved.body.effectiveFromPeriod!;
      expect(period).toMatch(/^\d{4}-\d{2}$/);
      const [year, month] = period.split('-');
      const told = (await user.allMessages()).slice(-1)[0]!.text;
      expect(told).toContain(`Request ${reference} has been approved`);
      expect(told).toContain(`from the ${month}/${year} payment period`);
    });

    it('delivers a rejection with its reason and what to do next', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 9);
      await linkChat(h, 9, person.id);
      const user = h.chat(9);
      const reference = await submitBank(h, user);
      const rejected = await adminCall(h.app, 'POST', `/requests/${reference}/reject`, { body: { reason: 'Số tài khoản không khớp với ngân hàng.' } });
      expect(rejected.status).toBe(200);
      const told = (await user.allMessages()).slice(-1)[0]!.text;
      expect(told).toContain(`Yêu cầu ${reference} chưa được duyệt. Lý do: Số tài khoản không khớp với ngân hàng.`);
      expect(told).toContain('gửi lại yêu cầu');
      // Rejected is no longer pending: a new request may start.
      expect(await openFlow(user)).toContain('Ông/Bà muốn nhận lương hưu bằng cách nào?');
    });

    it('keeps nothing when cancelled mid-flow', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 10);
      await linkChat(h, 10, person.id);
      const user = h.chat(10);
      await openFlow(user);
      await user.tap('Tài khoản ngân hàng');
      await user.send('bidv');
      await user.send('21010000555444');
      expect(textOf(await user.send('hủy'))).toContain('Đã hủy');
      const requests = await paymentMethodRequestModel(h.app.connection).countDocuments({ beneficiaryId: person.id }).exec();
      expect(requests).toBe(0);
      const conversation = await conversationModel(h.app.connection).findOne({ chatId: h.chatKey(10).chatId }).lean().exec();
      expect(conversation?.flow).toBe('menu');
      expect(JSON.stringify(conversation?.data)).not.toMatch(/accountSealed|5444/);
    });

    it('continues where it was after an app restart', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 11);
      await linkChat(h, 11, person.id);
      const user = h.chat(11);
      await openFlow(user);
      await user.tap('Tài khoản ngân hàng');
      await user.send('vietin');
      expect(textOf(await user.send('101010202020'))).toContain('chủ tài khoản PHAM THI HOA');
      expect(textOf(await user.tap('Sửa tên chủ tài khoản'))).toContain('Tên chủ tài khoản là gì?');
      await h.restart();
      expect(textOf(await user.send('Phạm Thị Hoa'))).toContain('VietinBank, số 1010 1020 2020, chủ tài khoản Phạm Thị Hoa');
      expect(textOf(await user.tap('Gửi yêu cầu'))).toMatch(REFERENCE);
    });
  },
  { env: CASHLESS_ENV },
);

describeOnChannels(
  'register cashless payment with e-wallets enabled',
  (harness) => {
    it('offers e-wallets and records the provider and the masked wallet phone', async () => {
      const h = harness();
      const person = await seedPerson(h.app, 20);
      await linkChat(h, 20, person.id);
      const user = h.chat(20);
      await openFlow(user);
      expect(textOf(await user.tap('Ví điện tử'))).toContain('Ông/Bà dùng ví điện tử nào?');
      await user.tap('Viettel Money');
      expect(textOf(await user.send('09x2345678'))).toContain('chỉ gồm chữ số');
      const summary = textOf(await user.send('0912 345 678'));
      expect(summary).toContain('Nhận qua ví Viettel Money, số điện thoại 09******78');
      expect(summary).not.toContain('0912345678');
      const reference = referenceIn(textOf(await user.tap('Gửi yêu cầu')));
      const stored = await adminCall<RequestBody>(h.app, 'GET', `/requests/${reference}`);
      expect(stored.body.method).toMatchObject({ kind: 'ewallet', walletProvider: 'viettel_money', accountMasked: '09******78' });
    });
  },
  { env: { ...CASHLESS_ENV, EWALLET_ENABLED: 'true' } },
);
