import { defineConfig } from 'vitest/config';

/** Second pass of `npm test`: scans the logs the first pass wrote (needs no database). */
export default defineConfig({
  test: { include: ['tests/logscan/**/*.test.ts'] },
});
