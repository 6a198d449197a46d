/** Fixed, clearly fake key material for tests (never used anywhere real). */
export const TEST_PII_ENV = {
  PII_ENCRYPTION_KEYS: `1:${Buffer.alloc(32, 7).toString('base64')}`,
  PII_KEY_VERSION: '1',
  PII_INDEX_KEY: Buffer.alloc(32, 9).toString('base64'),
};
