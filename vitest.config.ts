import { defineConfig } from 'vitest/config';
import { TIMING_FILES } from './vitest.timing.config.js';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The log scan runs in a last pass, after every log has been written; the timing files in a pass of their own.
    exclude: ['tests/logscan/**', 'node_modules/**', ...TIMING_FILES],
    // One database for the whole run; each test file picks its own database name in it.
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Most tests wait on the database server (a separate process) or on paced sends: three files at a time keep 2 cores busy.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
