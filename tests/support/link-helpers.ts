import { expect } from 'vitest';
import type { ChannelHarness } from './channels.js';
import { TelegramChatDriver, type ChatDriver, type SeenMessage } from './chat-driver.js';
import { TEST_SECRET } from './app.js';
import { contactUpdate, postWebhook } from './telegram-updates.js';
import { adminCall as callAdminApi, createStaffKey, requireJson } from './admin-api.js';

/**
 * Shares someone else's contact card (Telegram only: the simulator's phone form
 * always sends the user's own number). Returns the bot's replies.
 */
export async function shareOthersContact(harness: ChannelHarness, user: ChatDriver, phone: string): Promise<SeenMessage[]> {
  if (!(user instanceof TelegramChatDriver)) throw new Error('only Telegram can share another person\'s contact');
  const before = user.history().length;
  const res = await postWebhook(`${harness.app.url}/webhooks/telegram`, contactUpdate(user.chatId, phone, { contactUserId: 424_242 }), TEST_SECRET);
  expect(res.status).toBe(200);
  return user.history().slice(before);
}

/** The fields of admin answers the link tests read. */
export interface LinkJson {
  id: string;
  status: string;
  reference: string | null;
  relationship: string | null;
  beneficiary: { bhxhCodeMasked: string; fullName: string } | null;
  document: { kind: string; number: string; expiresOn: string | null; photoRef: string } | null;
  reviewReason: string | null;
}
export interface ApiJson extends Partial<LinkJson> {
  code?: string;
  key?: string;
  items?: LinkJson[];
}

/** An admin API call; returns status and parsed JSON body. */
export async function adminCall(harness: ChannelHarness, key: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: ApiJson; raw: string }> {
  const answer = await callAdminApi<ApiJson>(harness.app.url, key, method, path, body);
  return { status: answer.status, body: answer.text ? requireJson(answer) : {}, raw: answer.text };
}

/** Creates a staff key through the API with the bootstrap admin key. */
export const createKey = (harness: ChannelHarness, adminKey: string, role: string, province: string | null): Promise<string> =>
  createStaffKey(harness.app.url, role, province, adminKey);

/** dd/mm/yyyy of today (Vietnam) shifted by whole days and months, for document dates. */
export function vnDate(shift: { days?: number; months?: number } = {}): string {
  const local = new Date(Date.now() + 7 * 3600 * 1000);
  const d = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + (shift.months ?? 0), local.getUTCDate() + (shift.days ?? 0)));
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${pad(d.getUTCMonth() + 1)}/${d.getUTCFullYear()}`;
}
