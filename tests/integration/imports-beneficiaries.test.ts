import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { testMongoUri } from '../support/db.js';
import { adminCall, createKey, importAndWait, IMPORTS_ADMIN_KEY, REGISTER_HEADER, registerRow, waitForJob } from '../support/imports-api.js';
import { PERSONAS } from '../support/personas.js';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ MONGODB_URI: testMongoUri(), ADMIN_BOOTSTRAP_KEY: IMPORTS_ADMIN_KEY, SIMULATOR_ENABLED: 'false' });
});
afterAll(async () => {
  await app.stop();
});

describe('beneficiary import: whole-file refusals', () => {
  it('refuses wrong and missing header columns, naming them', async () => {
    const csv = 'bhxh_code,full_name,birthday,gender,province_code,benefit_type,monthly_amount,payment_method\n0100000001,A,05/03/1950,nam,01,pension,1000000,cash_post\n';
    const res = await adminCall(app, 'POST', '/imports/beneficiaries', IMPORTS_ADMIN_KEY, csv);
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('bad_columns');
    expect(res.json.message).toContain('missing columns: date_of_birth');
    expect(res.json.message).toContain('unknown columns: birthday');
  });

  it('refuses a Windows-1252 file as bad_encoding instead of importing mojibake', async () => {
    // "Nguyễn" cannot be written in 1252; "Lê Thị Hà" can: é/ê/à as single bytes are invalid UTF-8.
    const latin = `${REGISTER_HEADER}\n0100000009,,L\xEA Th\xEF H\xE0,05/03/1950,nu,,01,,,pension,1000000,cash_post,,,\n`;
    const res = await adminCall(app, 'POST', '/imports/beneficiaries', IMPORTS_ADMIN_KEY, Buffer.from(latin, 'latin1'));
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('bad_encoding');
    expect(await app.domain.beneficiaries.byBhxhCode('0100000009')).toBeNull();
  });
});

describe('beneficiary import: rows', () => {
  it('imports quoted fields with commas and newlines, refuses bad rows with row, column and reason, and serves errors.csv', async () => {
    const csv = [
      `\uFEFF${REGISTER_HEADER}`,
      // Row 2: name with a comma inside quotes, two phones, Vietnamese aliases, amount with dots.
      '0100000101,001052000101,"Nguyễn Văn An, con",05/03/1952,Nam,"0912345678; +84 389 123 456",01,001,00001,hưu trí,"4.350.000",bank,970436,"1234 5678 9012",NGUYEN VAN AN',
      // Row 3: a quoted field holding a line break (note field).
      '0100000102,,"Trần Thị\nBình",20/11/1955,nu,,01,,,tro cap hang thang,5120000,cash_home,,,',
      // Row 4: CCCD birth year 1953 against a 1952 date of birth; bad phone.
      '0100000103,001053000103,Lê Văn Cường,05/03/1952,male,0123,01,,,pension,3800000,cash_post,,,',
      // Row 5: the same BHXH code as row 2.
      '0100000101,,Nguyễn Văn An,05/03/1952,nam,,01,,,pension,4350000,cash_post,,,',
      // Row 6: unknown benefit type, bank without an account.
      '0100000106,,Phạm Thị Dung,01/01/1950,nu,,01,,,pension plus,4000000,bank,970436,,',
    ].join('\r\n');
    const job = await importAndWait(app, 'beneficiaries', csv);
    expect(job).toMatchObject({ status: 'done', total: 5, processed: 5, created: 2, updated: 0, unchanged: 0, failed: 3 });
    const errors = job.errors as { row: number; column: string; code: string; messageVi: string; messageEn: string }[];
    expect(errors).toContainEqual(expect.objectContaining({ row: 4, column: 'cccd', code: 'cccd_birth_year_mismatch' }));
    expect(errors).toContainEqual(expect.objectContaining({ row: 4, column: 'phones', code: 'invalid_phone' }));
    expect(errors).toContainEqual(expect.objectContaining({ row: 5, column: 'bhxh_code', code: 'duplicate_in_file', messageEn: 'Duplicate in file, first seen at row 2.' }));
    expect(errors).toContainEqual(expect.objectContaining({ row: 6, column: 'benefit_type', code: 'invalid_benefit_type' }));
    expect(errors).toContainEqual(expect.objectContaining({ row: 6, column: 'account_number', code: 'missing_account' }));
    expect(errors.find((e) => e.row === 5)?.messageVi).toContain('đã có ở dòng 2');

    const an = await app.domain.beneficiaries.byBhxhCode('0100000101');
    expect(an).toMatchObject({ fullName: 'Nguyễn Văn An, con', birthDate: '1952-03-05', gender: 'male', benefitType: 'pension', monthlyAmount: 4_350_000 });
    expect(an!.paymentMethod).toMatchObject({ kind: 'bank', bankBin: '970436', accountMasked: '********9012', holderName: 'NGUYEN VAN AN' });
    expect(app.domain.beneficiaries.hasPhone(an!, '0389123456')).toBe(true);
    // Encrypted at rest: the CCCD and account are nowhere in clear.
    expect(JSON.stringify(an)).not.toContain('001052000101');
    expect(JSON.stringify(an)).not.toContain('123456789012');
    const binh = await app.domain.beneficiaries.byBhxhCode('0100000102');
    expect(binh).toMatchObject({ fullName: 'Trần Thị Bình', benefitType: 'monthly_allowance' });

    const download = await adminCall(app, 'GET', `/imports/${job.id as string}/errors.csv`, IMPORTS_ADMIN_KEY);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toContain('text/csv');
    const lines = download.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row,column,code,message_vi,message_en');
    expect(lines).toHaveLength(1 + errors.length);
    expect(lines).toContain('5,bhxh_code,duplicate_in_file,"Mã số BHXH bị trùng trong tệp, đã có ở dòng 2.","Duplicate in file, first seen at row 2."');
  });

  it('imports JSON rows with the same columns', async () => {
    const job = await importAndWait(app, 'beneficiaries', {
      rows: [
        { bhxh_code: '0100000201', cccd: '001150000201', full_name: 'Đỗ Thị Hoa', date_of_birth: '12/12/1950', gender: 'female', phones: ['0987000201'], province_code: '01', benefit_type: 'pension', monthly_amount: 3_900_000, payment_method: 'cash_post' },
        { bhxh_code: '12', full_name: 'X', date_of_birth: '1/1/1950', gender: 'nam', province_code: '01', benefit_type: 'pension', monthly_amount: '1000000', payment_method: 'cash_post' },
      ],
    });
    expect(job).toMatchObject({ status: 'done', total: 2, created: 1, failed: 1 });
    expect(job.errors).toEqual([expect.objectContaining({ row: 2, column: 'bhxh_code', code: 'invalid_bhxh_code' })]);
    expect(await app.domain.beneficiaries.byBhxhCode('0100000201')).toMatchObject({ fullName: 'Đỗ Thị Hoa', gender: 'female' });
  });
});

describe('beneficiary import: roles and province scope', () => {
  it('lets a reviewer import, refuses viewers and broadcasters', async () => {
    const csv = `${REGISTER_HEADER}\n${registerRow(300)}\n`;
    for (const role of ['viewer', 'broadcaster']) {
      const res = await adminCall(app, 'POST', '/imports/beneficiaries', await createKey(app, role), csv);
      expect(res.status).toBe(403);
      expect(res.json.code).toBe('forbidden');
    }
    const reviewer = await createKey(app, 'reviewer');
    expect(await importAndWait(app, 'beneficiaries', csv, reviewer)).toMatchObject({ status: 'done', created: 1 });
  });

  it("turns a scoped key's rows of another province into row errors, and hides its jobs from other provinces", async () => {
    const hanoi = await createKey(app, 'reviewer', '01');
    const csv = `${REGISTER_HEADER}\n${registerRow(400, '01')}\n${registerRow(401, '31')}\n`;
    const job = await importAndWait(app, 'beneficiaries', csv, hanoi);
    expect(job).toMatchObject({ created: 1, failed: 1, province: '01' });
    expect(job.errors).toEqual([expect.objectContaining({ row: 3, column: 'province_code', code: 'out_of_scope' })]);
    expect(await app.domain.beneficiaries.byBhxhCode('3100000401')).toBeNull();

    const haiphong = await createKey(app, 'reviewer', '31');
    expect((await adminCall(app, 'GET', `/imports/${job.id as string}`, haiphong)).status).toBe(404);
    expect((await adminCall(app, 'GET', `/imports/${job.id as string}/errors.csv`, haiphong)).status).toBe(404);
    expect((await waitForJob(app, job.id as string, hanoi)).id).toBe(job.id);
  });

  it("never lets a scoped key overwrite or move another province's record", async () => {
    await importAndWait(app, 'beneficiaries', `${REGISTER_HEADER}\n${registerRow(410, '01')}\n`);
    const before = await app.domain.beneficiaries.byBhxhCode('0100000410');
    // Same BHXH code, rewritten as a Hải Phòng row with another phone, by a Hải Phòng key.
    const hijack = registerRow(410, '01').replace(/^01/, '01').replace(',01,001,', ',31,001,').replace('0900000410', '0911111111');
    const job = await importAndWait(app, 'beneficiaries', `${REGISTER_HEADER}\n${hijack}\n`, await createKey(app, 'reviewer', '31'));
    expect(job).toMatchObject({ failed: 1, updated: 0, created: 0 });
    expect(job.errors).toEqual([expect.objectContaining({ row: 2, column: 'bhxh_code', code: 'out_of_scope' })]);
    const after = await app.domain.beneficiaries.byBhxhCode('0100000410');
    expect(after?.provinceCode).toBe('01');
    expect(after?.phoneIndexes).toEqual(before?.phoneIndexes);
  });

  it('does not revert a payment method changed through the bot when an older export is re-imported', async () => {
    await importAndWait(app, 'beneficiaries', `${REGISTER_HEADER}\n${registerRow(420)}\n`);
    const model = app.connection.model('Beneficiary');
    await model.updateOne({ bhxhCode: '0100000420' }, { $set: { 'paymentMethod.kind': 'bank', 'paymentMethod.bankBin': '970436', lastMethodChangeAt: new Date() } });
    // The office's file still says cash, and the name changed: the name lands, the method stays.
    const renamed = registerRow(420).replace('Nguyễn Văn Thử 420', 'Nguyễn Văn Thử Bốn Hai Mươi');
    const job = await importAndWait(app, 'beneficiaries', `${REGISTER_HEADER}\n${renamed}\n`);
    expect(job).toMatchObject({ updated: 1, failed: 0 });
    const after = await app.domain.beneficiaries.byBhxhCode('0100000420');
    expect(after?.fullName).toBe('Nguyễn Văn Thử Bốn Hai Mươi');
    expect(after?.paymentMethod).toMatchObject({ kind: 'bank', bankBin: '970436' });
  });

  it('re-imports a row written meanwhile by other means: its stored hash no longer counts it unchanged', async () => {
    await importAndWait(app, 'beneficiaries', `${REGISTER_HEADER}\n${registerRow(430)}\n`);
    const stored = await app.domain.beneficiaries.byBhxhCode('0100000430');
    // Written without an import hash (the seeding path): the name differs from the file now.
    await app.domain.beneficiaries.upsert({ ...PERSONAS.an, bhxhCode: '0100000430', provinceCode: stored!.provinceCode });
    const job = await importAndWait(app, 'beneficiaries', `${REGISTER_HEADER}\n${registerRow(430)}\n`);
    expect(job).toMatchObject({ updated: 1, unchanged: 0, failed: 0 });
    expect((await app.domain.beneficiaries.byBhxhCode('0100000430'))?.fullName).toBe('Nguyễn Văn Thử 430');
  });

  it('records the import in the audit log', async () => {
    const audit = await adminCall(app, 'GET', '/audit?action=import.beneficiaries', IMPORTS_ADMIN_KEY);
    expect(audit.status).toBe(200);
    expect((audit.json.items as unknown[]).length).toBeGreaterThan(0);
  });
});
