import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';

/**
 * Every admin endpoint × every role × in/out of province scope, with no key and
 * a wrong key. The endpoint list and each one's allowed roles come from the
 * OpenAPI document, so a new endpoint is covered the day it is added.
 */
const BOOTSTRAP = 'matrix-admin-key-0123456789abcdef0123';
const ROLES = ['admin', 'reviewer', 'broadcaster', 'viewer'] as const;
type Role = (typeof ROLES)[number];

interface Operation { method: string; path: string; roles: string[]; hasProvinceQuery: boolean }

let app: TestApp;
let operations: Operation[];
const keys = {} as Record<Role, string>;
let outOfScope: Record<Role, string>;

const call = (op: Operation, key: string | undefined, query = '') => {
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name.toLowerCase().endsWith('id') ? '0123456789abcdef01234567' : '0000000000'));
  return fetch(`${app.url}/admin/api${path}${query}`, {
    method: op.method.toUpperCase(),
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: op.method === 'get' ? undefined : '{}',
  });
};

beforeAll(async () => {
  // Two failed authentications per endpoint: lift the per-address limiter above the run's total.
  app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: BOOTSTRAP, ADMIN_AUTH_MAX_FAILURES: '100000' });
  const doc = (await (await fetch(`${app.url}/admin/api/openapi.json`)).json()) as {
    paths: Record<string, Record<string, { security?: unknown[]; 'x-roles'?: string[]; parameters?: { name: string; in: string }[] }>>;
  };
  operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, op]) => op['x-roles'] !== undefined)
      .map(([method, op]) => ({
        method,
        path,
        roles: op['x-roles']!,
        hasProvinceQuery: (op.parameters ?? []).some((p) => p.in === 'query' && p.name === 'province'),
      })),
  );
  const make = async (role: Role, province: string) => {
    const res = await fetch(`${app.url}/admin/api/keys`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BOOTSTRAP}` },
      body: JSON.stringify({ role, province, label: `matrix ${role} ${province}` }),
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { key: string }).key;
  };
  for (const role of ROLES) keys[role] = await make(role, '01');
  outOfScope = {} as Record<Role, string>;
  for (const role of ROLES) outOfScope[role] = await make(role, '31');
});

afterAll(async () => {
  await app?.stop();
});

describe('admin authorization matrix', () => {
  it('documents a non-trivial set of protected endpoints', () => {
    expect(operations.length).toBeGreaterThanOrEqual(6);
    for (const op of operations) expect(op.roles).toContain('admin');
  });

  it('refuses every endpoint without a key or with a wrong key (401)', async () => {
    for (const op of operations) {
      expect((await call(op, undefined)).status, `${op.method} ${op.path} without key`).toBe(401);
      expect((await call(op, 'lhb_wrongwrongwrongwrongwrongwrongwrongwrongwro')).status, `${op.method} ${op.path} wrong key`).toBe(401);
    }
  });

  it('lets each role through exactly the endpoints documented for it (403 otherwise)', async () => {
    for (const op of operations) {
      for (const role of ROLES) {
        const status = (await call(op, keys[role])).status;
        const label = `${role} → ${op.method.toUpperCase()} ${op.path} answered ${status}`;
        if (op.roles.includes(role)) expect([401, 403], label).not.toContain(status);
        else expect(status, label).toBe(403);
      }
    }
  });

  it('keeps a province-scoped key inside its province', async () => {
    const scoped = operations.filter((op) => op.method === 'get' && op.hasProvinceQuery);
    for (const op of scoped) {
      for (const role of ROLES.filter((r) => op.roles.includes(r))) {
        const own = await call(op, keys[role], '?province=01');
        expect([401, 403], `${role} own province ${op.path}`).not.toContain(own.status);
        const other = await call(op, outOfScope[role], '?province=01');
        expect(other.status, `${role} of province 31 asking for 01 at ${op.path}`).toBe(403);
      }
    }
  });
});
