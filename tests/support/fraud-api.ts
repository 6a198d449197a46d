import { TEST_ADMIN_KEY } from './keys.js';

export { adminCall, createStaffKey, type AdminAnswer as ApiAnswer } from './admin-api.js';

/** The bootstrap admin key the fraud and my-data suites start their apps with. */
export const FRAUD_ADMIN_KEY = TEST_ADMIN_KEY;

/** Polls until `check` holds (for work the app finishes just after answering). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
