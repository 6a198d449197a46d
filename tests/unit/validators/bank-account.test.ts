import { describe, expect, it } from 'vitest';
import { parseBankAccount, parseTypedBankAccount } from '../../../src/domain/validators/bank-account.js';

describe('parseBankAccount', () => {
  it('accepts 6 to 19 digits', () => {
    expect(parseBankAccount('123456')).toEqual({ ok: true, value: '123456' });
    expect(parseBankAccount('0071000123456')).toEqual({ ok: true, value: '0071000123456' });
    expect(parseBankAccount('1234567890123456789')).toEqual({ ok: true, value: '1234567890123456789' });
  });

  it('removes spaces and dashes typed between groups', () => {
    expect(parseBankAccount('0071 0001 23456')).toEqual({ ok: true, value: '0071000123456' });
    expect(parseBankAccount('1903-5555-888-01')).toEqual({ ok: true, value: '1903555588801' });
  });

  it('refuses too few or too many digits with reason length', () => {
    expect(parseBankAccount('12345')).toEqual({ ok: false, reason: 'length' });
    expect(parseBankAccount('12345678901234567890')).toEqual({ ok: false, reason: 'length' });
  });

  it('refuses letters with their own reason, whatever the length', () => {
    expect(parseBankAccount('0071A00123456')).toEqual({ ok: false, reason: 'letters' });
    expect(parseBankAccount('NGUYEN VAN AN')).toEqual({ ok: false, reason: 'letters' });
    expect(parseBankAccount('12a')).toEqual({ ok: false, reason: 'letters' });
  });

  it('recognises a domestic card number (9704, 16 to 19 digits) as a card, not an account', () => {
    expect(parseTypedBankAccount('9704 0512 3456 7890')).toEqual({ ok: false, reason: 'card' });
    expect(parseTypedBankAccount('9704051234567890123')).toEqual({ ok: false, reason: 'card' });
    // Shorter numbers starting 9704, or other 16-digit numbers, are accounts.
    expect(parseTypedBankAccount('970405123456')).toEqual({ ok: true, value: '970405123456' });
    expect(parseTypedBankAccount('1234 5678 9012 3456')).toEqual({ ok: true, value: '1234567890123456' });
    expect(parseTypedBankAccount('97040512345678901234')).toEqual({ ok: false, reason: 'length' });
    // A staff register keeps what it holds.
    expect(parseBankAccount('9704 0512 3456 7890')).toEqual({ ok: true, value: '9704051234567890' });
  });

  it('refuses other symbols and empty input', () => {
    expect(parseBankAccount('0071/000123456')).toEqual({ ok: false, reason: 'format' });
    expect(parseBankAccount(' - ')).toEqual({ ok: false, reason: 'empty' });
  });
});
