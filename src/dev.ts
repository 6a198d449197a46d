import { join } from 'node:path';
import { configOrExit, main } from './main.js';
import { resolveDevDatabase } from './db/dev-database.js';

/**
 * `npm run dev`: runs the bot with the browser simulator. Without MONGODB_URI it
 * starts an embedded database whose data persists under .data/.
 */
const log = (line: string) => process.stdout.write(`${line}\n`);
const db = await resolveDevDatabase({ dataDir: join(process.cwd(), '.data'), persist: true, log });
process.env.MONGODB_URI = db.uri;
const config = configOrExit();
await main(config);
if (config.simulatorEnabled) log(`\n  Chat simulator: http://localhost:${config.port}/simulator\n`);
if (!config.telegram) log('  Telegram is off (set TELEGRAM_BOT_TOKEN to connect a bot).');
const stopDb = () => void db.stop();
process.once('exit', stopDb);
