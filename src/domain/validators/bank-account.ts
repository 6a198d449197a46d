import { digitsOnly, fail, ok, type DigitsReason, type Result } from './result.js';

/** Why a typed bank account number was refused. */
export type BankAccountReason = DigitsReason | 'length';

/** NAPAS account numbers are 6-19 digits (the VietQR `accountNo` limits). */
const MIN_LENGTH = 6;
const MAX_LENGTH = 19;

/**
 * Parses a bank account number as typed: digits grouped with spaces, dashes
 * or dots ("1234 5678 9012", "0071-0001-23456"). Letters are refused with
 * 'letters', distinct from 'length', because the hint differs: a letter
 * means something else was typed (a name, a branch), a wrong length means a
 * digit was missed or doubled.
 */
export function parseBankAccount(input: string): Result<string, BankAccountReason> {
  const digits = digitsOnly(input);
  if (!digits.ok) return digits;
  const { length } = digits.value;
  if (length < MIN_LENGTH || length > MAX_LENGTH) return fail('length');
  return ok(digits.value);
}
