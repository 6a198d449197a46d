import { defineConfig } from 'vitest/config';

/**
 * Files that measure time (a platform's retry window kept to the millisecond,
 * pacing against a rate): on 2 cores beside other files, a send in flight can
 * land 100 ms late and the measurement says nothing. And files that load the
 * database for minutes (1 000-recipient broadcasts, 10 000-row ledgers): beside
 * them, other files' leases wait past their patience on FerretDB. Both kinds run
 * after the rest, one at a time (second pass of `npm test`).
 */
export const TIMING_FILES = [
  'tests/integration/broadcast-delivery.test.ts',
  'tests/integration/broadcast-zalo.test.ts',
  'tests/integration/broadcast-zalo-reach.test.ts',
  'tests/integration/broadcast-zalo-crash.test.ts',
  'tests/integration/payment-notices-large.test.ts',
  'tests/integration/imports-large.test.ts',
];

export default defineConfig({
  test: {
    include: TIMING_FILES,
    globalSetup: ['tests/support/global-setup-later-pass.ts'],
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
