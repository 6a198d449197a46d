/**
 * A broadcast worker alone in its own process, for the crash test: the test
 * SIGKILLs it mid-broadcast and starts another. Configured through env:
 * MONGODB_URI, TELEGRAM_API_ROOT, TELEGRAM_BOT_TOKEN, WORKER_ID, BROADCAST_CONFIG (JSON).
 */
import mongoose from 'mongoose';
import { Telegram } from 'telegraf';
import { createLogger } from '../../src/logger.js';
import { createBroadcasting } from '../../src/broadcast/index.js';
import { audienceDomain } from './broadcast-domain.js';
import { TelegramSender } from '../../src/channels/telegram/telegram-sender.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const connection = mongoose.createConnection(env('MONGODB_URI'), { serverSelectionTimeoutMS: 10_000 });
await connection.asPromise();
const broadcasting = createBroadcasting({
  connection,
  domain: audienceDomain(connection),
  logger: createLogger('warn'),
  config: JSON.parse(process.env.BROADCAST_CONFIG ?? '{}') as Record<string, never>,
  senders: [new TelegramSender(new Telegram(env('TELEGRAM_BOT_TOKEN'), { apiRoot: env('TELEGRAM_API_ROOT') }))],
  workerId: env('WORKER_ID'),
});
await broadcasting.ready;
broadcasting.worker.start();
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void broadcasting.worker.stop().then(() => connection.close()).then(() => process.exit(0));
});
