import { TEST_ADMIN_KEY } from './keys.js';
import { waitFor } from './wait.js';

export { adminCall, createStaffKey, type AdminAnswer as ApiAnswer } from './admin-api.js';

/** The bootstrap admin key the fraud and my-data suites start their apps with. */
export const FRAUD_ADMIN_KEY = TEST_ADMIN_KEY;

/** Polls until `check` holds (for work the app finishes just after answering). */
export const eventually = (check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> => waitFor(check, 'the condition', { timeoutMs, stepMs: 25 });
