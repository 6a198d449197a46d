import { timingSafeEqual } from 'node:crypto';

/** Constant-time comparison of a presented secret, so response timing does not leak it. */
export function secretMatches(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
