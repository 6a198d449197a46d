import { describe, expect, it } from 'vitest';
import { cccdAgreesWithBirthDate, cccdProvinceName, parseCccd } from '../../../src/domain/validators/cccd.js';

const NOW = new Date('2026-11-23T03:00:00Z');

describe('parseCccd', () => {
  it('reads province, gender and birth year of a man born in Hà Nội in 1952', () => {
    expect(parseCccd('001052012345', NOW)).toEqual({
      ok: true,
      value: { value: '001052012345', provinceCode: '001', gender: 'male', birthYear: 1952 },
    });
  });

  it('reads century digit 1 as a woman born in the 1900s', () => {
    const parsed = parseCccd('079148000123', NOW);
    expect(parsed.ok && parsed.value).toMatchObject({ provinceCode: '079', gender: 'female', birthYear: 1948 });
  });

  it('reads century digit 2 as a man born in the 2000s (2001)', () => {
    const parsed = parseCccd('001201012345', NOW);
    expect(parsed.ok && parsed.value).toMatchObject({ gender: 'male', birthYear: 2001 });
  });

  it('reads century digit 3 as a woman born in the 2000s', () => {
    const parsed = parseCccd('096305000001', NOW);
    expect(parsed.ok && parsed.value).toMatchObject({ provinceCode: '096', gender: 'female', birthYear: 2005 });
  });

  it('accepts spaces, dots and dashes typed between digits', () => {
    for (const typed of ['001 052 012345', '001.052.012.345', ' 0010 5201 2345 ', '001-052-012345']) {
      const parsed = parseCccd(typed, NOW);
      expect(parsed.ok && parsed.value.value, typed).toBe('001052012345');
    }
  });

  it('accepts full-width digits from some phone keyboards', () => {
    const parsed = parseCccd('００１０５２０１２３４５', NOW);
    expect(parsed.ok && parsed.value.value).toBe('001052012345');
  });

  it('refuses a prefix that is not a province code', () => {
    for (const prefix of ['000', '003', '005', '013', '050', '097', '099', '100', '999']) {
      expect(parseCccd(`${prefix}052012345`, NOW), prefix).toEqual({ ok: false, reason: 'province' });
    }
  });

  it('accepts exactly the 63 official province codes, all between 001 and 096', () => {
    const accepted: string[] = [];
    for (let code = 0; code < 1000; code++) {
      const prefix = String(code).padStart(3, '0');
      if (parseCccd(`${prefix}052012345`, NOW).ok) accepted.push(prefix);
    }
    expect(accepted).toHaveLength(63);
    expect(accepted[0]).toBe('001');
    expect(accepted.at(-1)).toBe('096');
    expect(accepted).toEqual(expect.arrayContaining(['002', '004', '031', '046', '048', '079', '092']));
    expect(cccdProvinceName('001')).toBe('Hà Nội');
    expect(cccdProvinceName('096')).toBe('Cà Mau');
    expect(cccdProvinceName('003')).toBeUndefined();
  });

  it('refuses a century digit for a century not yet begun', () => {
    expect(parseCccd('001452012345', NOW)).toEqual({ ok: false, reason: 'century' });
    expect(parseCccd('001952012345', NOW)).toEqual({ ok: false, reason: 'century' });
  });

  it('accepts the 2100s once they have begun', () => {
    const parsed = parseCccd('001501012345', new Date('2101-06-01T00:00:00Z'));
    expect(parsed.ok && parsed.value).toMatchObject({ gender: 'female', birthYear: 2101 });
  });

  it('refuses a birth year after this year', () => {
    expect(parseCccd('001230012345', NOW)).toEqual({ ok: false, reason: 'future' });
    expect(parseCccd('001226012345', NOW).ok).toBe(true);
  });

  it('tells an old 9-digit CMND from a mistyped CCCD', () => {
    expect(parseCccd('012345678', NOW)).toEqual({ ok: false, reason: 'old-id' });
    expect(parseCccd('00105201234', NOW)).toEqual({ ok: false, reason: 'length' });
    expect(parseCccd('0010520123456', NOW)).toEqual({ ok: false, reason: 'length' });
  });

  it('refuses letters, symbols and empty input with their own reasons', () => {
    expect(parseCccd('00105201234O', NOW)).toEqual({ ok: false, reason: 'letters' });
    expect(parseCccd('001052#12345', NOW)).toEqual({ ok: false, reason: 'format' });
    expect(parseCccd('   ', NOW)).toEqual({ ok: false, reason: 'empty' });
  });
});

describe('cccdAgreesWithBirthDate', () => {
  it('agrees when the birth-year digits match the date of birth', () => {
    expect(cccdAgreesWithBirthDate('001052012345', { year: 1952 })).toBe(true);
    expect(cccdAgreesWithBirthDate('001 201 012345', { year: 2001 })).toBe(true);
  });

  it('disagrees when the birth-year digits differ from the date of birth', () => {
    expect(cccdAgreesWithBirthDate('001052012345', { year: 1953 })).toBe(false);
    // Same last two digits, wrong century: 2052 is not 1952.
    expect(cccdAgreesWithBirthDate('001252012345', { year: 1952 })).toBe(false);
  });

  it('accepts an already parsed CCCD', () => {
    const parsed = parseCccd('001148012345', NOW);
    if (!parsed.ok) throw new Error('fixture should parse');
    expect(cccdAgreesWithBirthDate(parsed.value, { year: 1948 })).toBe(true);
    expect(cccdAgreesWithBirthDate(parsed.value, { year: 1949 })).toBe(false);
  });

  it('never agrees for an invalid CCCD', () => {
    expect(cccdAgreesWithBirthDate('003052012345', { year: 1952 })).toBe(false);
    expect(cccdAgreesWithBirthDate('', { year: 1952 })).toBe(false);
  });
});
