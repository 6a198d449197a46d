import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FraudCaseDetail, FraudCaseView } from '../../src/domain/fraud.js';
import type { ChatKey } from '../../src/messaging/types.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { adminCall, FRAUD_ADMIN_KEY } from '../support/fraud-api.js';

/** What the console's fraud list needs from the API: search by case number, pages with a total, next statuses. */
describe('fraud cases list for the console', () => {
  let app: TestApp;
  const numbers: string[] = [];
  const list = async (query: string) => {
    const res = await adminCall<{ items: FraudCaseView[]; total: number }>(app.url, FRAUD_ADMIN_KEY, 'GET', `/fraud-cases?${query}`);
    expect(res.status, res.text).toBe(200);
    return { numbers: res.body.items.map((c) => c.caseNumber), total: res.body.total };
  };

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'true', ADMIN_BOOTSTRAP_KEY: FRAUD_ADMIN_KEY });
    const chat: ChatKey = { channel: 'simulator', chatId: 'fraud-list' };
    await app.domain.chatUsers.touch(chat, 'u1', 'vi');
    for (let i = 0; i < 12; i++) {
      const receipt = await app.domain.fraud.report({
        chat,
        locale: 'vi',
        category: i % 3 === 0 ? 'otp_request' : 'other',
        description: `Báo cáo thử số ${i}`,
        scammerContact: null,
        moneyLost: i === 11,
        amountLost: i === 11 ? 2_000_000 : null,
        photoRefs: [],
      });
      numbers.push(receipt.caseNumber);
    }
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('pages newest first with the total of matching cases', async () => {
    const newestFirst = [...numbers].reverse();
    const first = await list('limit=5');
    expect(first).toEqual({ numbers: newestFirst.slice(0, 5), total: 12 });
    expect(await list('limit=5&offset=5')).toEqual({ numbers: newestFirst.slice(5, 10), total: 12 });
    expect(await list('limit=5&offset=10')).toEqual({ numbers: newestFirst.slice(10), total: 12 });
    expect(await list('limit=5&offset=50')).toEqual({ numbers: [], total: 12 });
    const otp = await list('category=otp_request&limit=2');
    expect(otp.total).toBe(4);
    expect(otp.numbers).toHaveLength(2);
  });

  it('finds cases by part of the case number, in the list and the export alike', async () => {
    const target = numbers[10]!;
    const tail = target.slice(-6);
    expect(await list(`q=${tail}`)).toEqual({ numbers: [target], total: 1 });
    expect(await list(`q=${target.toLowerCase()}`)).toEqual({ numbers: [target], total: 1 });
    expect((await list(`q=${target.slice(0, 7)}`)).total).toBe(12);
    expect((await list('q=LD-1999')).total).toBe(0);
    const csv = await adminCall(app.url, FRAUD_ADMIN_KEY, 'GET', `/fraud-cases/export.csv?q=${tail}`);
    expect(csv.text.trim().split('\r\n')).toHaveLength(2);
    expect(csv.text).toContain(target);
    // Regex characters are letters to search for, not a pattern (and are refused outright).
    for (const bad of ['.*', 'LD-2026-0000[0-9]', '$where']) {
      const res = await adminCall<{ field: string }>(app.url, FRAUD_ADMIN_KEY, 'GET', `/fraud-cases?q=${encodeURIComponent(bad)}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.field).toBe('q');
    }
  });

  it('tells which statuses a case may move to next, and who wrote each note', async () => {
    const target = numbers[0]!;
    const detail = async () => (await adminCall<FraudCaseDetail & { nextStatuses: string[] }>(app.url, FRAUD_ADMIN_KEY, 'GET', `/fraud-cases/${target}`)).body;
    expect((await detail()).nextStatuses).toEqual(['in_review', 'referred', 'closed']);
    expect((await adminCall(app.url, FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${target}/status`, { status: 'referred' })).status).toBe(200);
    expect((await detail()).nextStatuses).toEqual(['closed']);
    const noted = await adminCall(app.url, FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${target}/notes`, { text: 'Đã gọi ngân hàng' });
    expect(noted.status).toBe(201);
    const withNote = await detail();
    const by = withNote.notes[0]!.by;
    expect((withNote as unknown as { staffLabels: Record<string, string> }).staffLabels).toEqual({ [by]: 'bootstrap admin' });
  });
});
