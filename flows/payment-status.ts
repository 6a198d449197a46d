import { defineFlow, m, next, type Feature, type StepContext } from '../src/engine/flow.js';
import type { Msg, Reply } from '../src/messaging/types.js';
import type { PaymentLine, PaymentOverview } from '../src/domain/payment-status.js';
import { formatVnd } from '../src/domain/validators/money.js';
import { pickBeneficiaryStep, type WithBeneficiary } from './shared/pick-beneficiary.js';

type Data = WithBeneficiary;

/** "2026-03-05" → "05/03/2026"; "2026-03" → "03/2026". */
const dayText = (isoDate: string) => isoDate.split('-').reverse().join('/');
const periodText = (period: string) => period.split('-').reverse().join('/');

/** Last day of a YYYY-MM period, for a cash pickup without a dated deadline. */
function endOfPeriod(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${String(last).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
}

/** Plain words for this period's status, and what to do about it. */
function currentStatus(row: PaymentLine, view: PaymentOverview, hotline: string): Msg {
  const base = { period: periodText(row.period), amount: formatVnd(row.amount), hotline };
  const destination = row.destinationMasked;
  switch (row.status) {
    case 'scheduled':
      return m('paymentStatus.status.scheduled', { ...base, date: dayText(row.date ?? view.nextPaymentDate) });
    case 'paid':
      return destination
        ? m('paymentStatus.status.paid', { ...base, date: row.date ? dayText(row.date) : '', destination })
        : m('paymentStatus.status.paidCash', { ...base, date: row.date ? dayText(row.date) : '' });
    case 'failed':
      return m('paymentStatus.status.failed', base);
    case 'returned':
      return m('paymentStatus.status.returned', { ...base, destination: destination ?? '' });
    case 'awaiting_cash_pickup':
      return m('paymentStatus.status.awaitingCashPickup', { ...base, deadline: row.date ? dayText(row.date) : endOfPeriod(row.period) });
  }
}

/** The history as one paragraph of compact lines (the locale nests one line per row). */
function history(rows: PaymentLine[]): Msg | undefined {
  if (rows.length === 0) return undefined;
  const params: Record<string, string> = {};
  rows.forEach((row, i) => {
    params[`p${i + 1}`] = periodText(row.period);
    params[`a${i + 1}`] = formatVnd(row.amount);
    params[`s${i + 1}`] = row.status;
  });
  return m(`paymentStatus.history.n${rows.length}`, params);
}

async function statusReply(ctx: StepContext<Data>): Promise<Reply> {
  const id = ctx.data.beneficiaryId;
  const view = id && (await ctx.services.domain.links.canAct(ctx.chat, id)) ? await ctx.services.domain.paymentStatus.overview(id) : null;
  if (!view) return { text: [m('paymentStatus.unavailable')] };
  const hotline = ctx.services.settings.bhxhHotline;
  const text: Msg[] = [m('paymentStatus.heading', { name: view.fullName, period: periodText(view.period) })];
  if (view.current) {
    text.push(currentStatus(view.current, view, hotline));
    // A scheduled month already says its date: the next one is that same payment.
    if (view.current.status !== 'scheduled') {
      text.push(m('paymentStatus.nextDate', { date: dayText(view.nextPaymentDate), period: periodText(view.nextPaymentPeriod) }));
    }
  } else {
    text.push(m('paymentStatus.notListed', { period: periodText(view.period), date: dayText(view.nextPaymentDate), hotline }));
  }
  const past = history(view.history);
  if (past) text.push(past);
  return { text };
}

/**
 * "Xem lương hưu tháng này": this month's payment from the imported ledger,
 * what its status means and what to do, the next expected date and the last
 * six periods.
 */
export const paymentStatusFlow = defineFlow<Data>({
  id: 'payment-status',
  version: 1,
  start: 'pick',
  initial: () => ({}),
  steps: {
    pick: pickBeneficiaryStep<Data>({ question: 'paymentStatus.forWhom', nextStep: 'show' }),
    show: {
      prompt: statusReply,
      choices: async (ctx) => {
        const people = await ctx.services.domain.links.activeFor(ctx.chat);
        return people.length > 1 ? [{ id: 'other', label: m('paymentStatus.other') }] : [];
      },
      handle: () => next<Data>('pick', {}),
    },
  },
});

export const paymentStatusFeature: Feature = {
  flows: [paymentStatusFlow],
  menu: [
    {
      flow: 'payment-status',
      label: m('paymentStatus.menuLabel'),
      aliases: ['luong huu', 'xem luong', 'tien luong', 'chi tra', 'pension', 'payment'],
      order: 40,
    },
  ],
};
