import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../src/config.js';
import { startApp, type RunningApp } from '../../src/app.js';
import { createLogger } from '../../src/logger.js';
import { TEST_PII_ENV } from './keys.js';
import { appendLog } from './log-files.js';

/** Everything the app logged during a test, for assertions and the PII log scan. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  text(): string {
    return this.lines.join('\n');
  }
}

export interface TestApp extends RunningApp {
  config: Config;
  logs: LogCapture;
}

/**
 * Starts the real app in-process on a free port against the given database,
 * with config built exactly as production builds it (from environment names).
 */
export async function startTestApp(env: Record<string, string | undefined>): Promise<TestApp> {
  // Periodic jobs and the broadcast worker would fire at random points of a test; they are tested directly.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', SHUTDOWN_GRACE_SECONDS: '2', JOBS_ENABLED: 'false', BROADCAST_WORKER_ENABLED: 'false', ...TEST_PII_ENV, ...env });
  const logs = new LogCapture();
  const tee = new Writable({
    write(chunk: Buffer, enc, done) {
      logs.write(chunk, enc);
      appendLog(chunk);
      done();
    },
  });
  const logger = createLogger(config.logLevel, tee);
  const app = await startApp(config, { logger, port: 0 });
  return { ...app, config, logs };
}

export const TEST_SECRET = 'test-secret-0123456789';
