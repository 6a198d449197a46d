/**
 * Version of the consent text shown before a chat links a record
 * (locales/{vi,en}/consent.json). Bump it whenever that text changes in
 * substance: every chat is then asked again, and the version each person
 * accepted stays recorded with their chat and their links.
 */
export const CONSENT_VERSION = '2026-11-v1';
