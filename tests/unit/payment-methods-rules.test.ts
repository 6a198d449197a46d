import { describe, expect, it } from 'vitest';
import { effectiveFromPeriod, isReference, methodSummary, newReference } from '../../src/domain/payment-methods.js';
import { displayPeriod } from '../../src/domain/validators/dates.js';

/** A moment at `hh:mm` Vietnam time (UTC+7) on the given day. */
const vn = (date: string, time = '10:00'): Date => new Date(`${date}T${time}:00+07:00`);

describe('effectiveFromPeriod', () => {
  it('is this month when the cooling-off ends before the payment day', () => {
    expect(effectiveFromPeriod(vn('2026-03-02'), 5)).toBe('2026-03');
  });

  it('is next month when it ends on or after the payment day', () => {
    expect(effectiveFromPeriod(vn('2026-03-05'), 5)).toBe('2026-04');
    expect(effectiveFromPeriod(vn('2026-03-20'), 10)).toBe('2026-04');
  });

  it('rolls over the year', () => {
    expect(effectiveFromPeriod(vn('2026-12-15'), 5)).toBe('2027-01');
  });

  it('reads the day in Vietnam, not UTC', () => {
    // 23:30 on the 4th in UTC is already the 5th in Vietnam: the payment day.
    expect(effectiveFromPeriod(new Date('2026-03-04T23:30:00Z'), 5)).toBe('2026-04');
  });

  it('treats a payment day past the end of a short month as its last day', () => {
    expect(effectiveFromPeriod(vn('2026-02-28'), 31)).toBe('2026-03');
    expect(effectiveFromPeriod(vn('2026-02-27'), 31)).toBe('2026-02');
  });

  it('displays a period month first', () => {
    expect(displayPeriod('2026-04')).toBe('04/2026');
  });
});

describe('references', () => {
  it('are short and use an alphabet without look-alike characters', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const ref = newReference();
      expect(ref).toMatch(/^YC-[2-9A-HJKMNP-Z]{6}$/);
      expect(ref.slice(3)).not.toMatch(/[01OIL]/);
      expect(isReference(ref)).toBe(true);
      seen.add(ref);
    }
    expect(seen.size).toBeGreaterThan(495);
  });

  it('rejects anything else before it reaches a query', () => {
    for (const text of ['YC-7K3Q9', 'YC-7K3Q9O', 'yc-7k3q9x', '{"$ne":1}', 'YC-7K3Q9XX']) expect(isReference(text)).toBe(false);
  });
});

describe('methodSummary', () => {
  it('names the bank by its short name and shows only the masked account', () => {
    expect(methodSummary({ kind: 'bank', bankBin: '970436', accountMasked: '*********3456', holderName: 'NGUYEN VAN AN' })).toEqual({
      key: 'cashless.summary.bank',
      params: { bank: 'Vietcombank', account: '*********3456', holder: 'NGUYEN VAN AN' },
    });
    expect(methodSummary({ kind: 'ewallet', walletProvider: 'momo', accountMasked: '09******78' }).params).toEqual({ provider: 'MoMo', phone: '09******78' });
  });
});
