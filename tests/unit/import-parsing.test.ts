import { describe, expect, it } from 'vitest';
import { parseBeneficiaryRow } from '../../src/domain/import/beneficiary-row.js';
import { csvLine, decodeCsv, parseCsv } from '../../src/domain/import/csv.js';
import { maskDestination } from '../../src/domain/import/ledger-row.js';

const NOW = new Date('2026-03-15T00:00:00Z');

describe('CSV reading', () => {
  it('parses quoted commas, doubled quotes, line breaks, CRLF and blank lines', () => {
    const parsed = parseCsv('A,B\r\n"x, y","say ""hi"""\r\n\r\n"line\nbreak",\n');
    expect(parsed).toEqual({ ok: true, value: { header: ['a', 'b'], records: [['x, y', 'say "hi"'], ['line\nbreak', '']] } });
  });

  it('reads a semicolon-delimited file by its header, keeping ; inside fields', () => {
    expect(parseCsv('a;b\n1;"0912345678;0987654321"')).toEqual({ ok: true, value: { header: ['a', 'b'], records: [['1', '0912345678;0987654321']] } });
  });

  it('refuses an unterminated quote', () => {
    expect(parseCsv('a,b\n"open,1\n')).toEqual({ ok: false, reason: 'unterminated_quote' });
  });

  it('accepts UTF-8 with a BOM and refuses Windows-1252 bytes', () => {
    expect(decodeCsv(Buffer.from('\uFEFFtên', 'utf8'))).toEqual({ ok: true, value: 'tên' });
    expect(decodeCsv(Buffer.from('t\xEAn', 'latin1'))).toEqual({ ok: false, reason: 'bad_encoding' });
    expect(decodeCsv('leniently decoded \uFFFD')).toEqual({ ok: false, reason: 'bad_encoding' });
  });

  it('quotes output fields and defuses spreadsheet formulas', () => {
    expect(csvLine([3, 'a,b', '=SUM(A1)'])).toBe(`3,"a,b",'=SUM(A1)\r\n`);
  });
});

describe('register rows', () => {
  const base = {
    bhxh_code: '0101234567',
    cccd: '001052012345',
    full_name: ' Nguyễn  Văn An ',
    date_of_birth: '5/3/1952',
    gender: 'Nam',
    phones: '0912 345 678; 01689123456',
    province_code: '01',
    benefit_type: 'Hưu trí',
    monthly_amount: '4.350.000',
    payment_method: 'buu dien',
  };

  it('canonicalises aliases, phones, amounts and dates', () => {
    const parsed = parseBeneficiaryRow(base, NOW);
    expect(parsed).toEqual({
      ok: true,
      value: expect.objectContaining({
        fullName: 'Nguyễn Văn An',
        birthDate: '1952-03-05',
        gender: 'male',
        phones: ['0912345678', '0389123456'],
        benefitType: 'pension',
        monthlyAmount: 4_350_000,
        paymentMethod: { kind: 'cash_post' },
      }),
    });
  });

  it('lists every refused cell', () => {
    const parsed = parseBeneficiaryRow({ ...base, cccd: '001053012345', gender: 'x', province_code: '1', payment_method: 'bank' }, NOW);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => `${e.column}:${e.code}`)).toEqual(['cccd:cccd_birth_year_mismatch', 'gender:invalid_gender', 'province_code:invalid_province_code', 'bank_bin:missing_account']);
  });
});

describe('ledger destinations', () => {
  it('keeps only the last four digits', () => {
    expect(maskDestination('1500205123456')).toBe('*********3456');
    expect(maskDestination('Agribank ****3456')).toBe('Agribank ****3456');
    expect(maskDestination('Bưu điện Hoàn Kiếm')).toBe('Bưu điện Hoàn Kiếm');
  });
});
