import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevDatabase } from './db/dev-database.js';
import { PiiCipher } from './security/pii-crypto.js';

/**
 * What `npm run dev` and `npm run seed:demo` share, so the seed writes where
 * the bot reads and encrypts with the keys the bot decrypts with.
 */

/** Database name on a bare dev server (embedded or FerretDB). */
const DEV_DATABASE = 'luonghuu';

/**
 * Sets PII_ENCRYPTION_KEYS and PII_INDEX_KEY from `<dataDir>/dev-keys.json`,
 * creating it once, unless the environment already has keys. Returns the
 * file used, or null when the environment's keys were kept.
 */
export function useDevelopmentPiiKeys(dataDir: string): string | null {
  if (process.env.PII_ENCRYPTION_KEYS && process.env.PII_INDEX_KEY) return null;
  const file = join(dataDir, 'dev-keys.json');
  if (!existsSync(file)) {
    writeFileSync(file, JSON.stringify({ keys: `1:${PiiCipher.generateKey()}`, index: PiiCipher.generateKey() }), { mode: 0o600 });
  }
  const keys = JSON.parse(readFileSync(file, 'utf8')) as { keys: string; index: string };
  process.env.PII_ENCRYPTION_KEYS = keys.keys;
  process.env.PII_INDEX_KEY = keys.index;
  return file;
}

/** The app's connection string: MONGODB_URI as given, or the bare dev server plus our database name. */
export function devAppDatabaseUri(db: DevDatabase): string {
  return db.kind === 'env' ? db.uri : `${db.uri.replace(/\/$/, '')}/${DEV_DATABASE}`;
}
