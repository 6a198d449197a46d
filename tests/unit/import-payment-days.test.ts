import { describe, expect, it } from 'vitest';
import { PaymentStatusService, type PaymentStatusServiceDeps } from '../../src/domain/payment-status.js';

/** Only `payments.paymentDays` is read by nextPaymentDate; the ledger and the register are never asked. */
const service = (paymentDays: Record<string, number>) =>
  new PaymentStatusService({
    payments: { paymentDays },
    now: () => new Date(),
    beneficiaries: { byId: async () => null },
    models: {} as PaymentStatusServiceDeps['models'],
  });

describe('next expected payment date', () => {
  const days = service({ default: 5, '08': 10, '79': 31 });

  it("is this month's province day until it passes, then next month's", () => {
    expect(days.nextPaymentDate('01', { year: 2026, month: 3, day: 5 })).toEqual({ year: 2026, month: 3, day: 5 });
    expect(days.nextPaymentDate('01', { year: 2026, month: 3, day: 6 })).toEqual({ year: 2026, month: 4, day: 5 });
    expect(days.nextPaymentDate('08', { year: 2026, month: 3, day: 6 })).toEqual({ year: 2026, month: 3, day: 10 });
    expect(days.nextPaymentDate('08', { year: 2026, month: 12, day: 11 })).toEqual({ year: 2027, month: 1, day: 10 });
  });

  it("falls on a short month's last day", () => {
    expect(days.nextPaymentDate('79', { year: 2026, month: 2, day: 1 })).toEqual({ year: 2026, month: 2, day: 28 });
    expect(days.nextPaymentDate('79', { year: 2026, month: 4, day: 30 })).toEqual({ year: 2026, month: 4, day: 30 });
  });

  it('comes after the last settled period and names the month it pays', () => {
    const early = service({ default: 5, '01': 28 });
    // This month paid on the 1st, with the province day on the 28th: next month's 28th, not this month's.
    expect(early.nextPaymentDate('01', { year: 2026, month: 12, day: 3 }, '2026-12')).toEqual({ year: 2027, month: 1, day: 28 });
    expect(early.nextPaymentDate('01', { year: 2026, month: 12, day: 3 })).toEqual({ year: 2026, month: 12, day: 28 });
    // An older settled period changes nothing.
    expect(early.nextPaymentDate('02', { year: 2026, month: 12, day: 3 }, '2026-11')).toEqual({ year: 2026, month: 12, day: 5 });
    expect(early.nextPaymentDate('02', { year: 2026, month: 12, day: 6 }, '2026-12')).toEqual({ year: 2027, month: 1, day: 5 });
  });
});
