import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatKey } from '../../src/messaging/types.js';
import type { FraudCaseDetail, FraudCaseView } from '../../src/domain/fraud.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { adminCall, createStaffKey, FRAUD_ADMIN_KEY } from '../support/fraud-api.js';
import { seedPersonas } from '../support/personas.js';

/** Fraud-case triage through the admin API, on a real app and database. */
describe('fraud cases admin API', () => {
  let app: TestApp;
  const hanoi: ChatKey = { channel: 'simulator', chatId: 'fraud-hn' };
  const haiphong: ChatKey = { channel: 'simulator', chatId: 'fraud-hp' };
  const unlinked: ChatKey = { channel: 'simulator', chatId: 'fraud-none' };
  const cases = { hanoi: '', haiphong: '', unlinked: '' };
  let reviewer01 = '';
  let viewer = '';

  const call = <T = unknown>(key: string, method: string, path: string, body?: unknown) => adminCall<T>(app.url, key, method, path, body);
  const simulatorTexts = async (chatId: string) =>
    (await app.connection.collection('simulator_messages').find({ chatId, direction: 'out' }).toArray()).map((r) => String(r.message?.text));

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'true', ADMIN_BOOTSTRAP_KEY: FRAUD_ADMIN_KEY });
    const ids = await seedPersonas(app.domain, ['an', 'cuong']);
    await app.domain.chatUsers.touch(hanoi, 'u1', 'vi');
    await app.domain.chatUsers.touch(haiphong, 'u2', 'vi');
    await app.domain.chatUsers.touch(unlinked, 'u3', 'en');
    await app.domain.links.createSelfLink(hanoi, ids.an, 'v1');
    await app.domain.links.createSelfLink(haiphong, ids.cuong, 'v1');
    const base = { scammerContact: null, photoRefs: [] };
    cases.hanoi = (
      await app.domain.fraud.report({ ...base, chat: hanoi, locale: 'vi', category: 'impersonation', description: 'Gọi điện giả danh BHXH', moneyLost: true, amountLost: 3_000_000, photoRefs: ['p1', 'p2'] })
    ).caseNumber;
    cases.haiphong = (
      await app.domain.fraud.report({ ...base, chat: haiphong, locale: 'vi', category: 'fake_app', description: '=HYPERLINK("x") cài app "VssID"', moneyLost: false, amountLost: null })
    ).caseNumber;
    cases.unlinked = (
      await app.domain.fraud.report({ ...base, chat: unlinked, locale: 'en', category: 'other', description: 'Strange, long call', moneyLost: false, amountLost: null })
    ).caseNumber;
    reviewer01 = await createStaffKey(app.url, 'reviewer', '01');
    viewer = await createStaffKey(app.url, 'viewer');
  });

  afterAll(async () => {
    await app?.stop();
  });

  it('numbers cases from an atomic counter and takes the province from the linked record', async () => {
    const numbers = [cases.hanoi, cases.haiphong, cases.unlinked].map((c) => Number(c.slice(-6)));
    expect(numbers).toEqual([1, 2, 3]);
    const all = await call<{ items: FraudCaseView[] }>(FRAUD_ADMIN_KEY, 'GET', '/fraud-cases');
    expect(all.status).toBe(200);
    expect(all.body.items.map((c) => c.caseNumber)).toEqual([cases.unlinked, cases.haiphong, cases.hanoi]);
    const byCase = new Map(all.body.items.map((c) => [c.caseNumber, c]));
    expect(byCase.get(cases.hanoi)).toMatchObject({ provinceCode: '01', severity: 'urgent', amountLost: 3_000_000, photoCount: 2, reporterChannel: 'simulator' });
    expect(byCase.get(cases.haiphong)?.provinceCode).toBe('31');
    expect(byCase.get(cases.unlinked)?.provinceCode).toBeNull();
    expect(JSON.stringify(all.body)).not.toContain('fraud-hn');
  });

  it('filters by severity, category, status, province and dates', async () => {
    const list = async (query: string) => (await call<{ items: FraudCaseView[] }>(FRAUD_ADMIN_KEY, 'GET', `/fraud-cases?${query}`)).body.items.map((c) => c.caseNumber);
    expect(await list('severity=urgent')).toEqual([cases.hanoi]);
    expect(await list('category=fake_app')).toEqual([cases.haiphong]);
    expect(await list('province=31')).toEqual([cases.haiphong]);
    expect(await list('status=closed')).toEqual([]);
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(await list(`from=${tomorrow}`)).toEqual([]);
    expect(await list(`to=${tomorrow}`)).toHaveLength(3);
    const bad = await call<{ code: string; field: string }>(FRAUD_ADMIN_KEY, 'GET', '/fraud-cases?severity=high');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('severity');
  });

  it('limits a province-scoped key to its province; cases without a province only to unscoped keys', async () => {
    const list = await call<{ items: FraudCaseView[] }>(reviewer01, 'GET', '/fraud-cases');
    expect(list.body.items.map((c) => c.caseNumber)).toEqual([cases.hanoi]);
    expect((await call(reviewer01, 'GET', `/fraud-cases/${cases.haiphong}`)).status).toBe(404);
    expect((await call(reviewer01, 'GET', `/fraud-cases/${cases.unlinked}`)).status).toBe(404);
    expect((await call(reviewer01, 'GET', '/fraud-cases?province=31')).status).toBe(403);
    expect((await call(reviewer01, 'POST', `/fraud-cases/${cases.haiphong}/notes`, { text: 'x' })).status).toBe(404);
    expect((await call(reviewer01, 'POST', `/fraud-cases/${cases.haiphong}/status`, { status: 'closed' })).status).toBe(404);
    expect((await call(viewer, 'GET', `/fraud-cases/${cases.unlinked}`)).status).toBe(200);
  });

  it('lets a viewer read but not change status or add notes', async () => {
    expect((await call(viewer, 'GET', '/fraud-cases')).status).toBe(200);
    const status = await call<{ code: string }>(viewer, 'POST', `/fraud-cases/${cases.hanoi}/status`, { status: 'in_review' });
    expect(status.status).toBe(403);
    expect(status.body.code).toBe('forbidden');
    expect((await call(viewer, 'POST', `/fraud-cases/${cases.hanoi}/notes`, { text: 'ghi chú' })).status).toBe(403);
  });

  it('adds notes, moves cases along allowed transitions only, tells the reporter, and audits every write', async () => {
    const noted = await call<FraudCaseDetail>(reviewer01, 'POST', `/fraud-cases/${cases.hanoi}/notes`, { text: 'Đã liên hệ ngân hàng' });
    expect(noted.status).toBe(201);
    expect(noted.body.notes.map((n) => n.text)).toEqual(['Đã liên hệ ngân hàng']);
    expect((await call(reviewer01, 'POST', `/fraud-cases/${cases.hanoi}/notes`, { text: '  ' })).status).toBe(400);

    const referred = await call<FraudCaseDetail & { reporterNotified: boolean }>(reviewer01, 'POST', `/fraud-cases/${cases.hanoi}/status`, {
      status: 'referred',
      note: 'Chuyển Công an quận',
    });
    expect(referred.status).toBe(200);
    expect(referred.body.status).toBe('referred');
    expect(referred.body.reporterNotified).toBe(true);
    expect(referred.body.notes).toHaveLength(2);
    expect((await simulatorTexts(hanoi.chatId)).join('\n')).toContain(`Hồ sơ lừa đảo ${cases.hanoi} của Ông/Bà đã được chuyển cho cơ quan Công an`);

    const back = await call<{ code: string }>(reviewer01, 'POST', `/fraud-cases/${cases.hanoi}/status`, { status: 'in_review' });
    expect(back.status).toBe(409);
    expect(back.body.code).toBe('invalid_transition');
    expect((await call(reviewer01, 'POST', `/fraud-cases/${cases.hanoi}/status`, { status: 'closed' })).status).toBe(200);
    expect((await call(reviewer01, 'POST', `/fraud-cases/${cases.hanoi}/status`, { status: 'closed' })).status).toBe(409);
    expect((await call(reviewer01, 'POST', '/fraud-cases/LD-2026-999999/status', { status: 'closed' })).status).toBe(404);
    expect((await call(reviewer01, 'POST', '/fraud-cases/nope/status', { status: 'closed' })).status).toBe(400);

    const detail = await call<FraudCaseDetail>(viewer, 'GET', `/fraud-cases/${cases.hanoi}`);
    expect(detail.body.status).toBe('closed');
    expect(detail.body.photoRefs).toEqual(['p1', 'p2']);

    const audit = await call<{ items: { action: string; target: { id: string }; details: Record<string, unknown> }[] }>(FRAUD_ADMIN_KEY, 'GET', '/audit?action=fraud_case.status');
    expect(audit.body.items.map((e) => e.details.status)).toEqual(['closed', 'referred']);
    expect(audit.body.items.every((e) => e.target.id === cases.hanoi)).toBe(true);
    const notes = await call<{ items: unknown[] }>(FRAUD_ADMIN_KEY, 'GET', '/audit?action=fraud_case.note');
    expect(notes.body.items).toHaveLength(1);
  });

  it('tells nobody once the reporter erased their data', async () => {
    await app.domain.myData.erase(unlinked);
    const changed = await call<{ reporterNotified: boolean; reporterChannel: string | null }>(FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${cases.unlinked}/status`, {
      status: 'in_review',
    });
    expect(changed.status).toBe(200);
    expect(changed.body.reporterNotified).toBe(false);
    expect(changed.body.reporterChannel).toBeNull();
    expect(await simulatorTexts(unlinked.chatId)).toEqual([]);
  });

  it('exports CSV with a byte-order mark, the same filters and scope, and neutralised formulas', async () => {
    const res = await fetch(`${app.url}/admin/api/fraud-cases/export.csv`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trim().split('\r\n');
    expect(lines[0]).toBe('caseNumber,createdAt,status,severity,category,provinceCode,moneyLost,amountLost,photoCount,scammerContact,description,staffAlertedAt');
    expect(lines).toHaveLength(4);
    expect(lines.find((l) => l.startsWith(cases.haiphong))).toContain(`"'=HYPERLINK(""x"") cài app ""VssID"""`);

    const scoped = await call(reviewer01, 'GET', '/fraud-cases/export.csv?severity=urgent');
    expect(scoped.status).toBe(200);
    const rows = scoped.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual([cases.hanoi]);
  });

  it('applies a status change once when many staff send it at once: one 200, one message to the reporter, one audit row', async () => {
    // Several rounds: on FerretDB without a guard, a single race shows a second winner only some of the time.
    for (let round = 0; round < 4; round++) {
      const chat: ChatKey = { channel: 'simulator', chatId: `fraud-race-${round}` };
      await app.domain.chatUsers.touch(chat, `race-${round}`, 'vi');
      const { caseNumber } = await app.domain.fraud.report({ chat, locale: 'vi', category: 'other', description: 'Cuộc gọi lạ', scammerContact: null, moneyLost: false, amountLost: null, photoRefs: [] });
      const send = (i: number) => call(FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${caseNumber}/status`, { status: 'closed', note: `đóng ${i}` });
      const answers = await Promise.all(Array.from({ length: 15 }, (_, i) => send(i)));
      // One wins. The others find it closed (409), or on a loaded machine wait past the
      // lease's patience and are told to retry (503 with Retry-After): a retry then finds it closed.
      expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
      expect(answers.every((a) => [200, 409, 503].includes(a.status))).toBe(true);
      for (const [i, a] of answers.entries()) if (a.status === 503) expect((await send(i)).status).toBe(409);
      expect(await simulatorTexts(chat.chatId)).toHaveLength(1);
      expect((await call<FraudCaseDetail>(FRAUD_ADMIN_KEY, 'GET', `/fraud-cases/${caseNumber}`)).body.notes).toHaveLength(1);
      const audit = await call<{ items: { target: { id: string } }[] }>(FRAUD_ADMIN_KEY, 'GET', '/audit?action=fraud_case.status');
      expect(audit.body.items.filter((e) => e.target.id === caseNumber)).toHaveLength(1);
    }
  });

  it('keeps every note when many staff add notes at once', async () => {
    const chat: ChatKey = { channel: 'simulator', chatId: 'fraud-notes' };
    const { caseNumber } = await app.domain.fraud.report({ chat, locale: 'vi', category: 'other', description: 'Tin nhắn lạ', scammerContact: null, moneyLost: false, amountLost: null, photoRefs: [] });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => call(FRAUD_ADMIN_KEY, 'POST', `/fraud-cases/${caseNumber}/notes`, { text: `ghi chú ${i}` })));
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const notes = (await call<FraudCaseDetail>(FRAUD_ADMIN_KEY, 'GET', `/fraud-cases/${caseNumber}`)).body.notes.map((n) => n.text);
    expect(notes.sort()).toEqual(Array.from({ length: 12 }, (_, i) => `ghi chú ${i}`).sort());
  });
});
