import type { ChatKey } from '../../src/engine/types.js';
import type { ChannelHarness } from './channels.js';
import { SimulatorChatDriver, type ChatDriver, type SeenMessage } from './chat-driver.js';
import { TEST_ADMIN_KEY } from './keys.js';

export { adminCall, createStaffKey, type AdminAnswer as ApiAnswer } from './admin-api.js';

/** The bootstrap admin key the fraud and my-data suites start their apps with. */
export const FRAUD_ADMIN_KEY = TEST_ADMIN_KEY;

/** The chat key the app sees for `harness().chat(n)`. */
export function chatKeyOf(harness: ChannelHarness, n: number): ChatKey {
  return harness.chatKey(n);
}

/** Every bot message in the chat so far, including notifications sent outside a turn. */
export async function allMessages(driver: ChatDriver): Promise<SeenMessage[]> {
  if (driver instanceof SimulatorChatDriver) await driver.fetchNew();
  return driver.history();
}

/** Polls until `check` holds (for work the app finishes just after answering). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
