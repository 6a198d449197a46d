import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { SimulatorChatDriver, textOf } from '../support/chat-driver.js';
import { testMongoUri } from '../support/db.js';
import { seedPersonas, type PersonaName } from '../support/personas.js';
import type { ChatKey } from '../../src/messaging/types.js';
import { CONSENT_VERSION } from '../../src/domain/consent.js';

const ADMIN_KEY = 'test-admin-key-0123456789abcdef0123';
/** 10:00 in Vietnam on 23/11/2026. */
const NOW = new Date('2026-11-23T03:00:00Z');

describe('relative links: reminders, expiry and the review API', () => {
  let app: TestApp;
  let ids: Record<PersonaName, string>;

  beforeAll(async () => {
    app = await startTestApp({ MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'true', ADMIN_BOOTSTRAP_KEY: ADMIN_KEY });
    ids = await seedPersonas(app.domain);
  });
  afterAll(async () => {
    await app.stop();
  });

  /** An approved authorisation for `person`, held by simulator chat `chatId`, ending on `expiresOn`. */
  async function approvedLink(chatId: string, person: PersonaName, expiresOn: string): Promise<ChatKey> {
    const chat: ChatKey = { channel: 'simulator', chatId };
    const { id } = await app.domain.links.createRelativeLink(chat, {
      beneficiaryId: ids[person],
      relationship: 'child',
      document: { kind: 'authorisation', number: `UQ-${chatId}`, issuedOn: '2026-06-01', issuer: 'UBND xã Tân Lập', expiresOn, photoRef: 'photo-1' },
      consentVersion: CONSENT_VERSION,
    });
    const decided = await app.domain.links.decide(id, { approve: true, province: null, reviewer: 'test' });
    expect(decided.status).toBe('ok');
    return chat;
  }

  it('reminds once when an authorisation ends within 30 days, and expires the ended ones', async () => {
    const soon = await approvedLink('rem-soon', 'cuong', '2026-12-13'); // in 20 days
    const ended = await approvedLink('rem-ended', 'an', '2026-11-22'); // yesterday
    const later = await approvedLink('rem-later', 'binh', '2027-02-01'); // in 70 days

    // Already past its end: no right to act even before the daily job runs.
    expect(await app.domain.links.canAct(ended, ids.an)).toBe(false);
    expect(await app.domain.links.canAct(soon, ids.cuong)).toBe(true);
    expect(await app.domain.links.remindExpiring(NOW)).toEqual({ reminded: 1, expired: 1 });
    expect(await app.domain.links.remindExpiring(NOW)).toEqual({ reminded: 0, expired: 0 });

    const soonChat = new SimulatorChatDriver(() => app.url, soon.chatId);
    const seen = textOf(await soonChat.fetchNew());
    expect(seen.match(/sẽ hết hạn ngày 13\/12\/2026/g)).toHaveLength(1);
    expect(seen).toContain('Lê Văn Cường');
    expect(textOf(await new SimulatorChatDriver(() => app.url, later.chatId).fetchNew())).not.toContain('hết hạn');

    expect(await app.domain.links.canAct(ended, ids.an)).toBe(false);
    expect(await app.domain.links.canAct(soon, ids.cuong)).toBe(true);
    const expired = await fetch(`${app.url}/admin/api/links?status=expired`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    const body = (await expired.json()) as { items: { document: { number: string } }[] };
    expect(body.items.map((l) => l.document.number)).toEqual(['UQ-rem-ended']);
  });

  it('decides a link once when many reviewers act at once: one 200, one message to the relative, one audit row', async () => {
    const call = (id: string, verb: 'approve' | 'reject') =>
      fetch(`${app.url}/admin/api/links/${id}/${verb}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(verb === 'reject' ? { reason: 'giấy tờ không rõ' } : {}),
      });
    const auditRows = async (id: string, verb: string) => {
      const res = await fetch(`${app.url}/admin/api/audit?action=relative_link.${verb}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      return ((await res.json()) as { items: { target: { id: string } }[] }).items.filter((e) => e.target.id === id);
    };
    // Several rounds: on FerretDB without a guard, a single race shows a second winner only some of the time.
    for (let round = 0; round < 4; round++) {
      const chat: ChatKey = { channel: 'simulator', chatId: `race-decide-${round}` };
      const { id } = await app.domain.links.createRelativeLink(chat, {
        beneficiaryId: ids.binh,
        relationship: 'child',
        document: { kind: 'authorisation', number: `UQ-race-${round}`, issuedOn: '2026-06-01', issuer: 'UBND xã Tân Lập', expiresOn: '2027-06-01', photoRef: 'photo-1' },
        consentVersion: CONSENT_VERSION,
      });
      const answers = await Promise.all(Array.from({ length: 16 }, (_, i) => call(id, i % 2 === 0 ? 'approve' : 'reject')));
      expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array<number>(15).fill(409)]);
      expect(await new SimulatorChatDriver(() => app.url, chat.chatId).fetchNew()).toHaveLength(1);
      expect([...(await auditRows(id, 'approve')), ...(await auditRows(id, 'reject'))]).toHaveLength(1);
    }
  });

  it('sends each expiry reminder once when the daily job runs on many instances at once', async () => {
    const chats = [];
    for (let n = 0; n < 4; n++) chats.push(await approvedLink(`rem-race-${n}`, 'binh', '2026-12-01')); // in 8 days
    const runs = await Promise.all(Array.from({ length: 12 }, () => app.domain.links.remindExpiring(NOW)));
    expect(runs.reduce((sum, r) => sum + r.reminded, 0)).toBe(chats.length);
    for (const chat of chats) {
      const seen = textOf(await new SimulatorChatDriver(() => app.url, chat.chatId).fetchNew());
      expect(seen.match(/sẽ hết hạn ngày 01\/12\/2026/g)).toHaveLength(1);
    }
  });

  it('validates input and answers 404 for unknown ids', async () => {
    const call = (path: string, init: RequestInit = {}) =>
      fetch(`${app.url}/admin/api${path}`, { ...init, headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' } });
    expect((await call('/links?status=bogus')).status).toBe(400);
    expect((await call('/links?province=1')).status).toBe(400);
    expect((await call('/links/0123456789abcdef01234567')).status).toBe(404);
    expect((await call('/links/0123456789abcdef01234567/reject', { method: 'POST', body: JSON.stringify({ reason: 'long enough' }) })).status).toBe(404);
    const tooLong = await call('/links/0123456789abcdef01234567/reject', { method: 'POST', body: JSON.stringify({ reason: 'x'.repeat(501) }) });
    expect(tooLong.status).toBe(400);
    expect((await call('/links/0123456789abcdef01234567/reject', { method: 'POST', body: JSON.stringify({}) })).status).toBe(400);
  });
});
