import type { ChatKey } from '../../src/engine/types.js';
import type { ChannelHarness } from './channels.js';
import { SimulatorChatDriver, type ChatDriver, type SeenMessage } from './chat-driver.js';

/** The bootstrap admin key the fraud and my-data suites start their apps with. */
export const FRAUD_ADMIN_KEY = 'test-admin-key-0123456789abcdef0123';

export interface ApiAnswer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Calls the admin API of a running app with a key. */
export async function adminCall<T = unknown>(baseUrl: string, key: string, method: string, path: string, body?: unknown): Promise<ApiAnswer<T>> {
  const res = await fetch(`${baseUrl}/admin/api${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    // CSV and empty answers stay as text.
  }
  return { status: res.status, body: parsed as T, text, headers: res.headers };
}

/** Creates a staff key through the API and returns the plaintext key. */
export async function createStaffKey(baseUrl: string, role: string, province?: string): Promise<string> {
  const answer = await adminCall<{ key: string }>(baseUrl, FRAUD_ADMIN_KEY, 'POST', '/keys', {
    role,
    label: `${role} ${province ?? 'all'}`,
    ...(province ? { province } : {}),
  });
  if (answer.status !== 201) throw new Error(`key creation answered ${answer.status}: ${answer.text}`);
  return answer.body.key;
}

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
