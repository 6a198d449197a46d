import type { TestProject } from 'vitest/node';
import { startSharedDatabase } from './global-setup.js';

/** The database for the timing pass of `npm test`, keeping the first pass's logs for the log scan. */
export default function setup(project: TestProject): Promise<() => Promise<void>> {
  return startSharedDatabase(project, { keepLogs: true });
}
