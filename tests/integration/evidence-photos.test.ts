import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatKey } from '../../src/messaging/types.js';
import { startTestApp, TEST_SECRET, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeTelegram } from '../support/fake-telegram.js';
import { createStaffKey, FRAUD_ADMIN_KEY } from '../support/fraud-api.js';
import { seedPersonas } from '../support/personas.js';

const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const SIMULATOR_REF = 'simulator-photo-3f9a2c1e-0b7d-4c55-9e21-5a6b7c8d9e0f';
/** Stored by a Zalo chat but not on Zalo's image hosts: must never be fetched. */
const FOREIGN_URL = 'https://photo.zalo.example/evidence.jpg';

interface AuditRow {
  action: string;
  actor: { label: string; role: string };
  target: { type: string; id: string };
  details: Record<string, unknown>;
}

/** Evidence photos through the admin API: real app, real telegraf against the fake Bot API, real database. */
describe('evidence photos admin API', () => {
  let fake: FakeTelegram;
  let app: TestApp;
  const reporter: ChatKey = { channel: 'telegram', chatId: '700101' };
  const relative: ChatKey = { channel: 'telegram', chatId: '700102' };
  let caseNumber = '';
  let linkId = '';
  const keys = { reviewer01: '', reviewer79: '', viewer01: '', broadcaster: '' };

  const get = (key: string, path: string) => fetch(`${app.url}/admin/api${path}`, { headers: { authorization: `Bearer ${key}` } });
  const bytesOf = async (res: Response) => Buffer.from(await res.arrayBuffer());
  const evidenceAudits = () =>
    app.connection.collection<AuditRow>('audit_log').find({ action: 'evidence_photo.read' }).sort({ at: 1 }).toArray();

  beforeAll(async () => {
    fake = await FakeTelegram.start();
    app = await startTestApp({
      MONGODB_URI: testMongoUri(),
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_WEBHOOK_SECRET: TEST_SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      SIMULATOR_ENABLED: 'true',
      ADMIN_BOOTSTRAP_KEY: FRAUD_ADMIN_KEY,
    });
    const ids = await seedPersonas(app.domain, ['an']);
    await app.domain.chatUsers.touch(reporter, 'u1', 'vi');
    await app.domain.links.createSelfLink(reporter, ids.an, 'v1');
    caseNumber = (
      await app.domain.fraud.report({
        chat: reporter,
        locale: 'vi',
        category: 'fake_app',
        description: 'Có người gửi link cài ứng dụng giả',
        scammerContact: null,
        moneyLost: false,
        amountLost: null,
        photoRefs: ['AgACAgUAAxkBAAIBdWZ-tg-photo', SIMULATOR_REF, FOREIGN_URL],
      })
    ).caseNumber;
    linkId = (
      await app.domain.links.createRelativeLink(relative, {
        beneficiaryId: ids.an,
        relationship: 'child',
        document: { kind: 'authorisation', number: 'UQ-15/2026', issuedOn: '2026-01-10', issuer: 'UBND phường Ba Đình', photoRef: 'AgACAgUAAxkBAAIBdWZ-paper' },
        consentVersion: 'v1',
      })
    ).id;
    keys.reviewer01 = await createStaffKey(app.url, 'reviewer', '01');
    keys.reviewer79 = await createStaffKey(app.url, 'reviewer', '79');
    keys.viewer01 = await createStaffKey(app.url, 'viewer', '01');
    keys.broadcaster = await createStaffKey(app.url, 'broadcaster', '01');
  });

  afterAll(async () => {
    await app?.stop();
    await fake?.stop();
  });

  it('serves a Telegram photo as the image Telegram holds, never cached, and audits the view', async () => {
    const res = await get(keys.reviewer01, `/fraud-cases/${caseNumber}/photos/0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const bytes = await bytesOf(res);
    expect([...bytes.subarray(0, 3)]).toEqual(JPEG_MAGIC);

    // The same bytes the Bot API's file server gives for that file_id.
    const [getFile] = fake.callsTo('getFile');
    expect(getFile?.params.file_id).toBe('AgACAgUAAxkBAAIBdWZ-tg-photo');
    const link = await fetch(`${fake.apiRoot}/bot${fake.token}/getFile?file_id=AgACAgUAAxkBAAIBdWZ-tg-photo`);
    const { result } = (await link.json()) as { result: { file_path: string } };
    const direct = await bytesOf(await fetch(`${fake.apiRoot}/file/bot${fake.token}/${result.file_path}`));
    expect(bytes.equals(direct)).toBe(true);

    const audits = await evidenceAudits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      actor: { label: 'reviewer 01', role: 'reviewer' },
      target: { type: 'fraud_case', id: caseNumber },
      details: { index: 0, platform: 'telegram' },
    });
    // The bot token is in the download URL: it must not reach the logs.
    expect(app.logs.text()).not.toContain(fake.token);
  });

  it('draws a labelled placeholder for a simulator photo', async () => {
    const res = await get(FRAUD_ADMIN_KEY, `/fraud-cases/${caseNumber}/photos/1`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/svg+xml');
    const svg = (await bytesOf(res)).toString('utf8');
    expect(svg).toContain('Ảnh mô phỏng');
    expect(svg).toContain('3f9a2c1e');
    expect(svg).not.toContain('<script');
  });

  it('never fetches a URL outside Zalo\'s image hosts, and audits nothing for it', async () => {
    const before = (await evidenceAudits()).length;
    const res = await get(keys.reviewer01, `/fraud-cases/${caseNumber}/photos/2`);
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ code: 'photo_unavailable' });
    expect((await evidenceAudits()).length).toBe(before);
    expect(app.logs.text()).toContain('"reason":"not_allowed"');
    expect(app.logs.text()).not.toContain('photo.zalo.example');
  });

  it('answers 502 when Telegram no longer has the file', async () => {
    fake.failNext('getFile', 1, { status: 400, description: 'Bad Request: wrong file_id or the file is temporarily unavailable' });
    const res = await get(keys.reviewer01, `/fraud-cases/${caseNumber}/photos/0`);
    expect(res.status).toBe(502);
    const body = (await res.json()) as { code: string; message: string };
    expect(body.code).toBe('photo_unavailable');
    expect(body.message).toContain('wrong file_id');
  });

  it('refuses photo numbers the case does not have, and malformed ones', async () => {
    const missing = await get(keys.reviewer01, `/fraud-cases/${caseNumber}/photos/3`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'not_found', field: 'index' });
    for (const index of ['-1', '1e1', '0x1', '10']) {
      const bad = await get(keys.reviewer01, `/fraud-cases/${caseNumber}/photos/${index}`);
      expect(bad.status, index).toBe(400);
    }
    expect((await get(keys.reviewer01, '/fraud-cases/LD-2026-999999/photos/0')).status).toBe(404);
  });

  it('is for reviewers and admins of the case\'s province only', async () => {
    expect((await get(keys.viewer01, `/fraud-cases/${caseNumber}/photos/0`)).status).toBe(403);
    expect((await get(keys.broadcaster, `/fraud-cases/${caseNumber}/photos/0`)).status).toBe(403);
    expect((await get(keys.reviewer79, `/fraud-cases/${caseNumber}/photos/0`)).status).toBe(404);
    expect((await get(keys.viewer01, `/links/${linkId}/photo`)).status).toBe(403);
    expect((await get(keys.reviewer79, `/links/${linkId}/photo`)).status).toBe(404);
    expect((await fetch(`${app.url}/admin/api/fraud-cases/${caseNumber}/photos/0`)).status).toBe(401);
  });

  it("serves the photo of a relative's authorisation paper and audits it against the link", async () => {
    const res = await get(keys.reviewer01, `/links/${linkId}/photo`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect([...(await bytesOf(res)).subarray(0, 3)]).toEqual(JPEG_MAGIC);
    expect(fake.callsTo('getFile').some((c) => c.params.file_id === 'AgACAgUAAxkBAAIBdWZ-paper')).toBe(true);
    const audits = await evidenceAudits();
    expect(audits.at(-1)).toMatchObject({ target: { type: 'beneficiary_link', id: linkId }, details: { kind: 'authorisation', platform: 'telegram' } });
    expect((await get(keys.reviewer01, '/links/0123456789abcdef01234567/photo')).status).toBe(404);
  });

  it('documents both routes for reviewers', async () => {
    const doc = (await (await fetch(`${app.url}/admin/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { 'x-roles'?: string[] }>>;
    };
    expect(doc.paths['/fraud-cases/{caseNumber}/photos/{index}']?.get?.['x-roles']).toEqual(['admin', 'reviewer']);
    expect(doc.paths['/links/{id}/photo']?.get?.['x-roles']).toEqual(['admin', 'reviewer']);
  });
});
