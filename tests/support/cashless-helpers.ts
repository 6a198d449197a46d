import type { BeneficiaryInput } from '../../src/domain/beneficiaries.js';
import type { RunningApp } from '../../src/app.js';
import type { ChannelHarness } from './channels.js';
import type { ChatDriver, SeenMessage } from './chat-driver.js';
import { TEST_ADMIN_KEY } from './keys.js';
import { adminCall as callAdminApi, createStaffKey as createKey, type AdminAnswer } from './admin-api.js';

/** The bootstrap admin key the cashless suites start the app with. */
export const ADMIN_KEY = TEST_ADMIN_KEY;
export const CASHLESS_ENV = { ADMIN_BOOTSTRAP_KEY: ADMIN_KEY };

/** An admin answer; `body` is the text when the answer is not JSON (CSV, empty). */
export type Answer<T = unknown> = AdminAnswer<T>;

/** Calls the admin API of a running app. */
export async function adminCall<T = unknown>(
  app: Pick<RunningApp, 'url'>,
  method: string,
  path: string,
  opts: { key?: string; body?: unknown } = {},
): Promise<Answer<T>> {
  const answer = await callAdminApi<T>(app.url, opts.key ?? ADMIN_KEY, method, path, opts.body);
  return answer.body === undefined ? { ...answer, body: answer.text as T } : answer;
}

/** A staff key of `role`, optionally limited to a province. */
export const createStaffKey = (app: Pick<RunningApp, 'url'>, role: string, province?: string): Promise<string> => createKey(app.url, role, province);

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

/** Links chat `n` to a beneficiary as its own (the link flow is another slice). */
export async function linkChat(harness: ChannelHarness, n: number, beneficiaryId: string): Promise<void> {
  await harness.app.domain.links.createSelfLink(harness.chatKey(n), beneficiaryId, 'test');
}

/** Presses a button of a notification: it arrived outside a turn, so the driver looks for it first. */
export async function pressNotificationButton(driver: ChatDriver, label: string): Promise<SeenMessage[]> {
  await driver.allMessages();
  return driver.tap(label);
}
