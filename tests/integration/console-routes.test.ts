import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';

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
