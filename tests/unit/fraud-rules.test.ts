import { describe, expect, it } from 'vitest';
import { ALLOWED_TRANSITIONS, contactInStory, redactSecrets, safetyAdviceFor, statusesLeadingTo } from '../../src/domain/fraud.js';
import { csvCell } from '../../src/domain/import/csv.js';

describe('redactSecrets', () => {
  it("keeps the scammer's bank account in the contact field, still hiding named codes", () => {
    expect(redactSecrets('STK 19035678901234 Techcombank', { keepLongNumbers: true })).toEqual({ text: 'STK 19035678901234 Techcombank', redacted: false });
    expect(redactSecrets('STK 19035678901234 Techcombank').text).toBe('STK *** Techcombank');
    expect(redactSecrets('tk 0071000123456, mã OTP 482913', { keepLongNumbers: true }).text).toBe('tk 0071000123456, mã OTP ***');
  });

  it('hides a code named as OTP, PIN or mã, with or without diacritics', () => {
    expect(redactSecrets('Họ bảo đọc mã OTP 482913 cho họ')).toEqual({ text: 'Họ bảo đọc mã OTP *** cho họ', redacted: true });
    expect(redactSecrets('otp: 4821').text).toBe('otp: ***');
    expect(redactSecrets('ma pin la 1234 nhe').text).toBe('ma pin la *** nhe');
  });

  it('hides card-like numbers, grouped or not', () => {
    expect(redactSecrets('số thẻ 9704 1234 5678 9012').text).toBe('số thẻ ***');
    expect(redactSecrets('the 9704123456789012345').text).toBe('the ***');
  });

  it('keeps phone numbers, amounts and ordinary text', () => {
    const text = 'Số 0912345678 gọi, đòi 5.000.000 đ, hẹn 2 ngày';
    expect(redactSecrets(text)).toEqual({ text, redacted: false });
    expect(redactSecrets('Mã hồ sơ của tôi là gì').redacted).toBe(false);
  });
});

describe('safetyAdviceFor', () => {
  it('puts locking the account first when money was lost, and only then', () => {
    expect(safetyAdviceFor('impersonation', true)[0]).toBe('lockAccount');
    expect(safetyAdviceFor('otp_request', true)[0]).toBe('lockAccount');
    // No money lost: codes given away are changed, the account is not locked.
    expect(safetyAdviceFor('otp_request', false)).toEqual(['neverShareCodes', 'reportOnline', 'police', 'hotline']);
    expect(safetyAdviceFor('fake_app', false)).toEqual(['deleteApp', 'neverShareCodes', 'reportOnline', 'police', 'hotline']);
    expect(safetyAdviceFor('fake_app', true)).toEqual(['lockAccount', 'deleteApp', 'reportOnline', 'police', 'hotline']);
  });

  it('finds the scammer\u2019s phone or link in the story', () => {
    expect(contactInStory('Có người gọi từ số 0912 345 678 tự xưng cán bộ BHXH')).toBe('0912345678');
    expect(contactInStory('họ nhắn +84987654321 bảo cài ứng dụng')).toBe('+84987654321');
    expect(contactInStory('bảo tôi bấm vào bhxh-capnhat.xyz/login để nhận tiền.')).toBe('bhxh-capnhat.xyz/login');
    expect(contactInStory('link https://vssid-gov.top/app, rồi đòi mã')).toBe('https://vssid-gov.top/app');
    expect(contactInStory('Họ gọi điện đòi 2 triệu để tăng lương hưu')).toBeNull();
    // An OTP or a card number is not a phone.
    expect(contactInStory('tôi đọc mã 123456 và số thẻ 9704 1234 5678 9012')).toBeNull();
  });

  it('always ends with where to report, the police and the hotline', () => {
    for (const advice of [safetyAdviceFor('paid_help', false), safetyAdviceFor('other', false)]) {
      expect(advice.slice(-3)).toEqual(['reportOnline', 'police', 'hotline']);
      expect(advice).not.toContain('lockAccount');
    }
  });
});

describe('status transitions', () => {
  it('only move forward, and closed is final', () => {
    expect(statusesLeadingTo('closed').sort()).toEqual(['in_review', 'new', 'referred']);
    expect(statusesLeadingTo('in_review')).toEqual(['new']);
    expect(statusesLeadingTo('new')).toEqual([]);
    expect(ALLOWED_TRANSITIONS.closed).toEqual([]);
  });
});

describe('csvCell', () => {
  it('quotes separators and neutralises formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('-5')).toBe("'-5");
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
  });
});
