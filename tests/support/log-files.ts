import { appendFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where test apps write their logs for the log scan (tests/logscan). */
export const LOG_DIR = join(import.meta.dirname, '..', '..', 'test-results', 'logs');

/** Appends log lines to this worker's file; synchronous so nothing is lost when a worker exits. */
export function appendLog(chunk: Buffer | string): void {
  try {
    appendFileSync(join(LOG_DIR, `worker-${process.pid}.jsonl`), chunk);
  } catch {
    // The directory exists only under the test run's global setup (not in benches).
  }
}
