import { digitsOnly, fail, ok, type DigitsReason, type Result } from './result.js';

/** Why a typed bank account number was refused. */
export type BankAccountReason = DigitsReason | 'length' | 'card';

/** Domestic (NAPAS) card numbers start with 9704 and have 16 to 19 digits. */
const NAPAS_CARD = /^9704\d{12,15}$/;

/** A number that looks like a domestic bank card rather than an account. */
export function looksLikeNapasCard(digits: string): boolean {
  return NAPAS_CARD.test(digits);
}

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

/**
 * An account number a person types in a chat: as parseBankAccount, but a
 * domestic card number is refused with 'card'. The number on the card is the
 * one people see most, and a pension is not paid to it. (Registers imported
 * by staff keep parseBankAccount: what they hold is for staff to judge.)
 */
export function parseTypedBankAccount(input: string): Result<string, BankAccountReason> {
  const parsed = parseBankAccount(input);
  if (parsed.ok && looksLikeNapasCard(parsed.value)) return fail('card');
  return parsed;
}
