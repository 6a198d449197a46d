import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { startApp } from './app.js';

/**
 * Production entry point: config from the environment, then run until SIGTERM.
 * `afterStop` runs once the app has stopped (the dev database, say).
 */
export async function main(config: Config, opts: { afterStop?: () => Promise<void> } = {}): Promise<void> {
  const logger = createLogger(config.logLevel);
  // Handlers go in before start-up, so a SIGTERM during start-up still shuts down cleanly.
  const state: { signal?: string; stop?: () => Promise<void> } = {};
  const finish = (stopApp: () => Promise<void>) =>
    stopApp()
      .then(() => opts.afterStop?.())
      .then(
        () => process.exit(0),
        (err: Error) => {
          logger.error({ event: 'shutdown_failed', err: err.message }, 'shutdown failed');
          process.exit(1);
        },
      );
  const shutdown = (signal: string) => {
    if (state.signal) return;
    state.signal = signal;
    logger.info({ event: 'shutdown', signal }, 'shutting down');
    if (state.stop) void finish(state.stop);
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => {
    logger.error({ event: 'unhandled_rejection', err: String((reason as Error)?.message ?? reason) }, 'unhandled rejection');
  });
  const app = await startApp(config, { logger });
  state.stop = () => app.stop();
  if (state.signal) void finish(state.stop);
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
