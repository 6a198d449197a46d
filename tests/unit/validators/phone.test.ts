import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizePhone } from '../../../src/domain/validators/phone.js';

const CANONICAL = /^0[35789]\d{8}$/;

describe('normalizePhone', () => {
  it.each([
    ['0912345678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['0912-345-678', '0912345678'],
    ['(091) 234 5678', '0912345678'],
    ['+84912345678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['(+84) 912-345-678', '0912345678'],
    ['84912345678', '0912345678'],
    ['+84 0912 345 678', '0912345678'],
    ['0356789012', '0356789012'],
    ['0587654321', '0587654321'],
    ['0701234567', '0701234567'],
    ['0841234567', '0841234567'],
  ])('reads %s as %s', (typed, expected) => {
    expect(normalizePhone(typed)).toEqual({ ok: true, value: expected });
  });

  it('maps pre-2018 11-digit numbers to today’s prefixes', () => {
    expect(normalizePhone('01689123456')).toEqual({ ok: true, value: '0389123456' });
    expect(normalizePhone('+841689123456')).toEqual({ ok: true, value: '0389123456' });
    expect(normalizePhone('841689123456')).toEqual({ ok: true, value: '0389123456' });
    expect(normalizePhone('0168 912 3456')).toEqual({ ok: true, value: '0389123456' });
  });

  it.each([
    ['0162', '032'], ['0163', '033'], ['0164', '034'], ['0165', '035'],
    ['0166', '036'], ['0167', '037'], ['0168', '038'], ['0169', '039'],
    ['0120', '070'], ['0121', '079'], ['0122', '077'], ['0126', '076'], ['0128', '078'],
    ['0123', '083'], ['0124', '084'], ['0125', '085'], ['0127', '081'], ['0129', '082'],
    ['0186', '056'], ['0188', '058'],
    ['0199', '059'],
  ])('renumbers old prefix %s to %s', (oldPrefix, newPrefix) => {
    expect(normalizePhone(`${oldPrefix}1234567`)).toEqual({ ok: true, value: `${newPrefix}1234567` });
  });

  it('refuses prefixes no mobile network uses', () => {
    expect(normalizePhone('0123456789')).toEqual({ ok: false, reason: 'prefix' });
    expect(normalizePhone('0612345678')).toEqual({ ok: false, reason: 'prefix' });
    expect(normalizePhone('01301234567')).toEqual({ ok: false, reason: 'prefix' });
    expect(normalizePhone('+84612345678')).toEqual({ ok: false, reason: 'prefix' });
  });

  it('tells a landline apart', () => {
    expect(normalizePhone('024 3825 1234')).toEqual({ ok: false, reason: 'landline' });
  });

  it('refuses numbers of other countries', () => {
    expect(normalizePhone('+1 555 123 4567')).toEqual({ ok: false, reason: 'country' });
  });

  it('refuses numbers with a digit missing or too many', () => {
    expect(normalizePhone('091234567')).toEqual({ ok: false, reason: 'length' });
    expect(normalizePhone('09123456789')).toEqual({ ok: false, reason: 'length' });
    expect(normalizePhone('+8491234567')).toEqual({ ok: false, reason: 'length' });
  });

  it('refuses letters, stray symbols and nothing', () => {
    expect(normalizePhone('09l2345678')).toEqual({ ok: false, reason: 'letters' });
    expect(normalizePhone('0912#345678')).toEqual({ ok: false, reason: 'format' });
    expect(normalizePhone('09+12345678')).toEqual({ ok: false, reason: 'format' });
    expect(normalizePhone('  ')).toEqual({ ok: false, reason: 'empty' });
  });

  it('reads every written form of a valid mobile number as the same canonical number', () => {
    const mobile = fc
      .tuple(fc.constantFrom('3', '5', '7', '8', '9'), fc.stringMatching(/^\d{8}$/))
      .map(([network, rest]) => `${network}${rest}`);
    const form = fc.constantFrom(
      (n: string) => `0${n}`,
      (n: string) => `+84${n}`,
      (n: string) => `84${n}`,
      (n: string) => `+84 ${n.slice(0, 2)} ${n.slice(2, 5)} ${n.slice(5)}`,
      (n: string) => `0${n.slice(0, 3)}.${n.slice(3, 6)}.${n.slice(6)}`,
    );
    fc.assert(
      fc.property(mobile, form, (nine, write) => {
        expect(normalizePhone(write(nine))).toEqual({ ok: true, value: `0${nine}` });
      }),
    );
  });

  it('is idempotent on its own output, which is always canonical', () => {
    const typed = fc.oneof(
      fc.string(),
      fc.stringMatching(/^(\+?84|0)?1?[0-9 .()-]{8,12}$/),
    );
    fc.assert(
      fc.property(typed, (input) => {
        const first = normalizePhone(input);
        if (!first.ok) return;
        expect(first.value).toMatch(CANONICAL);
        expect(normalizePhone(first.value)).toEqual(first);
      }),
      { numRuns: 2000 },
    );
  });
});
