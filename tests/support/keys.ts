/** Fixed, clearly fake key material for tests (never used anywhere real). */
export const TEST_PII_ENV = {
  PII_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
  PII_KEY_VERSION: '1',
  PII_INDEX_KEY: Buffer.alloc(32, 9).toString('base64'),
};
/** The bootstrap admin key (ADMIN_BOOTSTRAP_KEY) the suites that call the admin API start their apps with. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdef0123';
