import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED_COLUMNS } from '../../src/domain/import/beneficiary-row.js';
import { LEDGER_COLUMNS, LEDGER_REQUIRED_COLUMNS } from '../../src/domain/import/ledger-row.js';
import { NOTE_MAX } from '../../src/domain/fraud.js';
import { BENEFIT_TYPES } from '../../src/vocabulary/benefits.js';
import { FRAUD_CATEGORIES, FRAUD_STATUSES } from '../../src/vocabulary/fraud.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { FakeZalo } from '../support/fake-zalo.js';

const ADMIN_KEY = 'lhb_console-routes-test-admin-key-000000000000';

async function signIn(app: TestApp, key: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${app.url}/console/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ key }),
  });
}

describe('console sign-in over HTTP', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startTestApp({
      MONGODB_URI: testMongoUri(),
      ADMIN_BOOTSTRAP_KEY: ADMIN_KEY,
      ADMIN_AUTH_MAX_FAILURES: '3',
      TRUST_PROXY: 'loopback',
    });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('sets an httpOnly SameSite=Strict cookie, Secure only behind HTTPS, and audits sign-in and sign-out', async () => {
    const plain = await signIn(app, ADMIN_KEY);
    expect(plain.status).toBe(201);
    const cookie = plain.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^lhb_console=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    const body = (await plain.json()) as { staff: { role: string; province: string | null }; csrfToken: string; idleMinutes: number };
    expect(body).toMatchObject({ staff: { role: 'admin', province: null }, idleMinutes: 30 });
    expect(JSON.stringify(body)).not.toContain(ADMIN_KEY);

    // A TLS-terminating proxy on loopback (trusted) says the browser used https.
    const behindTls = await signIn(app, ADMIN_KEY, { 'X-Forwarded-Proto': 'https' });
    expect(behindTls.headers.get('set-cookie')).toMatch(/; Secure; SameSite=Strict$/);

    const token = cookie.split(';')[0]!;
    const out = await fetch(`${app.url}/console/session`, { method: 'DELETE', headers: { Cookie: token, 'X-CSRF-Token': body.csrfToken } });
    expect(out.status).toBe(204);
    expect((await fetch(`${app.url}/admin/api/me`, { headers: { Cookie: token } })).status).toBe(401);

    const audit = await fetch(`${app.url}/admin/api/audit?action=console.sign_in`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(((await audit.json()) as { items: unknown[] }).items).toHaveLength(2);
    const outs = await fetch(`${app.url}/admin/api/audit?action=console.sign_out`, { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
    expect(((await outs.json()) as { items: Array<{ actor: { role: string } }> }).items).toEqual([expect.objectContaining({ actor: expect.objectContaining({ role: 'admin' }) })]);
  });

  it('refuses sign-out without the CSRF token, so another site cannot sign staff out', async () => {
    const res = await signIn(app, ADMIN_KEY);
    const token = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    expect((await fetch(`${app.url}/console/session`, { method: 'DELETE', headers: { Cookie: token } })).status).toBe(403);
    expect((await fetch(`${app.url}/console/session`, { headers: { Cookie: token } })).status).toBe(200);
  });

  it('answers bad input with 400 and limits wrong keys per address with 429', async () => {
    const malformed = await fetch(`${app.url}/console/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ key: '' }) });
    expect(malformed.status).toBe(400);
    for (let i = 0; i < 3; i++) expect((await signIn(app, `lhb_wrong-${i}`)).status).toBe(401);
    const limited = await signIn(app, ADMIN_KEY);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(app.logs.text()).not.toContain('lhb_wrong-');
  });
});

describe('console cookie with an https PUBLIC_URL', () => {
  it('is Secure even when the proxy protocol header is not trusted', async () => {
    const app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: ADMIN_KEY, PUBLIC_URL: 'https://bhxh.example.vn' });
    try {
      const res = await signIn(app, ADMIN_KEY);
      expect(res.status).toBe(201);
      expect(res.headers.get('set-cookie')).toContain('; Secure;');
    } finally {
      await app.stop();
    }
  });
});

/**
 * Every admin API operation id the console names (`may('postBroadcasts')`, a
 * section's `needs`, a queue's deciding operation), read from its source: any
 * quoted `get…`/`post…` word.
 */
function operationsTheConsoleAsksAbout(): string[] {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path) : path.endsWith('.js') ? [path] : [];
    });
  const found = new Set<string>();
  for (const file of files(join(import.meta.dirname, '..', '..', 'src', 'console', 'public'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'((?:get|post|put|delete)[A-Z]\w*)'/g)) found.add(m[1]!);
  }
  return [...found].sort();
}

describe('what the console is told a key may do', () => {
  let app: TestApp;
  const keys: Record<string, string> = {};

  async function sessionOf(key: string): Promise<{ staff: { role: string }; can: Record<string, boolean> }> {
    const res = await signIn(app, key);
    expect(res.status).toBe(201);
    return (await res.json()) as { staff: { role: string }; can: Record<string, boolean> };
  }

  let zalo: FakeZalo;
  beforeAll(async () => {
    // With a Zalo OA: the console asks about its routes too (its section shows only where they exist).
    zalo = await FakeZalo.start();
    app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: ADMIN_KEY, ...zalo.env({ oa: true }) });
    for (const role of ['reviewer', 'broadcaster', 'viewer']) {
      const res = await fetch(`${app.url}/admin/api/keys`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ role, label: `console ${role}` }),
      });
      expect(res.status).toBe(201);
      keys[role] = ((await res.json()) as { key: string }).key;
    }
  });
  afterAll(async () => {
    await app?.stop();
    await zalo?.stop();
  });

  it('answers, at sign-in and after, the API operations this key may call, decided by the server roles', async () => {
    const admin = await sessionOf(ADMIN_KEY);
    expect(Object.values(admin.can).every(Boolean)).toBe(true);
    const viewer = await sessionOf(keys.viewer!);
    const broadcaster = await sessionOf(keys.broadcaster!);
    const reviewer = await sessionOf(keys.reviewer!);
    expect(viewer.can).toMatchObject({ getBroadcasts: true, postBroadcasts: false, getRequests: true, postRequestsByIdApprove: false, getImports: false, postBroadcastsByIdApprove: false });
    expect(broadcaster.can).toMatchObject({ postBroadcasts: true, postBroadcastsByIdCancel: true, postBroadcastsByIdApprove: false, getRequests: false, postImportsBeneficiaries: false });
    expect(reviewer.can).toMatchObject({ postRequestsByIdApprove: true, postLinksByIdApprove: true, getLinksByIdPhoto: true, getImports: true, postBroadcasts: false });
    // The documentation routes need no key and are no capability.
    expect(Object.keys(admin.can)).not.toContain('getOpenapiJson');

    const res = await signIn(app, keys.reviewer!);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
    const again = (await (await fetch(`${app.url}/console/session`, { headers: { Cookie: cookie } })).json()) as { can: Record<string, boolean> };
    expect(again.can).toEqual(reviewer.can);
  });

  it('knows every operation the console asks about, so a renamed route cannot silently hide a button', async () => {
    const asked = operationsTheConsoleAsksAbout();
    expect(asked.length).toBeGreaterThan(10);
    const { can } = await sessionOf(ADMIN_KEY);
    expect(asked.filter((op) => !(op in can))).toEqual([]);
  });

  it("serves the server's lists the console offers as choices", async () => {
    const res = await fetch(`${app.url}/console/vocabulary.json`);
    expect(res.status).toBe(200);
    const lists = (await res.json()) as { provinces: Record<string, string> };
    expect(lists).toEqual({ benefitTypes: BENEFIT_TYPES, provinces: expect.any(Object), fraudCategories: FRAUD_CATEGORIES, fraudStatuses: FRAUD_STATUSES, fraudNoteMax: NOTE_MAX });
    // Province names by the register's 2-digit code: staff read "Hà Nội (01)", not "01".
    expect(lists.provinces['01']).toBe('Hà Nội');
    expect(lists.provinces['79']).toBe('Hồ Chí Minh');
  });

  it('gives the import page the columns of the row parsers, in order, with the required ones marked', async () => {
    const res = await fetch(`${app.url}/admin/api/imports/columns`, { headers: { Authorization: `Bearer ${keys.reviewer!}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { kinds: { kind: string; columns: { name: string; required: boolean }[]; example: Record<string, string> }[]; limits: Record<string, number> };
    const expected = (all: readonly string[], required: readonly string[]) => all.map((name) => ({ name, required: required.includes(name) }));
    expect(body.kinds.map((k) => [k.kind, k.columns])).toEqual([
      ['beneficiaries', expected(BENEFICIARY_COLUMNS, BENEFICIARY_REQUIRED_COLUMNS)],
      ['ledger', expected(LEDGER_COLUMNS, LEDGER_REQUIRED_COLUMNS)],
    ]);
    for (const k of body.kinds) expect(Object.keys(k.example).sort()).toEqual(k.columns.map((c) => c.name).sort());
    expect(body.limits).toEqual({ csvBytes: 50 * 1024 * 1024, jsonBytes: 1024 * 1024, jsonRows: 5000 });
    const viewer = await fetch(`${app.url}/admin/api/imports/columns`, { headers: { Authorization: `Bearer ${keys.viewer!}` } });
    expect(viewer.status).toBe(403);
  });
});
