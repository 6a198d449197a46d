import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatVnd, parseVndAmount } from '../../../src/domain/validators/money.js';

describe('formatVnd', () => {
  it('groups thousands with dots and appends đ', () => {
    expect(formatVnd(4_350_000)).toBe('4.350.000 đ');
    expect(formatVnd(1_000)).toBe('1.000 đ');
    expect(formatVnd(999)).toBe('999 đ');
    expect(formatVnd(0)).toBe('0 đ');
    expect(formatVnd(-1_500_000)).toBe('-1.500.000 đ');
  });

  it('throws on fractions and non-numbers rather than rounding', () => {
    expect(() => formatVnd(1.5)).toThrow(RangeError);
    expect(() => formatVnd(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseVndAmount', () => {
  it.each([
    ['4.350.000', 4_350_000],
    ['4,350,000', 4_350_000],
    ['4 350 000', 4_350_000],
    ['4350000', 4_350_000],
    ['4.350.000 đ', 4_350_000],
    ['4.350.000đ', 4_350_000],
    ['4.350.000 đồng', 4_350_000],
    ['4350000 VND', 4_350_000],
    ['4.35 triệu', 4_350_000],
    ['4,35 trieu', 4_350_000],
    ['4,35 Triệu đồng', 4_350_000],
    ['1,5tr', 1_500_000],
    ['4tr35', 4_350_000],
    ['1tr2', 1_200_000],
    ['500 nghìn', 500_000],
    ['500 ngàn', 500_000],
    ['500 nghin', 500_000],
    ['500k', 500_000],
    ['500 K', 500_000],
    ['4 triệu 350 nghìn', 4_350_000],
    ['2 tỷ', 2_000_000_000],
    ['0', 0],
  ])('reads %s as %d đồng', (typed, expected) => {
    expect(parseVndAmount(typed)).toEqual({ ok: true, value: expected });
  });

  it('asks for a unit when a decimal has none', () => {
    expect(parseVndAmount('4.35')).toEqual({ ok: false, reason: 'unit' });
    expect(parseVndAmount('4,5')).toEqual({ ok: false, reason: 'unit' });
  });

  it('refuses amounts that read two ways', () => {
    expect(parseVndAmount('1.500 triệu')).toEqual({ ok: false, reason: 'ambiguous' });
    expect(parseVndAmount('4 triệu 350')).toEqual({ ok: false, reason: 'ambiguous' });
  });

  it('refuses amounts that come to part of a đồng', () => {
    expect(parseVndAmount('1.2345678 triệu')).toEqual({ ok: false, reason: 'fraction' });
    expect(parseVndAmount('1tr2345678')).toEqual({ ok: false, reason: 'fraction' });
    expect(parseVndAmount('0,5k')).toEqual({ ok: true, value: 500 });
    expect(parseVndAmount('0,5555k')).toEqual({ ok: false, reason: 'fraction' });
  });

  it('refuses amounts too large to count exactly', () => {
    expect(parseVndAmount('99999999999 tỷ')).toEqual({ ok: false, reason: 'range' });
  });

  it('refuses everything else', () => {
    expect(parseVndAmount('')).toEqual({ ok: false, reason: 'empty' });
    expect(parseVndAmount('-500000')).toEqual({ ok: false, reason: 'format' });
    expect(parseVndAmount('4.35.000')).toEqual({ ok: false, reason: 'format' });
    expect(parseVndAmount('500kg')).toEqual({ ok: false, reason: 'format' });
    expect(parseVndAmount('350 nghìn 4 triệu')).toEqual({ ok: false, reason: 'format' });
    expect(parseVndAmount('triệu')).toEqual({ ok: false, reason: 'format' });
    expect(parseVndAmount('1,5k5')).toEqual({ ok: false, reason: 'format' });
    expect(parseVndAmount('đ')).toEqual({ ok: false, reason: 'format' });
  });

  it('reads back every amount formatVnd writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (amount) => {
        expect(parseVndAmount(formatVnd(amount))).toEqual({ ok: true, value: amount });
      }),
    );
  });
});
