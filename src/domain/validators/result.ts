/**
 * Outcome of parsing something a person typed. A failure carries a stable
 * machine code ('length', 'province', …) that a flow maps to a translated
 * message; user-facing text never lives in the validators.
 *
 * `R` narrows the codes a validator can return so a flow can map them
 * exhaustively; it defaults to `string` so `Result<T>` fits any validator.
 */
export type Result<T, R extends string = string> = { ok: true; value: T } | { ok: false; reason: R };

/** A successful result. */
export function ok<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

/** A failed result with a machine-readable reason code. */
export function fail<R extends string>(reason: R): { ok: false; reason: R } {
  return { ok: false, reason };
}

/** Reasons shared by every validator that reads a string of digits. */
export type DigitsReason = 'empty' | 'letters' | 'format';

/**
 * Reduces typed input to its digits, dropping the separators people put
 * between groups ("0912 345 678", "0123.456.789").
 *
 * Full-width digits from some phone keyboards become ASCII first (NFKC).
 * Letters get their own reason because "account number with letters" is a
 * different mistake from a stray symbol and deserves a different hint.
 */
export function digitsOnly(input: string, separators: RegExp = /[\s.-]/g): Result<string, DigitsReason> {
  const compact = input.normalize('NFKC').replace(separators, '');
  if (compact === '') return fail('empty');
  if (/^\d+$/.test(compact)) return ok(compact);
  if (/\p{L}/u.test(compact)) return fail('letters');
  return fail('format');
}
