import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startApp } from './app.js';

/** Production entry point: config from the environment, then run until SIGTERM. */
export async function main(config: Config): Promise<void> {
  const logger = createLogger(config.logLevel);
  const app = await startApp(config, { logger });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: 'shutdown', signal }, 'shutting down');
    app.stop().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ event: 'shutdown_failed', err: err.message }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.error({ event: 'unhandled_rejection', err: String((reason as Error)?.message ?? reason) }, 'unhandled rejection');
  });
}

/** Loads config or exits with one line naming the bad variable. */
export function configOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntry) {
  main(configOrExit()).catch((err: Error) => {
    process.stderr.write(`Start-up failed: ${err.message}\n`);
    process.exit(1);
  });
}
