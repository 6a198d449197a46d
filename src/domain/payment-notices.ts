import type { Types } from 'mongoose';
import type { Claims } from '../db/claims.js';
import type { PaymentDoc } from '../db/models/payment.js';
import { chatUserId } from '../db/models/chat-user.js';
import { formatVnd } from './validators/money.js';
import { displayPeriod, formatDate } from './validators/dates.js';
import type { Logger } from '../logger.js';
import { m } from '../messaging/messages.js';
import type { ChatKey, Reply } from '../messaging/types.js';
import type { DomainModels, Notify } from './deps.js';
import type { AudienceService } from './audience.js';
import { inQuietHours, type DailyWindow } from './quiet-hours.js';

export interface PaymentNoticesDeps {
  models: Pick<DomainModels, 'payments' | 'beneficiaries' | 'links'>;
  /** Which chats stopped listening (unsubscribed, blocked the bot). */
  audience: Pick<AudienceService, 'unreachable'>;
  claims: Pick<Claims, 'once' | 'forget'>;
  notify: Notify;
  bhxhHotline: string;
  /** No notice goes out in these hours (Vietnam time); they wait for the morning. */
  quietHours: DailyWindow | null;
  timeZone: string;
  logger: Logger;
  now: () => Date;
}

/** What the ledger says that people are told of: money credited, or returned by the bank. */
const TOLD = ['paid', 'returned'] as const;
type Told = (typeof TOLD)[number];

const CASH = new Set(['cash_post', 'cash_home']);

/** Linked beneficiaries asked about per payments query. */
const LINKED_CHUNK = 1000;

/** How far back a ledger change still makes news. */
const RECENT_MS = 7 * 24 * 3600_000;

/** A masked destination as people recognise it: its last four digits ("****3456"). */
const lastFour = (masked: string): string => `****${masked.replace(/\D/g, '').slice(-4)}`;
/** A stored `YYYY-MM-DD` as people read it, `dd/mm/yyyy`. */
const dayOf = (date: string | undefined): string => {
  if (!date) return '';
  const [year, month, day] = date.split('-').map(Number);
  return formatDate({ year: year!, month: month!, day: day! });
};

/**
 * Payment-arrival notices: when the ledger marks a period paid or returned by
 * the bank, each chat linked to the beneficiary (the person, and each approved
 * relative still subscribed) gets one notice, through the chat's own channel —
 * by template beyond Zalo's window when staff mapped one. Once per person,
 * period and state: a single-use claim per (payment, state, chat) before
 * sending, and the payment remembers the state it was told of, so re-imports,
 * restarts and several instances send nothing twice.
 */
export class PaymentNotices {
  constructor(private readonly deps: PaymentNoticesDeps) {}

  /** Sends what the ledger holds and nobody was told yet; a few hundred payments per run. */
  async sendDue(limit = 500): Promise<{ payments: number; sent: number; undelivered: number; postponed: boolean }> {
    const { models, logger } = this.deps;
    const at = this.deps.now();
    if (inQuietHours(at, this.deps.quietHours, this.deps.timeZone)) return { payments: 0, sent: 0, undelivered: 0, postponed: true };
    // Recent changes only: a ledger row untouched for a week is old news (and on the first run, history).
    const since = new Date(at.getTime() - RECENT_MS);
    const due = await this.duePayments(since, limit);
    const { sent, undelivered } = await this.tell(due);
    // Told once per state, whether or not every chat could be reached: a chat that could not be
    // (blocked, beyond Zalo's window without a template) is logged. One write per state, not per
    // payment: FerretDB 1.24 reads the whole collection for each update.
    for (const state of TOLD) {
      const ids = due.filter((p) => p.status === state).map((p) => p._id);
      if (ids.length > 0) await models.payments.updateMany({ _id: { $in: ids } }, { $set: { noticeSent: state } }).exec();
    }
    if (due.length > 0) logger.info({ event: 'payment_notices', payments: due.length, sent, undelivered }, 'payment-arrival notices sent');
    return { payments: due.length, sent, undelivered, postponed: false };
  }

  /**
   * Payments of linked beneficiaries nobody was told of yet. Only people with a
   * chat can be told: a ledger of 10 000 rows where a few hundred are linked
   * reads those few hundred, a chunk of linked beneficiaries at a time.
   */
  private async duePayments(since: Date, limit: number): Promise<PaymentDoc[]> {
    const { models } = this.deps;
    const linked = (await models.links.distinct('beneficiaryId', { status: 'active' }).exec()) as Types.ObjectId[];
    const due: PaymentDoc[] = [];
    for (let i = 0; i < linked.length && due.length < limit; i += LINKED_CHUNK) {
      const page = await models.payments
        .find({ beneficiaryId: { $in: linked.slice(i, i + LINKED_CHUNK) }, $or: TOLD.map((status) => ({ status, noticeSent: { $ne: status } })), updatedAt: { $gte: since } })
        .limit(limit - due.length)
        .lean<PaymentDoc[]>()
        .exec();
      due.push(...page);
    }
    return due;
  }

  /** Tells each chat of each payment once (a single-use claim per payment, state and chat); names and links read once for all. */
  private async tell(payments: PaymentDoc[]): Promise<{ sent: number; undelivered: number }> {
    const { models, claims, notify } = this.deps;
    if (payments.length === 0) return { sent: 0, undelivered: 0 };
    const ids = [...new Set(payments.map((p) => String(p.beneficiaryId)))];
    const [people, links] = await Promise.all([
      models.beneficiaries.find({ _id: { $in: ids } }, { fullName: 1 }).lean<{ _id: Types.ObjectId; fullName: string }[]>().exec(),
      models.links.find({ beneficiaryId: { $in: ids }, status: 'active' }, { channel: 1, chatId: 1, role: 1, beneficiaryId: 1 }).lean().exec(),
    ]);
    const nameOf = new Map(people.map((p) => [String(p._id), p.fullName]));
    const linksOf = new Map<string, typeof links>();
    for (const link of links) linksOf.set(String(link.beneficiaryId), [...(linksOf.get(String(link.beneficiaryId)) ?? []), link]);
    const gone = new Set((await this.deps.audience.unreachable(links.map((l) => ({ channel: l.channel as ChatKey['channel'], chatId: l.chatId })))).map((c) => chatUserId(c)));
    let sent = 0;
    let undelivered = 0;
    for (const payment of payments) {
      const state = payment.status as Told;
      const name = nameOf.get(String(payment.beneficiaryId));
      if (name === undefined) continue;
      for (const link of linksOf.get(String(payment.beneficiaryId)) ?? []) {
        const chat: ChatKey = { channel: link.channel as ChatKey['channel'], chatId: link.chatId };
        if (gone.has(chatUserId(chat))) continue;
        const key = `payment-notice:${String(payment._id)}:${state}:${chat.channel}:${chat.chatId}`;
        if (!(await claims.once(key))) continue;
        const delivered = await notify(chat, this.reply(payment, state, name, link.role === 'self'));
        if (delivered) sent++;
        else undelivered++;
      }
    }
    return { sent, undelivered };
  }

  private reply(payment: PaymentDoc, state: Told, name: string, self: boolean): Reply {
    const common = { period: displayPeriod(payment.period), amount: formatVnd(payment.amount), name };
    if (state === 'returned') {
      const params = { ...common, hotline: this.deps.bhxhHotline };
      return {
        text: [m(self ? 'paymentNotices.returned.self' : 'paymentNotices.returned.relative', params)],
        notice: { kind: 'payment_returned', fields: { full_name: name, period: common.period, amount: common.amount, hotline: this.deps.bhxhHotline } },
      };
    }
    const cash = CASH.has(payment.method) || !payment.destinationMasked;
    const params = { ...common, account: lastFour(payment.destinationMasked ?? ''), date: dayOf(payment.date) };
    const key = cash ? (self ? 'paymentNotices.credited.cashSelf' : 'paymentNotices.credited.cashRelative') : self ? 'paymentNotices.credited.self' : 'paymentNotices.credited.relative';
    return {
      text: [m(key, params)],
      notice: { kind: 'payment_credited', fields: { full_name: name, period: common.period, amount: common.amount, account: params.account, paid_on: params.date } },
    };
  }
}
