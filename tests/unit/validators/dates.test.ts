import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  formatDate,
  formatPeriod,
  parseDate,
  parsePeriod,
  vietnamToday,
} from '../../../src/domain/validators/dates.js';

/** 23/11/2026 10:00 in Vietnam. */
const NOW = new Date('2026-11-23T03:00:00Z');
const MARCH_5_1952 = { ok: true, value: { year: 1952, month: 3, day: 5 } };

describe('parseDate', () => {
  it.each(['05/03/1952', '5/3/1952', '5-3-1952', '5.3.1952', '05 03 1952', ' 05 / 03 / 1952 ', '05031952'])(
    'reads %s day first',
    (typed) => {
      expect(parseDate(typed, NOW)).toEqual(MARCH_5_1952);
    },
  );

  it('reads a date written in words, with or without diacritics', () => {
    expect(parseDate('ngày 5 tháng 3 năm 1952', NOW)).toEqual(MARCH_5_1952);
    expect(parseDate('Ngay 05 thang 03 nam 1952', NOW)).toEqual(MARCH_5_1952);
  });

  it('refuses two-digit years, which are ambiguous for people born 1925-1960', () => {
    expect(parseDate('5/3/52', NOW)).toEqual({ ok: false, reason: 'year' });
    expect(parseDate('05.03.25', NOW)).toEqual({ ok: false, reason: 'year' });
    expect(parseDate('5/3/952', NOW)).toEqual({ ok: false, reason: 'year' });
  });

  it('refuses dates that do not exist', () => {
    expect(parseDate('31/02/1950', NOW)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('31/04/1950', NOW)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('29/02/1951', NOW)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('29/02/1900', NOW)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('00/03/1952', NOW)).toEqual({ ok: false, reason: 'impossible' });
    expect(parseDate('32/01/1952', NOW)).toEqual({ ok: false, reason: 'impossible' });
  });

  it('refuses month-first dates that cannot be day-first', () => {
    expect(parseDate('3/25/1952', NOW)).toEqual({ ok: false, reason: 'impossible' });
  });

  it('accepts leap days in leap years', () => {
    expect(parseDate('29/02/1952', NOW)).toEqual({ ok: true, value: { year: 1952, month: 2, day: 29 } });
    expect(parseDate('29/02/2000', NOW)).toEqual({ ok: true, value: { year: 2000, month: 2, day: 29 } });
  });

  it('refuses dates after today in Vietnam, and accepts today', () => {
    expect(parseDate('24/11/2026', NOW)).toEqual({ ok: false, reason: 'future' });
    expect(parseDate('23/11/2026', NOW).ok).toBe(true);
  });

  it('uses the date in Vietnam, not the server’s: 18:00 UTC is already tomorrow there', () => {
    const lateUtc = new Date('2026-11-22T18:00:00Z');
    expect(vietnamToday(lateUtc)).toEqual({ year: 2026, month: 11, day: 23 });
    expect(parseDate('23/11/2026', lateUtc).ok).toBe(true);
  });

  it('refuses ages over 120, and accepts 120 until the 121st birthday', () => {
    expect(parseDate('24/11/1905', NOW).ok).toBe(true);
    expect(parseDate('23/11/1905', NOW)).toEqual({ ok: false, reason: 'too-old' });
    expect(parseDate('01/01/1900', NOW)).toEqual({ ok: false, reason: 'too-old' });
  });

  it('refuses text that is not a date', () => {
    expect(parseDate('', NOW)).toEqual({ ok: false, reason: 'empty' });
    expect(parseDate('năm', NOW)).toEqual({ ok: false, reason: 'empty' });
    expect(parseDate('hôm qua', NOW)).toEqual({ ok: false, reason: 'format' });
    expect(parseDate('1952', NOW)).toEqual({ ok: false, reason: 'format' });
    expect(parseDate('5/3', NOW)).toEqual({ ok: false, reason: 'format' });
  });

  it('round-trips every real date through formatDate', () => {
    const date = fc
      .date({ min: new Date('1907-01-01T00:00:00Z'), max: new Date('2026-11-22T00:00:00Z'), noInvalidDate: true })
      .map((d) => ({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() }));
    fc.assert(
      fc.property(date, (d) => {
        expect(parseDate(formatDate(d), NOW)).toEqual({ ok: true, value: d });
      }),
    );
  });
});

describe('formatDate', () => {
  it('writes dd/mm/yyyy with leading zeros', () => {
    expect(formatDate({ year: 1952, month: 3, day: 5 })).toBe('05/03/1952');
    expect(formatDate({ year: 1948, month: 12, day: 31 })).toBe('31/12/1948');
  });
});

describe('ageOn', () => {
  it('counts whole years, turning a year older on the birthday', () => {
    const birth = { year: 1952, month: 3, day: 5 };
    expect(ageOn(birth, { year: 2026, month: 3, day: 4 })).toBe(73);
    expect(ageOn(birth, { year: 2026, month: 3, day: 5 })).toBe(74);
  });
});

describe('parsePeriod', () => {
  it('reads the canonical YYYY-MM', () => {
    expect(parsePeriod('2026-11')).toEqual({ ok: true, value: { year: 2026, month: 11, key: '2026-11' } });
    expect(parsePeriod('2026-01')).toEqual({ ok: true, value: { year: 2026, month: 1, key: '2026-01' } });
  });

  it('reads month first as people write it', () => {
    expect(parsePeriod('11/2026')).toEqual({ ok: true, value: { year: 2026, month: 11, key: '2026-11' } });
    expect(parsePeriod('3/2026')).toEqual({ ok: true, value: { year: 2026, month: 3, key: '2026-03' } });
    expect(parsePeriod('tháng 3/2026')).toEqual({ ok: true, value: { year: 2026, month: 3, key: '2026-03' } });
  });

  it('refuses months outside 1-12', () => {
    expect(parsePeriod('2026-13')).toEqual({ ok: false, reason: 'impossible' });
    expect(parsePeriod('2026-00')).toEqual({ ok: false, reason: 'impossible' });
    expect(parsePeriod('13/2026')).toEqual({ ok: false, reason: 'impossible' });
  });

  it('refuses other shapes', () => {
    expect(parsePeriod('2026-1')).toEqual({ ok: false, reason: 'format' });
    expect(parsePeriod('26-11')).toEqual({ ok: false, reason: 'format' });
    expect(parsePeriod('2026/11/01')).toEqual({ ok: false, reason: 'format' });
    expect(parsePeriod('')).toEqual({ ok: false, reason: 'empty' });
  });

  it('formats a period month first', () => {
    expect(formatPeriod({ year: 2026, month: 3 })).toBe('03/2026');
  });
});
