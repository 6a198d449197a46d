import { digitsOnly, fail, ok, type DigitsReason, type Result } from './result.js';

/**
 * Why a typed phone number was refused. 'landline' is an 11-digit 02x
 * number: valid, but not a mobile that can receive Zalo or SMS.
 * 'country' is an international number outside Vietnam (+1…, +33…).
 */
export type PhoneReason = DigitsReason | 'length' | 'prefix' | 'landline' | 'country';

/** Separators people type inside phone numbers: "(091) 234-5678", "0912.345.678". */
const SEPARATORS = /[\s.\-()]/g;

/** Mobile prefixes in use since the 2018 renumbering. */
const MOBILE_PREFIX = /^0[35789]/;

/**
 * The 11-digit prefixes retired in 2018 and the 3-digit prefixes that
 * replaced them. Many pensioners still write the number they learnt by heart.
 */
const OLD_PREFIXES: ReadonlyMap<string, string> = new Map([
  // Viettel
  ['0162', '032'],
  ['0163', '033'],
  ['0164', '034'],
  ['0165', '035'],
  ['0166', '036'],
  ['0167', '037'],
  ['0168', '038'],
  ['0169', '039'],
  // MobiFone
  ['0120', '070'],
  ['0121', '079'],
  ['0122', '077'],
  ['0126', '076'],
  ['0128', '078'],
  // VinaPhone
  ['0123', '083'],
  ['0124', '084'],
  ['0125', '085'],
  ['0127', '081'],
  ['0129', '082'],
  // Vietnamobile
  ['0186', '056'],
  ['0188', '058'],
  // Gmobile
  ['0199', '059'],
]);

/**
 * Normalises a Vietnamese mobile number to its 10-digit national form
 * `0XXXXXXXXX`, the form stored and blind-indexed.
 *
 * Accepts "0912 345 678", "(091) 234-5678", "+84912345678", "84912345678",
 * "+84 0912…" (a common slip), and pre-2018 11-digit numbers such as
 * "01689123456" or "+841689123456", which map to today's prefixes.
 * Idempotent: a normalised number normalises to itself.
 */
export function normalizePhone(input: string): Result<string, PhoneReason> {
  const compact = input.normalize('NFKC').replace(SEPARATORS, '');
  const international = compact.startsWith('+');
  const digits = digitsOnly(international ? compact.slice(1) : compact, SEPARATORS);
  if (!digits.ok) return digits;

  const national = toNational(digits.value, international);
  if (national === undefined) return fail('country');

  if (national.length === 10) return MOBILE_PREFIX.test(national) ? ok(national) : fail('prefix');
  if (national.length === 11) {
    const renumbered = OLD_PREFIXES.get(national.slice(0, 4));
    if (renumbered !== undefined) return ok(renumbered + national.slice(4));
    if (national.startsWith('02')) return fail('landline');
    // Any other 11-digit 01x is a retired prefix nobody reassigned; otherwise a digit too many.
    return national.startsWith('01') ? fail('prefix') : fail('length');
  }
  return fail('length');
}

/**
 * Turns "84…" / "+84…" into "0…". Without the "+", a leading 84 is read
 * as the country code only when 9 or 10 digits follow (a mobile without its
 * 0, an old 1xx number, or a number keeping its 0): no national number
 * starts with 84, but a 10-digit string could be a mistyped one.
 */
function toNational(digits: string, international: boolean): string | undefined {
  if (digits.startsWith('84') && (international || digits.length === 11 || digits.length === 12)) {
    const rest = digits.slice(2);
    return rest.startsWith('0') ? rest : `0${rest}`;
  }
  if (international) return undefined;
  return digits;
}
