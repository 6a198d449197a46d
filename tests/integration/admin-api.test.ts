import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import helmet from 'helmet';
import type { Connection } from 'mongoose';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Production mongoose settings (strictQuery) apply to these tests too.
import '../../src/db/connect.js';
import { auditLogModel } from '../../src/db/models/audit-log.js';
import { staffKeyModel } from '../../src/db/models/staff-key.js';
import { ADMIN_BASE_PATH, createAdminRouter, type AdminRouter, type AdminRouterDeps } from '../../src/http/admin/admin-router.js';
import type { AdminRouteModule } from '../../src/http/admin/route-module.js';
import { createLogger } from '../../src/logger.js';
import { LogCapture } from '../support/app.js';
import { connectTestMongoose, type TestMongoose } from '../support/db.js';

/**
 * The admin router in a minimal express app shaped like startApp's (helmet,
 * trust proxy, mounted at /admin/api), against a real database.
 */
interface AdminApp {
  url: string;
  admin: AdminRouter;
  logs: LogCapture;
  close(): Promise<void>;
}

const BOOTSTRAP_KEY = 'lhb_bootstrapTESTkey0123456789abcdefghijklmnopq';
const KEY_FORMAT = /^lhb_[A-Za-z0-9_-]{43}$/;

async function startAdminApp(connection: Connection, deps: Partial<AdminRouterDeps> = {}): Promise<AdminApp> {
  const logs = new LogCapture();
  const admin = createAdminRouter({ connection, logger: createLogger('info', logs), ...deps });
  await admin.ready;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(helmet());
  app.use(ADMIN_BASE_PATH, admin.router);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${ADMIN_BASE_PATH}`;
  return {
    url,
    admin,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // The tests read fields freely; shapes are asserted with expect.
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

async function call(
  base: string,
  method: string,
  path: string,
  opts: { key?: string; json?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'user-agent': 'admin-api-test/1.0', ...opts.headers };
  if (opts.key !== undefined) headers.authorization = `Bearer ${opts.key}`;
  let body: string | undefined;
  if (opts.json !== undefined) body = JSON.stringify(opts.json);
  if (opts.raw !== undefined) body = opts.raw;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let parsed: unknown = undefined;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: parsed };
}

let db: TestMongoose;
let app: AdminApp;
const api = (method: string, path: string, opts?: Parameters<typeof call>[3]) => call(app.url, method, path, opts);
/** Every plaintext key this file saw: none may appear in the audit collection or the logs. */
const plaintextKeys: string[] = [BOOTSTRAP_KEY];

async function createKey(key: string, body: Record<string, unknown>): Promise<{ key: string; id: string }> {
  const res = await api('POST', '/keys', { key, json: body });
  expect(res.status, res.text).toBe(201);
  plaintextKeys.push(res.body.key);
  return { key: res.body.key, id: res.body.record.id };
}

beforeAll(async () => {
  db = await connectTestMongoose();
  app = await startAdminApp(db.connection, { bootstrapKey: BOOTSTRAP_KEY });
});

afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('authentication', () => {
  it('answers 401 with a Bearer challenge when no key is sent', async () => {
    const res = await api('GET', '/me');
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ code: 'unauthorized' });
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('answers 401 for a wrong key and for a non-Bearer scheme', async () => {
    const wrong = await api('GET', '/me', { key: 'lhb_' + 'x'.repeat(43) });
    expect(wrong.status).toBe(401);
    expect(wrong.body.code).toBe('unauthorized');
    expect(wrong.headers.get('www-authenticate')).toContain('invalid_token');
    const basic = await api('GET', '/me', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } });
    expect(basic.status).toBe(401);
  });

  it('lets the bootstrap admin in and records when it was used', async () => {
    const res = await api('GET', '/me', { key: BOOTSTRAP_KEY });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'admin', province: null, label: 'bootstrap admin' });
    const stored = await staffKeyModel(db.connection).findById(res.body.keyId).lean();
    expect(stored?.lastUsedAt).toBeInstanceOf(Date);
    expect(stored?.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(BOOTSTRAP_KEY);
  });

  it('creates the bootstrap admin once: restarts with the same or another value do not add keys', async () => {
    const again = await startAdminApp(db.connection, { bootstrapKey: BOOTSTRAP_KEY });
    const other = await startAdminApp(db.connection, { bootstrapKey: 'lhb_another-value-0123456789abcdefghijklmnopqrstu' });
    await Promise.all([again.close(), other.close()]);
    const admins = await staffKeyModel(db.connection).find({ role: 'admin', createdBy: 'bootstrap' }).lean();
    expect(admins).toHaveLength(1);
    expect(await auditLogModel(db.connection).countDocuments({ action: 'staff_key.bootstrap' })).toBe(1);
    expect(again.logs.text()).toContain('"result":"admin_exists"');
    expect(again.logs.text()).not.toContain(BOOTSTRAP_KEY);
  });

  it('creates one bootstrap admin when two instances start at once', async () => {
    const fresh = await connectTestMongoose();
    try {
      const logger = createLogger('silent');
      const routers = [1, 2, 3].map(() => createAdminRouter({ connection: fresh.connection, logger, bootstrapKey: BOOTSTRAP_KEY }));
      await Promise.all(routers.map((r) => r.ready));
      expect(await staffKeyModel(fresh.connection).countDocuments({ role: 'admin' })).toBe(1);
    } finally {
      await fresh.drop();
    }
  });

  it('answers 401 once a key is revoked', async () => {
    const viewer = await createKey(BOOTSTRAP_KEY, { role: 'viewer', label: 'to be revoked' });
    expect((await api('GET', '/me', { key: viewer.key })).status).toBe(200);
    const revoked = await api('DELETE', `/keys/${viewer.id}`, { key: BOOTSTRAP_KEY });
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.record.revokedAt).toEqual(expect.any(String));
    const after = await api('GET', '/me', { key: viewer.key });
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('unauthorized');
  });
});

describe('roles and province scope', () => {
  it('lets an admin create a reviewer for province 08 that can read /me but not create keys', async () => {
    const res = await api('POST', '/keys', { key: BOOTSTRAP_KEY, json: { role: 'reviewer', province: '08', label: 'Phòng chế độ' } });
    expect(res.status, res.text).toBe(201);
    expect(res.body.key).toMatch(KEY_FORMAT);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.body.record).toMatchObject({ role: 'reviewer', province: '08', label: 'Phòng chế độ', revokedAt: null });
    expect(res.body.record.keyPrefix).toBe(res.body.key.slice(4, 12));
    expect(res.body.record).not.toHaveProperty('keyHash');
    plaintextKeys.push(res.body.key);

    const me = await api('GET', '/me', { key: res.body.key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ keyId: res.body.record.id, label: 'Phòng chế độ', role: 'reviewer', province: '08' });

    const denied = await api('POST', '/keys', { key: res.body.key, json: { role: 'admin', label: 'escalation' } });
    expect(denied.status).toBe(403);
    expect(denied.body.code).toBe('forbidden');
    expect((await api('GET', '/keys', { key: res.body.key })).status).toBe(403);
  });

  it('refuses every write to a viewer', async () => {
    const viewer = await createKey(BOOTSTRAP_KEY, { role: 'viewer', label: 'Xem số liệu' });
    const target = await createKey(BOOTSTRAP_KEY, { role: 'broadcaster', label: 'Thông báo' });
    const create = await api('POST', '/keys', { key: viewer.key, json: { role: 'viewer', label: 'x' } });
    const revoke = await api('DELETE', `/keys/${target.id}`, { key: viewer.key });
    expect([create.status, create.body.code]).toEqual([403, 'forbidden']);
    expect([revoke.status, revoke.body.code]).toEqual([403, 'forbidden']);
    expect((await api('GET', '/me', { key: target.key })).status).toBe(200);
  });

  it('keeps a province admin inside its province', async () => {
    const provinceAdmin = await createKey(BOOTSTRAP_KEY, { role: 'admin', province: '08', label: 'Quản trị tỉnh 08' });
    const otherProvince = await createKey(BOOTSTRAP_KEY, { role: 'viewer', province: '79', label: 'Tỉnh 79' });

    const own = await api('POST', '/keys', { key: provinceAdmin.key, json: { role: 'viewer', label: 'Không ghi tỉnh' } });
    expect(own.status).toBe(201);
    expect(own.body.record.province).toBe('08');
    plaintextKeys.push(own.body.key);

    const foreign = await api('POST', '/keys', { key: provinceAdmin.key, json: { role: 'viewer', province: '79', label: 'x' } });
    expect([foreign.status, foreign.body.code, foreign.body.field]).toEqual([403, 'forbidden', 'province']);

    const list = await api('GET', '/keys', { key: provinceAdmin.key });
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((k: { province: string }) => k.province === '08')).toBe(true);

    const revokeForeign = await api('DELETE', `/keys/${otherProvince.id}`, { key: provinceAdmin.key });
    expect([revokeForeign.status, revokeForeign.body.code]).toEqual([404, 'not_found']);
  });
});

describe('key management', () => {
  it('lists keys without secrets and filters by status', async () => {
    const res = await api('GET', '/keys?status=active', { key: BOOTSTRAP_KEY });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeGreaterThan(1);
    expect(res.body.items.every((k: { revokedAt: unknown }) => k.revokedAt === null)).toBe(true);
    for (const key of plaintextKeys) expect(res.text).not.toContain(key);
    expect(res.text).not.toContain('keyHash');
    const revoked = await api('GET', '/keys?status=revoked', { key: BOOTSTRAP_KEY });
    expect(revoked.body.items.length).toBeGreaterThan(0);
    expect(revoked.body.items.every((k: { revokedAt: unknown }) => typeof k.revokedAt === 'string')).toBe(true);
  });

  it('refuses to revoke the calling key, an already revoked key, an unknown id and a malformed id', async () => {
    const me = await api('GET', '/me', { key: BOOTSTRAP_KEY });
    const self = await api('DELETE', `/keys/${me.body.keyId}`, { key: BOOTSTRAP_KEY });
    expect([self.status, self.body.code]).toEqual([409, 'cannot_revoke_self']);

    const k = await createKey(BOOTSTRAP_KEY, { role: 'viewer', label: 'twice' });
    expect((await api('DELETE', `/keys/${k.id}`, { key: BOOTSTRAP_KEY })).status).toBe(200);
    const twice = await api('DELETE', `/keys/${k.id}`, { key: BOOTSTRAP_KEY });
    expect([twice.status, twice.body.code]).toEqual([409, 'already_revoked']);

    const unknown = await api('DELETE', '/keys/0123456789abcdef01234567', { key: BOOTSTRAP_KEY });
    expect([unknown.status, unknown.body.code]).toEqual([404, 'not_found']);

    const malformed = await api('DELETE', '/keys/not-an-id', { key: BOOTSTRAP_KEY });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'validation_failed', field: 'id' });
  });
});

describe('validation and errors', () => {
  it('rejects query operators with 400 naming the field', async () => {
    const limit = await api('GET', '/audit?limit[$gt]=1', { key: BOOTSTRAP_KEY });
    expect(limit.status).toBe(400);
    expect(limit.body).toMatchObject({ code: 'validation_failed', field: 'limit' });
    const status = await api('GET', '/keys?status[$ne]=x', { key: BOOTSTRAP_KEY });
    expect(status.status).toBe(400);
    expect(status.body).toMatchObject({ code: 'validation_failed', field: 'status' });
    const unknown = await api('GET', '/me?debug=1', { key: BOOTSTRAP_KEY });
    expect(unknown.body).toMatchObject({ code: 'validation_failed', field: 'debug' });
    const notNumber = await api('GET', '/audit?limit=lots', { key: BOOTSTRAP_KEY });
    expect(notNumber.body).toMatchObject({ code: 'validation_failed', field: 'limit' });
  });

  it('names the body field at fault, including operators and unknown fields', async () => {
    const cases: Array<[unknown, string]> = [
      [{ role: 'boss', label: 'x' }, 'role'],
      [{ role: 'viewer', label: '' }, 'label'],
      [{ role: 'viewer', label: 'x', province: '8' }, 'province'],
      [{ role: 'viewer', label: { $ne: null } }, 'label'],
      [{ role: 'viewer', label: 'x', keyHash: 'abc' }, 'keyHash'],
    ];
    for (const [json, field] of cases) {
      const res = await api('POST', '/keys', { key: BOOTSTRAP_KEY, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.body).toMatchObject({ code: 'validation_failed', field });
      expect(typeof res.body.message).toBe('string');
    }
  });

  it('answers malformed JSON, a missing body and unknown routes with JSON errors', async () => {
    const malformed = await api('POST', '/keys', { key: BOOTSTRAP_KEY, raw: '{"role": "viewer",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.code).toBe('malformed_json');
    const missing = await api('POST', '/keys', { key: BOOTSTRAP_KEY });
    expect([missing.status, missing.body.code]).toEqual([400, 'validation_failed']);
    const tooLarge = await api('POST', '/keys', { key: BOOTSTRAP_KEY, raw: JSON.stringify({ label: 'x'.repeat(1_100_000) }) });
    expect([tooLarge.status, tooLarge.body.code]).toEqual([413, 'too_large']);
    const nowhere = await api('GET', '/no/such/route', { key: BOOTSTRAP_KEY });
    expect(nowhere.status).toBe(404);
    expect(nowhere.headers.get('content-type')).toMatch(/application\/json/);
    expect(nowhere.body.code).toBe('not_found');
  });
});

describe('audit log', () => {
  it('records key creation and revocation with actor, address and no plaintext key', async () => {
    const created = await createKey(BOOTSTRAP_KEY, { role: 'broadcaster', province: '01', label: 'Phát thông báo Hà Nội' });
    await api('DELETE', `/keys/${created.id}`, { key: BOOTSTRAP_KEY });
    const me = await api('GET', '/me', { key: BOOTSTRAP_KEY });

    const res = await api('GET', `/audit?keyId=${me.body.keyId}&limit=200`, { key: BOOTSTRAP_KEY });
    expect(res.status, res.text).toBe(200);
    const forTarget = res.body.items.filter((e: { target: { id: string } }) => e.target.id === created.id);
    expect(forTarget.map((e: { action: string }) => e.action)).toEqual(['staff_key.revoke', 'staff_key.create']);
    for (const entry of forTarget) {
      expect(entry.actor).toEqual({ keyId: me.body.keyId, label: 'bootstrap admin', role: 'admin', province: null });
      expect(entry.target.type).toBe('staff_key');
      expect(entry.ip).toMatch(/127\.0\.0\.1$/);
      expect(entry.userAgent).toBe('admin-api-test/1.0');
      expect(entry.details).toEqual({ role: 'broadcaster', province: '01', label: 'Phát thông báo Hà Nội' });
    }

    const everything = JSON.stringify(await db.connection.collection('audit_log').find({}).toArray());
    for (const key of plaintextKeys) expect(everything).not.toContain(key);
    for (const key of plaintextKeys) expect(app.logs.text()).not.toContain(key);
  });

  it('records nothing for refused writes', async () => {
    const model = auditLogModel(db.connection);
    const before = await model.countDocuments({});
    await api('POST', '/keys', { key: BOOTSTRAP_KEY, json: { role: 'nobody', label: 'x' } });
    await api('DELETE', '/keys/0123456789abcdef01234567', { key: BOOTSTRAP_KEY });
    expect(await model.countDocuments({})).toBe(before);
  });

  it('pages with a cursor, filters by action, and rejects a forged cursor', async () => {
    const first = await api('GET', '/audit?action=staff_key.create&limit=2', { key: BOOTSTRAP_KEY });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api('GET', `/audit?action=staff_key.create&limit=2&cursor=${first.body.nextCursor}`, { key: BOOTSTRAP_KEY });
    expect(second.status).toBe(200);
    const ids = [...first.body.items, ...second.body.items].map((e: { id: string }) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    const all = [...first.body.items, ...second.body.items];
    expect(all.every((e: { action: string }) => e.action === 'staff_key.create')).toBe(true);
    const times = all.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const forged = await api('GET', '/audit?cursor=bm9wZQ', { key: BOOTSTRAP_KEY });
    expect(forged.body).toMatchObject({ code: 'validation_failed', field: 'cursor' });
    const viewer = await createKey(BOOTSTRAP_KEY, { role: 'viewer', label: 'no audit for me' });
    expect((await api('GET', '/audit', { key: viewer.key })).status).toBe(403);
  });

  it('refuses updates, replacements and deletes through the model', async () => {
    const model = auditLogModel(db.connection);
    const entry = await model.findOne({}).orFail();
    const before = await model.countDocuments({});
    const attempts: Array<() => Promise<unknown>> = [
      () => model.updateOne({ _id: entry._id }, { $set: { action: 'forged' } }).exec(),
      () => model.updateMany({}, { $set: { action: 'forged' } }).exec(),
      () => model.findOneAndUpdate({ _id: entry._id }, { $set: { action: 'forged' } }).exec(),
      () => model.findByIdAndUpdate(entry._id, { $set: { action: 'forged' } }).exec(),
      () => model.replaceOne({ _id: entry._id }, { action: 'forged', actor: entry.actor, target: entry.target }).exec(),
      () => model.findOneAndReplace({ _id: entry._id }, { action: 'forged', actor: entry.actor, target: entry.target }).exec(),
      () => model.deleteOne({ _id: entry._id }).exec(),
      () => model.deleteMany({}).exec(),
      () => model.findOneAndDelete({ _id: entry._id }).exec(),
      () => model.findByIdAndDelete(entry._id).exec(),
      () => model.bulkWrite([{ deleteOne: { filter: { _id: entry._id } } }]),
      () => entry.updateOne({ $set: { action: 'forged' } }).exec(),
      () => entry.deleteOne(),
      () => {
        entry.action = 'forged';
        return entry.save();
      },
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toThrow(/append-only/);
    }
    expect(await model.countDocuments({})).toBe(before);
    expect((await model.findById(entry._id).lean())?.action).not.toBe('forged');
    expect(await model.countDocuments({ action: 'forged' })).toBe(0);
  });
});

describe('documentation', () => {
  it('serves an OpenAPI 3.1 document without a key', async () => {
    const res = await api('GET', '/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    expect(res.body.servers).toEqual([{ url: ADMIN_BASE_PATH }]);
    expect(res.body.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    for (const path of ['/me', '/keys', '/keys/{id}', '/audit', '/openapi.json', '/docs']) {
      expect(res.body.paths, path).toHaveProperty([path]);
    }
    const create = res.body.paths['/keys'].post;
    expect(create['x-roles']).toEqual(['admin']);
    expect(create.requestBody.content['application/json'].schema.properties).toHaveProperty('role');
    expect(create.responses['201']).toBeDefined();
    expect(create.responses['400'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const auditParams = res.body.paths['/audit'].get.parameters.map((p: { name: string }) => p.name);
    expect(auditParams).toEqual(expect.arrayContaining(['from', 'to', 'action', 'keyId', 'limit', 'cursor']));
    expect(res.body.paths['/keys/{id}'].delete.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    const operationIds = Object.values(res.body.paths).flatMap((item) => Object.values(item as object).map((op: { operationId: string }) => op.operationId));
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it('documents every route the router serves, and nothing it does not', () => {
    const served = new Set<string>();
    for (const layer of app.admin.router.stack) {
      const route = (layer as { route?: { path: string; methods: Record<string, boolean> } }).route;
      if (!route) continue;
      for (const method of Object.keys(route.methods)) served.add(`${method} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    }
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(app.admin.openapi.paths)) {
      for (const method of Object.keys(item)) documented.add(`${method} ${path}`);
    }
    expect(served.size).toBeGreaterThanOrEqual(7);
    expect([...served].sort()).toEqual([...documented].sort());
  });

  it('renders a self-contained HTML page listing the endpoints', async () => {
    const res = await api('GET', '/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    for (const path of ['/admin/api/me', '/admin/api/keys', '/admin/api/keys/{id}', '/admin/api/audit']) {
      expect(res.text).toContain(`<code>${path}</code>`);
    }
    expect(res.text).toContain('roles: admin');
    expect(res.text).toContain('Create an API key');
    expect(res.text).not.toMatch(/<script|\sstyle=|https?:\/\/(?!json-schema)/i);
    expect(res.text).toContain('<link rel="stylesheet" href="/admin/api/docs.css">');
    const css = await api('GET', '/docs.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });
});

describe('extension modules', () => {
  const widgets: AdminRouteModule = {
    tag: { name: 'Widgets', description: 'A feature module added through extraRoutes.' },
    register(routes) {
      routes.write(
        {
          method: 'post',
          path: '/widgets/:code',
          summary: 'Make a widget',
          roles: ['broadcaster'],
          params: z.strictObject({ code: z.string().regex(/^[a-z]{3}$/) }),
          body: z.strictObject({ count: z.number().int().positive() }),
          response: { status: 201, description: 'The widget', schema: z.object({ code: z.string(), count: z.number() }) },
          audit: { action: 'widget.create', targetType: 'widget' },
        },
        async ({ params, body }) => ({ body: { code: params.code, count: body.count }, audit: { targetId: params.code, details: { count: body.count } } }),
      );
    },
  };

  it('mounts, documents, validates and audits a module route', async () => {
    const extended = await startAdminApp(db.connection, { extraRoutes: [widgets] });
    try {
      const broadcaster = await createKey(BOOTSTRAP_KEY, { role: 'broadcaster', label: 'Widget maker' });
      const viewer = await createKey(BOOTSTRAP_KEY, { role: 'viewer', label: 'Widget watcher' });
      const made = await call(extended.url, 'POST', '/widgets/abc', { key: broadcaster.key, json: { count: 3 } });
      expect([made.status, made.body]).toEqual([201, { code: 'abc', count: 3 }]);
      const badParam = await call(extended.url, 'POST', '/widgets/ABCD', { key: broadcaster.key, json: { count: 3 } });
      expect(badParam.body).toMatchObject({ code: 'validation_failed', field: 'code' });
      expect((await call(extended.url, 'POST', '/widgets/abc', { key: viewer.key, json: { count: 1 } })).status).toBe(403);
      const entry = await auditLogModel(db.connection).findOne({ action: 'widget.create' }).lean();
      expect(entry).toMatchObject({ target: { type: 'widget', id: 'abc' }, details: { count: 3 }, actor: { keyId: broadcaster.id, role: 'broadcaster' } });
      const doc = await call(extended.url, 'GET', '/openapi.json');
      expect(doc.body.paths['/widgets/{code}'].post['x-roles']).toEqual(['admin', 'broadcaster']);
      expect(doc.body.tags.map((t: { name: string }) => t.name)).toContain('Widgets');
    } finally {
      await extended.close();
    }
  });

  it('refuses a module whose params schema does not match its path', () => {
    const broken: AdminRouteModule = {
      tag: { name: 'Broken', description: 'x' },
      register(routes) {
        routes.read({ path: '/broken/:id', summary: 'x', roles: [], response: { description: 'x' } }, async () => ({}));
      },
    };
    expect(() => createAdminRouter({ connection: db.connection, logger: createLogger('silent'), extraRoutes: [broken] })).toThrow(/params schema/);
  });
});

describe('failed-attempt limiter', () => {
  it('answers 429 after 20 failed attempts from one address, even for a valid key', async () => {
    const limited = await startAdminApp(db.connection);
    try {
      for (let i = 0; i < 20; i++) {
        const res = await call(limited.url, 'GET', '/me', { key: `lhb_wrong-${i}` });
        expect(res.status).toBe(401);
      }
      const blocked = await call(limited.url, 'GET', '/me', { key: 'lhb_wrong-again' });
      expect(blocked.status).toBe(429);
      expect(blocked.body.code).toBe('too_many_attempts');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call(limited.url, 'GET', '/me', { key: BOOTSTRAP_KEY })).status).toBe(429);
      // Other instances keep their own count (documented: the limit is per instance).
      expect((await api('GET', '/me', { key: BOOTSTRAP_KEY })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
