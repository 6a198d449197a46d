import { Types } from 'mongoose';
import type { PaymentMethodKind } from '../db/models/beneficiary.js';
import type { PaymentStatus } from '../db/models/payment.js';
import type { Config } from '../config.js';
import type { BeneficiaryRegistry } from './beneficiaries.js';
import type { DomainModels } from './deps.js';
import { isoDate, periodKey, vietnamToday, type CalendarDate } from './validators/dates.js';

/** One ledger row as a chat may show it: masked destination only. */
export interface PaymentLine {
  period: string; // YYYY-MM
  amount: number;
  method: PaymentMethodKind;
  status: PaymentStatus;
  date: string | null; // YYYY-MM-DD
  destinationMasked: string | null;
}

/** What the payment-status conversation shows for one beneficiary. */
export interface PaymentOverview {
  fullName: string;
  /** This month, YYYY-MM (Vietnam time). */
  period: string;
  current: PaymentLine | null;
  /** The last six ledger rows up to this period, newest first (this period's included). */
  history: PaymentLine[];
  /**
   * When the next payment is expected, YYYY-MM-DD: the payment day of the
   * first month after the last period the ledger shows as settled, and not
   * before this month's day (next month's once it has passed).
   */
  nextPaymentDate: string;
  /** The month that next payment pays, YYYY-MM. */
  nextPaymentPeriod: string;
  monthlyAmount: number;
  method: PaymentMethodKind;
}

const HISTORY_LENGTH = 6;

export interface PaymentStatusServiceDeps {
  models: Pick<DomainModels, 'payments'>;
  beneficiaries: Pick<BeneficiaryRegistry, 'byId'>;
  payments: Pick<Config['payments'], 'paymentDays'>;
  now: () => Date;
}

/** Payment status from the monthly ledger: this period, the last six, the next expected date. */
export class PaymentStatusService {
  constructor(private readonly deps: PaymentStatusServiceDeps) {}

  /** The province's payment day (PAYMENT_DAYS), or the default. */
  paymentDay(provinceCode: string): number {
    const days = this.deps.payments.paymentDays;
    return days[provinceCode] ?? days.default ?? 5;
  }

  /**
   * The next date a payment is expected: this month's payment day, unless
   * today is past it, then next month's; and never for a period the ledger
   * already shows settled (`lastSettled`, YYYY-MM): a month paid early, on
   * the 1st with the day set to the 28th, is not expected again on the 28th.
   * A day beyond a short month's end falls on its last day. The month the
   * date falls in is the period it pays.
   */
  nextPaymentDate(provinceCode: string, today: CalendarDate = vietnamToday(this.deps.now()), lastSettled?: string): CalendarDate {
    const day = this.paymentDay(provinceCode);
    const thisMonth = { year: today.year, month: today.month };
    let target = today.day > Math.min(day, daysIn(thisMonth)) ? addMonths(thisMonth, 1) : thisMonth;
    if (lastSettled && periodKey(target) <= lastSettled) {
      const [year, month] = lastSettled.split('-').map(Number) as [number, number];
      target = addMonths({ year, month }, 1);
    }
    return { ...target, day: Math.min(day, daysIn(target)) };
  }

  /** This period's row, the last six rows and the next date for a beneficiary; null if unknown. */
  async overview(beneficiaryId: string): Promise<PaymentOverview | null> {
    if (!Types.ObjectId.isValid(beneficiaryId)) return null;
    const person = await this.deps.beneficiaries.byId(beneficiaryId);
    if (!person) return null;
    const today = vietnamToday(this.deps.now());
    const period = periodKey(today);
    const rows = await this.deps.models.payments
      .find({ beneficiaryId: person._id, period: { $lte: period } })
      .sort({ period: -1 })
      .limit(HISTORY_LENGTH)
      .lean()
      .exec();
    const history = rows.map(
      (r): PaymentLine => ({
        period: r.period,
        amount: r.amount,
        method: r.method,
        status: r.status,
        date: r.date ?? null,
        destinationMasked: r.destinationMasked ?? null,
      }),
    );
    // Paid, waiting at the post office, returned or failed: that period's payment was made, whatever came of it.
    const lastSettled = history.find((h) => h.status !== 'scheduled')?.period;
    const next = this.nextPaymentDate(person.provinceCode, today, lastSettled);
    return {
      fullName: person.fullName,
      period,
      current: history.find((h) => h.period === period) ?? null,
      history,
      nextPaymentDate: isoDate(next),
      nextPaymentPeriod: periodKey(next),
      monthlyAmount: person.monthlyAmount,
      method: person.paymentMethod.kind,
    };
  }
}

function addMonths(p: { year: number; month: number }, n: number): { year: number; month: number } {
  const index = p.year * 12 + (p.month - 1) + n;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

function daysIn(p: { year: number; month: number }): number {
  return new Date(Date.UTC(p.year, p.month, 0)).getUTCDate();
}
