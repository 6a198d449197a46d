import { defineConfig } from 'vitest/config';
import { FERRETDB_PENDING } from './tests/ferretdb-pending.js';

// Unless the run is forced onto the embedded server, it runs on FerretDB (see src/db/dev-database.ts).
const onFerretDb = process.env.DEV_DB !== 'embedded' && process.env.DEV_DB !== 'env' && process.env.DEV_DB !== 'memory-server';
// FERRETDB_PENDING=run runs the pending files on FerretDB too (to work on them).
const skipPending = onFerretDb && process.env.FERRETDB_PENDING !== 'run';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // The log scan runs in a second pass, after every log has been written.
    exclude: ['tests/logscan/**', 'node_modules/**', ...(skipPending ? Object.keys(FERRETDB_PENDING) : [])],
    // One database for the whole run; each test file picks its own database name in it.
    globalSetup: ['tests/support/global-setup.ts'],
    pool: 'forks',
    // Most tests wait on the database server (a separate process) or on paced sends: three files at a time keep 2 cores busy.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
