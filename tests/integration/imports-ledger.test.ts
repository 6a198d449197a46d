import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { adminCall, createKey, importAndWait, IMPORTS_ADMIN_KEY } from '../support/imports-api.js';
import { PERSONAS, seedPersonas } from '../support/personas.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: IMPORTS_ADMIN_KEY, SIMULATOR_ENABLED: 'false' });
  await seedPersonas(app.domain);
});
afterAll(async () => {
  await app.stop();
});

const HEADER = 'bhxh_code,period,amount,method,status,date,destination';
const payments = (code: string) => app.domain.beneficiaries.byBhxhCode(code).then((b) => app.connection.collection('payments').find({ beneficiaryId: b!._id }).sort({ period: 1 }).toArray());

describe('ledger import', () => {
  it('is idempotent per beneficiary and period, masks full account numbers, and refuses unknown BHXH codes', async () => {
    const csv = [
      HEADER,
      `${PERSONAS.binh.bhxhCode},2026-01,"5.120.000",bank,paid,05/01/2026,970405 1500205123456`,
      `${PERSONAS.binh.bhxhCode},2026-02,5120000,bank,scheduled,05/02/2026,****3456`,
      `${PERSONAS.an.bhxhCode},2026-02,4350000,cash_post,awaiting_cash_pickup,,`,
      '9999999999,2026-02,4350000,cash_post,paid,,',
      `${PERSONAS.an.bhxhCode},2026-13,4350000,cash_post,paid,,`,
      `${PERSONAS.an.bhxhCode},2026-02,4350000,cash_post,paid,,`,
    ].join('\n');
    const first = await importAndWait(app, 'ledger', csv);
    expect(first).toMatchObject({ status: 'done', total: 6, created: 3, updated: 0, unchanged: 0, failed: 3 });
    expect(first.errors).toEqual([
      expect.objectContaining({ row: 5, column: 'bhxh_code', code: 'unknown_beneficiary' }),
      expect.objectContaining({ row: 6, column: 'period', code: 'invalid_period' }),
      expect.objectContaining({ row: 7, column: 'bhxh_code', code: 'duplicate_in_file' }),
    ]);
    const rows = await payments(PERSONAS.binh.bhxhCode);
    expect(rows.map((r) => [r.period, r.status, r.amount, r.date, r.destinationMasked])).toEqual([
      ['2026-01', 'paid', 5_120_000, '2026-01-05', '****** *********3456'],
      ['2026-02', 'scheduled', 5_120_000, '2026-02-05', '****3456'],
    ]);
    expect(JSON.stringify(rows)).not.toContain('1500205123456');

    const again = await importAndWait(app, 'ledger', csv);
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 3 });

    // The scheduled payment went through: one update, still one row per period.
    const paid = csv.replace('bank,scheduled,05/02/2026', 'bank,paid,06/02/2026');
    expect(await importAndWait(app, 'ledger', paid)).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    const after = await payments(PERSONAS.binh.bhxhCode);
    expect(after).toHaveLength(2);
    expect(after[1]).toMatchObject({ status: 'paid', date: '2026-02-06' });
  });

  it('takes JSON rows, and a scoped key cannot write ledger rows of another province', async () => {
    const haiphong = await createKey(app, 'reviewer', '31');
    const job = await importAndWait(
      app,
      'ledger',
      {
        rows: [
          { bhxh_code: PERSONAS.cuong.bhxhCode, period: '2026-02', amount: 3_800_000, method: 'cash_home', status: 'paid', date: '10/02/2026' },
          { bhxh_code: PERSONAS.an.bhxhCode, period: '2026-03', amount: 4_350_000, method: 'cash_post', status: 'paid' },
        ],
      },
      haiphong,
    );
    expect(job).toMatchObject({ created: 1, failed: 1 });
    expect(job.errors).toEqual([expect.objectContaining({ row: 2, code: 'unknown_beneficiary' })]);
    expect((await payments(PERSONAS.an.bhxhCode)).map((r) => r.period)).not.toContain('2026-03');
  });

  it('reports an import interrupted by a restart as failed, leaving finished ones alone', async () => {
    const jobs = app.connection.collection('import_jobs');
    const old = new Date(Date.now() - 3600_000);
    const { insertedId: stalled } = await jobs.insertOne({ kind: 'ledger', status: 'running', province: null, startedBy: 'k', firstErrors: [], total: 10, processed: 4, created: 4, updated: 0, unchanged: 0, failed: 0, createdAt: old, updatedAt: old });
    const { insertedId: finished } = await jobs.insertOne({ kind: 'ledger', status: 'done', province: null, startedBy: 'k', firstErrors: [], total: 1, processed: 1, created: 1, updated: 0, unchanged: 0, failed: 0, createdAt: old, updatedAt: old });
    expect(await app.domain.imports.failStalled(new Date())).toBe(1);
    const view = await adminCall(app, 'GET', `/imports/${String(stalled)}`, IMPORTS_ADMIN_KEY);
    expect(view.json).toMatchObject({ status: 'failed', processed: 4 });
    expect(String(view.json.failure)).toContain('re-import');
    expect((await jobs.findOne({ _id: finished }))?.status).toBe('done');
  });

  it('answers 404 for an unknown job and refuses a viewer', async () => {
    expect((await adminCall(app, 'GET', '/imports/0123456789abcdef01234567', IMPORTS_ADMIN_KEY)).status).toBe(404);
    const viewer = await createKey(app, 'viewer');
    expect((await adminCall(app, 'POST', '/imports/ledger', viewer, `${HEADER}\n`)).status).toBe(403);
    expect((await adminCall(app, 'GET', '/imports/0123456789abcdef01234567', viewer)).status).toBe(403);
  });
});
