import { expect, it } from 'vitest';
import { describeOnChannels } from '../support/channels.js';
import { buttonsOf, textOf, type ChatDriver } from '../support/chat-driver.js';
import { adminCall, FRAUD_ADMIN_KEY } from '../support/fraud-api.js';
import type { FraudReportDoc } from '../../src/db/models/fraud-report.js';

/** The staff group is a Telegram chat; on the Telegram harness, chat(99) reads what the fake Bot API got for it. */
const STAFF_CHAT = 99;
const CASE = /LD-\d{4}-\d{6}/;

const caseIn = (text: string): string => {
  const found = CASE.exec(text);
  if (!found) throw new Error(`no case number in: ${text}`);
  return found[0];
};

describeOnChannels(
  'report a scam',
  (harness) => {
    const reportOf = (caseNumber: string) =>
      harness().app.connection.collection<FraudReportDoc>('fraud_reports').findOne({ caseNumber });

    /** Walks to the category question from a fresh chat. */
    async function openReport(user: ChatDriver, label = 'Báo cáo lừa đảo') {
      await user.send('/start');
      return user.tap(label);
    }

    let urgentCase = '';

    it('files an urgent report with money lost and two photos, advises, and alerts the staff chat without the reporter', async () => {
      const user = harness().chat(1);
      expect(textOf(await openReport(user))).toContain('Ông/Bà gặp trường hợp nào?');
      expect(textOf(await user.tap('Hỏi mã OTP'))).toContain('kể ngắn gọn');

      const described = await user.send('Có người gọi xưng cán bộ BHXH, bảo tôi đọc mã OTP 482913 để cập nhật lương hưu');
      expect(textOf(described)).toContain('Tôi đã ẩn dãy số đó');
      expect(textOf(described)).toContain('Kẻ gian đã dùng số điện thoại');

      expect(textOf(await user.send('0987 111 222'))).toContain('có bị mất tiền không');
      expect(textOf(await user.tap('Có, tôi đã mất tiền'))).toContain('bao nhiêu tiền');

      const bad = await user.send('nhiều lắm');
      expect(textOf(bad)).toContain('chưa đọc được số tiền');
      expect(textOf(bad)).toContain('bao nhiêu tiền');
      expect(textOf(await user.send('4,5'))).toContain('ghi rõ đơn vị');

      expect(textOf(await user.send('5 triệu'))).toContain('gửi ảnh');
      expect(textOf(await user.sendPhoto())).toContain('Đã nhận 1 ảnh');
      const second = await user.sendPhoto();
      expect(textOf(second)).toContain('Đã nhận 2 ảnh');
      const summary = textOf(await user.tap('Xong'));
      expect(summary).toContain('5.000.000 đ');
      expect(summary).toContain('Ảnh gửi kèm: 2');
      expect(summary).toContain('0987 111 222');
      expect(summary).not.toContain('482913');

      const done = textOf(await user.tap('Gửi báo cáo'));
      urgentCase = caseIn(done);
      expect(urgentCase).toMatch(new RegExp(`^LD-${new Date().getUTCFullYear()}-\\d{6}$`));
      expect(done).toContain('tổng đài ngân hàng');
      expect(done).toContain('113');
      expect(done).toContain('tinnhiemmang.vn');
      expect(done).toContain('5656');
      expect(done).toContain(harness().app.config.bhxhHotline);
      expect(done).toContain('Ông/Bà cần giúp việc gì?');

      const doc = await reportOf(urgentCase);
      expect(doc?.severity).toBe('urgent');
      expect(doc?.category).toBe('otp_request');
      expect(doc?.amountLost).toBe(5_000_000);
      expect(doc?.photoRefs).toHaveLength(2);
      expect(doc?.description).not.toContain('482913');
      expect(doc?.reporter).toEqual(harness().chatKey(1));

      if (harness().name === 'telegram') {
        const alert = textOf(harness().chat(STAFF_CHAT).history());
        expect(alert).toContain(urgentCase);
        expect(alert).toContain('5.000.000 đ');
        expect(alert).toContain(`/admin/api/fraud-cases/${urgentCase}`);
        expect(alert).not.toContain('700001');
        expect(alert).not.toContain('cập nhật lương hưu');
        expect(alert).not.toContain('0987');
        expect(doc?.staffAlertedAt).toBeInstanceOf(Date);
      }
    });

    it('files a normal report without money lost, skipping contact and photos, and sends no alert', async () => {
      const user = harness().chat(2);
      const staffBefore = harness().name === 'telegram' ? harness().chat(STAFF_CHAT).history().length : 0;
      await openReport(user);
      await user.tap('Làm hộ lương hưu');
      await user.send('Có người nhắn Zalo đòi 2 triệu phí để làm hồ sơ BHXH một lần');
      expect(textOf(await user.tap('Không có'))).toContain('có bị mất tiền không');
      expect(textOf(await user.tap('Không mất tiền'))).toContain('gửi ảnh');
      expect(buttonsOf(await user.allMessages()).some((b) => b.includes('Xong'))).toBe(false);
      const summary = textOf(await user.tap('Không có ảnh'));
      expect(summary).toContain('Không mất tiền');
      expect(summary).toContain('Ảnh gửi kèm: 0');
      const done = textOf(await user.send('1'));
      const caseNumber = caseIn(done);
      expect(done).toContain('miễn phí');
      expect(done).not.toContain('tổng đài ngân hàng');

      const doc = await reportOf(caseNumber);
      expect(doc?.severity).toBe('normal');
      expect(doc?.scammerContact).toBeUndefined();
      expect(doc?.photoRefs).toEqual([]);
      expect(doc?.staffAlertedAt).toBeUndefined();
      if (harness().name === 'telegram') expect(harness().chat(STAFF_CHAT).history()).toHaveLength(staffBefore);
    });

    let englishCase = '';

    it('takes the scammer\u2019s number from the story instead of asking for it again', async () => {
      const user = harness().chat(4);
      await openReport(user);
      await user.tap('Hỏi mã OTP');
      const described = textOf(await user.send('Có người gọi từ số 0912 345 678 xưng cán bộ BHXH, đòi tôi đọc mã'));
      expect(described).toContain('Tôi đã ghi lại số điện thoại hoặc đường link của kẻ gian có trong câu chuyện: 0912345678');
      expect(described).not.toContain('Kẻ gian đã dùng số điện thoại');
      expect(described).toContain('có bị mất tiền không');
      await user.tap('Không');
      const summary = textOf(await user.tap('Không có ảnh'));
      expect(summary).toContain('0912345678');
    });

    it('works in English', async () => {
      const user = harness().chat(3);
      await user.send('/start');
      expect(textOf(await user.send('english'))).toContain('How can I help you?');
      expect(textOf(await user.tap('Report a scam'))).toContain('What happened to you?');
      await user.tap('Fake app');
      expect(textOf(await user.send('A text message with a link to install a VssID app'))).toContain('Which phone number, link or account');
      await user.send('vssid-update.example');
      await user.tap('No money lost');
      const summary = textOf(await user.tap('No photo'));
      expect(summary).toContain('Please check your report');
      expect(summary).toContain('vssid-update.example');
      const done = textOf(await user.tap('Send the report'));
      englishCase = caseIn(done);
      expect(done).toContain('Case number');
      expect(done).toContain('Delete any app');
      // No money lost: advice to change codes given away, not to lock the account.
      expect(done).not.toContain("bank's hotline");
      expect(done).toContain('OTP');
      expect((await reportOf(englishCase))?.reporterLocale).toBe('en');
    });

    it('tells each reporter about a status change in their own language', async () => {
      const url = harness().app.url;
      const vi = await adminCall<{ status: string; reporterNotified: boolean }>(url, FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${urgentCase}/status`, {
        status: 'in_review',
        note: 'Đã gọi lại cho người báo',
      });
      expect(vi.status).toBe(200);
      expect(vi.body.status).toBe('in_review');
      expect(vi.body.reporterNotified).toBe(true);
      expect(textOf(await harness().chat(1).allMessages())).toContain(`Hồ sơ lừa đảo ${urgentCase} của Ông/Bà đang được cán bộ BHXH xem xét`);

      const en = await adminCall(url, FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${englishCase}/status`, { status: 'referred' });
      expect(en.status).toBe(200);
      expect(textOf(await harness().chat(3).allMessages())).toContain(`Your scam report ${englishCase} has been passed to the police`);

      const again = await adminCall<{ code: string }>(url, FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${englishCase}/status`, { status: 'in_review' });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('invalid_transition');
    });
  },
  { env: { ADMIN_BOOTSTRAP_KEY: FRAUD_ADMIN_KEY, STAFF_ALERT_TELEGRAM_CHAT_ID: String(700_000 + STAFF_CHAT) } },
);
