/**
 * Imports at size, on a database of their own: the other import tests keep a
 * small register, so their lookups do not read 10 000 records each on FerretDB.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { importAndWait, IMPORTS_ADMIN_KEY, REGISTER_HEADER, registerRow } from '../support/imports-api.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: IMPORTS_ADMIN_KEY, SIMULATOR_ENABLED: 'false' });
});
afterAll(async () => {
  await app.stop();
});

describe('beneficiary import: large files', () => {
  it('re-reads and writes only the changed rows when it reads the register in one pass', async () => {
    const file = (raised: number) =>
      `${REGISTER_HEADER}\n${Array.from({ length: 600 }, (_, i) => registerRow(20_000 + i).replace('"4.350.000"', i < raised ? '4400000' : '"4.350.000"')).join('\n')}\n`;
    expect(await importAndWait(app, 'beneficiaries', file(0))).toMatchObject({ status: 'done', created: 600, failed: 0 });
    // More changed rows than are read again one by one.
    const job = await importAndWait(app, 'beneficiaries', file(12));
    expect(job).toMatchObject({ status: 'done', total: 600, created: 0, updated: 12, unchanged: 588, failed: 0 });
    expect((await app.domain.beneficiaries.byBhxhCode('0100020011'))?.monthlyAmount).toBe(4_400_000);
    expect((await app.domain.beneficiaries.byBhxhCode('0100020012'))?.monthlyAmount).toBe(4_350_000);
  });

  // Three imports of 10 000 rows: about 10 s alone on FerretDB, three times that beside two other test files on 2 cores.
  // This test proves correctness at size; `npm run bench import` measures the speed.
  it('imports 10 000 rows with progress up to the total, and a re-import changes nothing', { timeout: 90_000 }, async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => registerRow(10_000 + i));
    const csv = `${REGISTER_HEADER}\n${rows.join('\n')}\n`;
    const first = await importAndWait(app, 'beneficiaries', csv);
    expect(first).toMatchObject({ status: 'done', total: 10_000, processed: 10_000, created: 10_000, updated: 0, unchanged: 0, failed: 0 });
    const before = await app.domain.beneficiaries.byBhxhCode('0100010000');

    const again = await importAndWait(app, 'beneficiaries', csv);
    expect(again).toMatchObject({ status: 'done', total: 10_000, processed: 10_000, created: 0, updated: 0, unchanged: 10_000, failed: 0 });
    const after = await app.domain.beneficiaries.byBhxhCode('0100010000');
    expect(after!.updatedAt).toEqual(before!.updatedAt);

    // One changed row is the only write.
    const changed = csv.replace(`${registerRow(10_005)}`, registerRow(10_005).replace('"4.350.000"', '4400000'));
    const third = await importAndWait(app, 'beneficiaries', changed);
    expect(third).toMatchObject({ created: 0, updated: 1, unchanged: 9_999 });
  });

  it('imports the valid rows of a large file that is mostly refused', async () => {
    // 20 codes against a register of over 10 000 records (after the test above): the one pass gives up, batches query.
    const refused = Array.from({ length: 500 }, (_, i) => registerRow(30_100 + i).replace(/^01\d{8}/, '12'));
    const valid = Array.from({ length: 20 }, (_, i) => registerRow(30_000 + i));
    const job = await importAndWait(app, 'beneficiaries', `${REGISTER_HEADER}\n${[...refused, ...valid].join('\n')}\n`);
    expect(job).toMatchObject({ status: 'done', total: 520, created: 20, updated: 0, failed: 500 });
    expect(await app.domain.beneficiaries.byBhxhCode('0100030019')).toMatchObject({ fullName: 'Nguyễn Văn Thử 30019' });
  });
});
