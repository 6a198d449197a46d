const MASK = '*';

/**
 * Masks an identifier for display, keeping only its tail so the owner can
 * recognise it: '012345678901' → '********8901'. Values of 6 characters or
 * fewer keep only the last 2, since 4 of 6 would give most of it away; 2 or
 * fewer are masked entirely. The length is kept: it tells the owner which
 * card or account is meant and says nothing useful to anyone else.
 */
export function maskDigits(value: string): string {
  const visible = value.length > 6 ? 4 : value.length > 2 ? 2 : 0;
  return MASK.repeat(value.length - visible) + value.slice(value.length - visible);
}

/**
 * Masks a phone number keeping the first 2 and last 2 digits:
 * '0912345678' → '09******78'. Expects the canonical national form from
 * `normalizePhone`; anything shorter than 6 characters is masked entirely.
 */
export function maskPhone(phone: string): string {
  if (phone.length < 6) return MASK.repeat(phone.length);
  return phone.slice(0, 2) + MASK.repeat(phone.length - 4) + phone.slice(-2);
}
