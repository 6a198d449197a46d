import { digitsOnly, fail, ok, type DigitsReason, type Result } from './result.js';

/** Why a typed social-insurance number was refused. */
export type BhxhCodeReason = DigitsReason | 'length';

/**
 * Old health-insurance cards print a 15-character code: 2 letters (group),
 * 1 digit (benefit level), 2 digits (province), then the 10-digit
 * social-insurance number. Pensioners often read that code off the card they
 * carry, so the 10 digits at its end are accepted.
 */
const HEALTH_CARD = /^[A-Za-z]{2}\d{13}$/;

/**
 * Parses a mã số BHXH (social-insurance number): exactly 10 digits, typed
 * with or without spaces ("79 1234 5678"), or read off an old 15-character
 * health-insurance card ("HT 3 79 7912345678").
 */
export function parseBhxhCode(input: string): Result<string, BhxhCodeReason> {
  const compact = input.normalize('NFKC').replace(/[\s.-]/g, '');
  if (HEALTH_CARD.test(compact)) return ok(compact.slice(5));

  const digits = digitsOnly(compact);
  if (!digits.ok) return digits;
  if (digits.value.length !== 10) return fail('length');
  return ok(digits.value);
}
