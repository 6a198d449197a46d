import type { ChatKey } from '../../src/engine/types.js';
import type { BeneficiaryInput } from '../../src/domain/beneficiaries.js';
import type { RunningApp } from '../../src/app.js';
import type { ChannelHarness } from './channels.js';
import { SimulatorChatDriver, type ChatDriver, type SeenMessage } from './chat-driver.js';

/** The bootstrap admin key the cashless suites start the app with. */
export const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123';
export const CASHLESS_ENV = { ADMIN_BOOTSTRAP_KEY: ADMIN_KEY };

export interface Answer<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

/** Calls the admin API of a running app. */
export async function adminCall<T = unknown>(
  app: Pick<RunningApp, 'url'>,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { authorization: `Bearer ${opts.key ?? ADMIN_KEY}` };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${app.url}/admin/api${path}`, {
    method,
    headers,
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // CSV and empty bodies stay text
  }
  return { status: res.status, body: body as T, text, headers: res.headers };
}

/** A staff key of `role`, optionally limited to a province. */
export async function createStaffKey(app: Pick<RunningApp, 'url'>, role: string, province?: string): Promise<string> {
  const res = await adminCall<{ key: string }>(app, 'POST', '/keys', { body: { role, label: `test ${role} ${province ?? 'all'}`, ...(province ? { province } : {}) } });
  if (res.status !== 201) throw new Error(`key creation answered ${res.status}: ${res.text}`);
  return res.body.key;
}

/**
 * Registers an invented beneficiary with a unique BHXH code, so each test has
 * its own person and no test sees another's pending request.
 */
export async function seedPerson(
  app: Pick<RunningApp, 'domain'>,
  n: number,
  over: Partial<BeneficiaryInput> = {},
): Promise<{ id: string; bhxhCode: string; fullName: string }> {
  const input: BeneficiaryInput = {
    bhxhCode: `${over.provinceCode ?? '01'}${String(n).padStart(8, '0')}`,
    fullName: 'Phạm Thị Hoa',
    birthDate: '1950-04-12',
    gender: 'female',
    phones: ['0912000111'],
    provinceCode: '01',
    benefitType: 'pension',
    monthlyAmount: 4_000_000,
    paymentMethod: { kind: 'cash_post' },
    ...over,
  };
  const { id } = await app.domain.beneficiaries.upsert(input);
  return { id: String(id), bhxhCode: input.bhxhCode, fullName: input.fullName };
}

/** The chat key the app sees for `harness().chat(n)`. */
export function chatKeyOf(harness: ChannelHarness, n: number): ChatKey {
  return harness.chatKey(n);
}

/** Links chat `n` to a beneficiary as its own (the link flow is another slice). */
export async function linkChat(harness: ChannelHarness, n: number, beneficiaryId: string): Promise<void> {
  await harness.app.domain.links.createSelfLink(chatKeyOf(harness, n), beneficiaryId, 'test');
}

/** Every bot message in the chat so far, notifications included. */
export async function everything(driver: ChatDriver): Promise<SeenMessage[]> {
  if (driver instanceof SimulatorChatDriver) await driver.fetchNew();
  return driver.history();
}

/**
 * Presses a button of a notification (sent outside a turn). Telegram's driver
 * only knows keyboards of replies, so the callback is posted as Telegram would.
 */
export async function pressNotificationButton(_harness: ChannelHarness, driver: ChatDriver, _n: number, label: string, _payload: string): Promise<SeenMessage[]> {
  // Notifications arrive outside a turn: the simulator driver must look for them first.
  if (driver instanceof SimulatorChatDriver) await driver.fetchNew();
  return driver.tap(label);
}
