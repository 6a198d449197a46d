import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { adminCall, createKey, importAndWait, IMPORTS_ADMIN_KEY, REGISTER_HEADER, registerRow } from '../support/imports-api.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: IMPORTS_ADMIN_KEY, SIMULATOR_ENABLED: 'false' });
});
afterAll(async () => {
  await app.stop();
});

type Item = Record<string, unknown>;
const items = (json: Record<string, unknown>) => json.items as Item[];

describe('GET /imports (recent imports)', () => {
  it('lists newest first without row errors, filters by kind, limits, and scopes by province', async () => {
    const hanoi = await createKey(app, 'reviewer', '01');
    const haiphong = await createKey(app, 'reviewer', '31');
    const viewer = await createKey(app, 'viewer');

    const first = await importAndWait(app, 'beneficiaries', [REGISTER_HEADER, registerRow(1), registerRow(2, '31')].join('\n'));
    const scoped = await importAndWait(app, 'beneficiaries', [REGISTER_HEADER, registerRow(3), registerRow(4, '31')].join('\n'), hanoi);
    const ledger = await importAndWait(app, 'ledger', 'bhxh_code,period,amount,method,status\n0100000001,2026-02,4350000,cash_post,paid\n9999999999,2026-02,1,cash_post,paid\n');
    expect(scoped).toMatchObject({ created: 1, failed: 1 });
    expect(ledger).toMatchObject({ created: 1, failed: 1 });

    const all = await adminCall(app, 'GET', '/imports', IMPORTS_ADMIN_KEY);
    expect(all.status, all.text).toBe(200);
    expect(items(all.json).map((i) => i.id)).toEqual([ledger.id, scoped.id, first.id]);
    expect(items(all.json)[0]).toMatchObject({ kind: 'ledger', status: 'done', total: 2, processed: 2, created: 1, failed: 1, province: null });
    expect(items(all.json)[0]).not.toHaveProperty('errors');

    const registers = await adminCall(app, 'GET', '/imports?kind=beneficiaries&limit=1', IMPORTS_ADMIN_KEY);
    expect(items(registers.json).map((i) => i.id)).toEqual([scoped.id]);

    // A scoped key lists exactly the imports it could open.
    expect(items((await adminCall(app, 'GET', '/imports', hanoi)).json).map((i) => i.id)).toEqual([scoped.id]);
    expect(items((await adminCall(app, 'GET', '/imports', haiphong)).json)).toEqual([]);

    expect((await adminCall(app, 'GET', '/imports', viewer)).status).toBe(403);
    const bad = await adminCall(app, 'GET', '/imports?limit=0', IMPORTS_ADMIN_KEY);
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('limit');
  });
});
