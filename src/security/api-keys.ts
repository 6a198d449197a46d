import { createHash, randomBytes } from 'node:crypto';

/** Marks our keys so secret scanners and people recognise them. */
export const API_KEY_PREFIX = 'lhb_';

/** `lhb_` + 32 random bytes as base64url (43 characters): 256 bits, never guessable. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** sha256 hex. A fast hash is right for 256-bit random keys; see StaffKeyDoc.keyHash. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The part of a key safe to show in lists: 8 characters after `lhb_` (48 of 256 bits).
 * A key not in our format (an operator-chosen bootstrap value) shows none of its characters.
 */
export function displayPrefix(key: string): string {
  return key.startsWith(API_KEY_PREFIX) && key.length >= API_KEY_PREFIX.length + 32
    ? key.slice(API_KEY_PREFIX.length, API_KEY_PREFIX.length + 8)
    : '(custom)';
}
