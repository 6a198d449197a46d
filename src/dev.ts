import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { configOrExit, main } from './main.js';
import { resolveDevDatabase } from './db/dev-database.js';
import { devAppDatabaseUri, devServerFile, devServerRecord, removeDevServerRecord, useDevelopmentPiiKeys, writeDevServerRecord } from './dev-setup.js';
import { generateApiKey } from './security/api-keys.js';

/**
 * `npm run dev`: runs the bot with the browser simulator. Without MONGODB_URI it
 * starts a development database (FerretDB or embedded) whose data persists under .data/; without PII keys
 * it makes development keys there too, and a development admin key for the
 * staff console (never use any of them in production).
 * While it runs, .data/dev-server.json names the database it serves, so
 * `npm run seed:demo` seeds into it rather than starting a second one.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const dataDir = join(process.cwd(), '.data');
mkdirSync(dataDir, { recursive: true });

const keysFile = useDevelopmentPiiKeys(dataDir);
if (keysFile) log(`  Using development PII keys from ${keysFile}`);

// A development admin key, so the staff console can be tried at once. Only this one is ever
// printed: a key from the environment may be a real one.
let devAdminKey: string | undefined;
if (!process.env.ADMIN_BOOTSTRAP_KEY) {
  const file = join(dataDir, 'dev-admin-key.txt');
  if (!existsSync(file)) writeFileSync(file, `${generateApiKey()}\n`, { mode: 0o600 });
  devAdminKey = readFileSync(file, 'utf8').trim();
  process.env.ADMIN_BOOTSTRAP_KEY = devAdminKey;
}

const db = await resolveDevDatabase({ dataDir, persist: true, log });
process.env.MONGODB_URI = devAppDatabaseUri(db);
const config = configOrExit();

// Recorded before the app starts (it is the database's address, not the app's); removed on
// every exit of this process, so a record left behind means it was killed (and is stale).
const record = devServerRecord(db);
if (record) {
  writeDevServerRecord(dataDir, record);
  process.on('exit', () => removeDevServerRecord(dataDir));
}
const stopDatabase = async () => {
  // The record goes first: a seed starting now must not pick a database about to stop.
  if (record) removeDevServerRecord(dataDir);
  await db.stop();
};
try {
  await main(config, { afterStop: stopDatabase });
} catch (err) {
  await stopDatabase().catch(() => undefined);
  throw err;
}
if (config.simulatorEnabled) log(`\n  Chat simulator: http://localhost:${config.port}/simulator`);
log(`  Staff console:  http://localhost:${config.port}/console (${devAdminKey ? `development admin key: ${devAdminKey}` : 'sign in with ADMIN_BOOTSTRAP_KEY or a key from `npm run admin -- create-key`'})\n`);
// Zalo first: it is where pensioners are; Telegram serves relatives abroad.
if (!config.zaloOa) log('  Zalo OA is off (set ZALO_APP_ID, ZALO_APP_SECRET, ZALO_OA_SECRET_KEY, ZALO_REFRESH_TOKEN; see README "Zalo setup").');
if (!config.zaloBot) log('  Zalo Bot Platform is off (set ZALO_BOT_TOKEN and ZALO_BOT_WEBHOOK_SECRET).');
if (!config.telegram) log('  Telegram is off (set TELEGRAM_BOT_TOKEN for relatives abroad).');
if (record) log(`  Database recorded in ${devServerFile(dataDir)}: \`npm run seed:demo\` seeds into it while this runs.`);
