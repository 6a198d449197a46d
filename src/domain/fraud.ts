import mongoose from 'mongoose';
import { USER_FILTER } from '../db/connect.js';
import {
  type FraudCategory,
  type FraudReportDoc,
  type FraudStatus,
} from '../db/models/fraud-report.js';
import { m, say } from '../messaging/messages.js';
import type { ChatKey, Locale } from '../messaging/types.js';
import type { Claims } from '../db/claims.js';
import type { Logger } from '../logger.js';
import type { DomainModels, Notify } from './deps.js';
import type { LinkService } from './links.js';
import type { OneAtATime } from './record-lease.js';
import type { StaffAlerts } from './staff-alerts.js';
import { formatVnd } from './validators/money.js';
import { vietnamToday } from './validators/dates.js';

export { FRAUD_CATEGORIES, FRAUD_STATUSES, type FraudCategory, type FraudStatus } from '../db/models/fraud-report.js';

/** Case numbers look like LD-2026-000123 ("lừa đảo", year, counter). */
export const CASE_NUMBER_PATTERN = /^LD-\d{4}-\d{6,}$/;
export const DESCRIPTION_MIN = 5;
export const DESCRIPTION_MAX = 2000;
export const CONTACT_MAX = 500;
export const MAX_PHOTOS = 10;
export const NOTE_MAX = 2000;
/** Below this a typed amount is almost surely a slip ("5" meant 5 triệu): ask again. */
export const MIN_AMOUNT_LOST = 1000;

/**
 * Which status a case may move to from where. Closed is final; "referred" (to
 * the police) can only be closed afterwards.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<FraudStatus, readonly FraudStatus[]>> = {
  new: ['in_review', 'referred', 'closed'],
  in_review: ['referred', 'closed'],
  referred: ['closed'],
  closed: [],
};

/** Statuses a case can be in for it to move to `target`. */
export const statusesLeadingTo = (target: FraudStatus): FraudStatus[] =>
  (Object.keys(ALLOWED_TRANSITIONS) as FraudStatus[]).filter((from) => ALLOWED_TRANSITIONS[from].includes(target));

/** One piece of safety advice given right after a report; the flow turns each into a message. */
export type SafetyAdvice = 'lockAccount' | 'hangUp' | 'deleteApp' | 'neverShareCodes' | 'freeProcedures' | 'reportOnline' | 'police' | 'hotline';

/**
 * The scammer's phone number or link when the story already gives one
 * ("gọi từ số 0912 345 678", "bấm vào bhxh-capnhat.xyz"), so it is not asked again.
 * A phone is 10 digits from 03/05/07/08/09 (or +84…); a link has a scheme or a
 * dotted host with a known ending.
 */
export function contactInStory(text: string): string | null {
  const phone = /(?:\+84|\b0)[35789](?:[\s.-]?\d){8}\b/.exec(text);
  if (phone) return phone[0].replace(/[\s.-]/g, '');
  const link = /\bhttps?:\/\/[^\s<>"]+|\b(?:[a-z0-9-]+\.)+(?:vn|com|net|org|xyz|top|info|online|site|app|cc|me)(?:\/[^\s<>"]*)?/i.exec(text);
  return link ? link[0].replace(/[.,;:!?)]+$/, '') : null;
}

/**
 * What to tell a reporter at once, most urgent first. Locking the account
 * comes first whenever money left it or a code or card may have been given
 * away: minutes matter there. Everyone gets the police, the BHXH hotline and
 * where to report the scam so others are warned.
 */
export function safetyAdviceFor(category: FraudCategory, moneyLost: boolean): SafetyAdvice[] {
  const advice: SafetyAdvice[] = [];
  // Locking the account is for money gone; without a loss, codes given away call for changing them.
  if (moneyLost) advice.push('lockAccount');
  if (category === 'impersonation') advice.push('hangUp');
  if (category === 'fake_app') advice.push('deleteApp');
  if (category === 'otp_request' || (category === 'fake_app' && !moneyLost)) advice.push('neverShareCodes');
  if (category === 'paid_help') advice.push('freeProcedures');
  advice.push('reportOnline', 'police', 'hotline');
  return advice;
}

// Card numbers and CCCD: 12-19 digits, possibly grouped by spaces or dashes.
const LONG_NUMBER = /(?<!\d)\d(?:[ -]?\d){11,18}(?!\d)/g;
// A short code right after a word that names it: "mã OTP 123456", "otp: 4821", "PIN 1234".
const NAMED_CODE = /((?<![\p{L}\d])(?:otp|mã|ma|pin|code|mật khẩu|mat khau|password)(?![\p{L}])[^\d\n]{0,20}?)(\d{4,8})(?!\d)/giu;
const HIDDEN = '***';

/**
 * Removes what looks like a card number or a one-time code from a report's
 * free text, so a victim who pastes the scammer's message does not leave a
 * live code or card number in our database. Phone numbers (10 digits) stay:
 * they identify the scammer. In the scammer-contact field long numbers stay
 * too (`keepLongNumbers`): there they are the scammer's bank account, the
 * main evidence when money was lost; only named codes are hidden.
 */
export function redactSecrets(text: string, opts: { keepLongNumbers?: boolean } = {}): { text: string; redacted: boolean } {
  let redacted = false;
  const out = text
    .replace(LONG_NUMBER, (number) => {
      if (opts.keepLongNumbers) return number;
      redacted = true;
      return HIDDEN;
    })
    .replace(NAMED_CODE, (_all, lead: string) => {
      redacted = true;
      return `${lead}${HIDDEN}`;
    });
  return { text: out, redacted };
}

/** What the chat user typed and chose, as the report flow collected it. */
export interface FraudReportInput {
  chat: ChatKey;
  locale: Locale;
  category: FraudCategory;
  description: string;
  scammerContact: string | null;
  moneyLost: boolean;
  amountLost: number | null;
  photoRefs: string[];
}

export interface FraudReportReceipt {
  caseNumber: string;
  severity: 'urgent' | 'normal';
  advice: SafetyAdvice[];
  staffAlerted: boolean;
}

/** A case as staff see it. The reporter's chat id never leaves the service. */
export interface FraudCaseView {
  caseNumber: string;
  category: FraudCategory;
  severity: 'urgent' | 'normal';
  status: FraudStatus;
  description: string;
  scammerContact: string | null;
  moneyLost: boolean;
  amountLost: number | null;
  photoCount: number;
  provinceCode: string | null;
  /** The channel the reporter used; null once they erased their data. */
  reporterChannel: string | null;
  reporterLocale: Locale;
  staffAlertedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface FraudCaseDetail extends FraudCaseView {
  photoRefs: string[];
  notes: { at: Date; by: string; text: string }[];
}

export interface FraudCaseFilter {
  status?: FraudStatus;
  category?: FraudCategory;
  severity?: 'urgent' | 'normal';
  /** null: every province (cases without a province included). */
  province: string | null;
  from?: Date;
  to?: Date;
  /** Part of a case number (`000123`, `LD-2026-0001`), matched anywhere, case-insensitively. */
  caseNumber?: string;
  limit?: number;
  /** Skip this many (paging through the list). */
  offset?: number;
}

export type StatusChangeResult =
  | { status: 'ok'; case: FraudCaseDetail; reporterNotified: boolean }
  | { status: 'not_found' }
  | { status: 'invalid_transition'; current: FraudStatus };

const toView = (doc: FraudReportDoc): FraudCaseView => ({
  caseNumber: doc.caseNumber,
  category: doc.category,
  severity: doc.severity,
  status: doc.status,
  description: doc.description,
  scammerContact: doc.scammerContact ?? null,
  moneyLost: doc.moneyLost,
  amountLost: doc.amountLost ?? null,
  photoCount: doc.photoRefs.length,
  provinceCode: doc.provinceCode ?? null,
  reporterChannel: doc.reporter?.channel ?? null,
  reporterLocale: doc.reporterLocale,
  staffAlertedAt: doc.staffAlertedAt ?? null,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

const toDetail = (doc: FraudReportDoc): FraudCaseDetail => ({
  ...toView(doc),
  photoRefs: [...doc.photoRefs],
  notes: doc.notes.map((n) => ({ at: n.at, by: n.by, text: n.text })),
});

export interface FraudServiceDeps {
  models: Pick<DomainModels, 'fraudReports'>;
  /** The reporter's linked record gives the case its province. */
  links: Pick<LinkService, 'activeFor'>;
  /** Case-number sequences. */
  claims: Pick<Claims, 'next'>;
  /** Staff writes to one case, one at a time. */
  oneAtATime: OneAtATime;
  /** Tells the reporter of a status change. */
  notify: Notify;
  staffAlerts: Pick<StaffAlerts, 'configured' | 'send'>;
  logger: Logger;
  now: () => Date;
}

/** Fraud reports: case numbers, urgency, staff alerts, triage and telling the reporter. */
export class FraudService {
  constructor(private readonly deps: FraudServiceDeps) {}

  /**
   * Files a report, gives it a case number and, when money was lost, alerts the
   * staff chat at once. The description is stored with codes and card numbers removed.
   */
  async report(input: FraudReportInput): Promise<FraudReportReceipt> {
    const severity = input.moneyLost ? 'urgent' : 'normal';
    const linked = await this.deps.links.activeFor(input.chat);
    const provinceCode = linked[0]?.provinceCode ?? null;
    const caseNumber = await this.nextCaseNumber();
    await this.deps.models.fraudReports.create({
      caseNumber,
      category: input.category,
      description: redactSecrets(input.description).text.slice(0, DESCRIPTION_MAX),
      ...(input.scammerContact ? { scammerContact: redactSecrets(input.scammerContact, { keepLongNumbers: true }).text.slice(0, CONTACT_MAX) } : {}),
      moneyLost: input.moneyLost,
      ...(input.moneyLost && input.amountLost !== null ? { amountLost: input.amountLost } : {}),
      photoRefs: input.photoRefs.slice(0, MAX_PHOTOS),
      severity,
      status: 'new',
      notes: [],
      reporter: { channel: input.chat.channel, chatId: input.chat.chatId },
      reporterLocale: input.locale,
      provinceCode,
    });
    this.deps.logger.info({ event: 'fraud_report_filed', caseNumber, category: input.category, severity }, 'fraud report filed');

    let staffAlerted = false;
    if (severity === 'urgent' && this.deps.staffAlerts.configured) {
      staffAlerted = await this.deps.staffAlerts.send(this.staffAlert(caseNumber, input.category, input.amountLost, provinceCode));
      if (staffAlerted) {
        await this.deps.models.fraudReports.updateOne({ caseNumber }, { $set: { staffAlertedAt: this.deps.now() } }).exec();
      } else {
        this.deps.logger.warn({ event: 'fraud_staff_alert_failed', caseNumber }, 'urgent case not posted to the staff chat');
      }
    }
    return { caseNumber, severity, advice: safetyAdviceFor(input.category, input.moneyLost), staffAlerted };
  }

  /** Cases matching the filter, newest first. */
  async list(filter: FraudCaseFilter): Promise<FraudCaseView[]> {
    const docs = await this.deps.models.fraudReports
      .find(this.filterOf(filter))
      .setOptions(USER_FILTER)
      .sort({ createdAt: -1, _id: -1 })
      .skip(filter.offset ?? 0)
      .limit(filter.limit ?? 500)
      .lean()
      .exec();
    return docs.map(toView);
  }

  /** How many cases match the filter (for paging). */
  async count(filter: Omit<FraudCaseFilter, 'limit' | 'offset'>): Promise<number> {
    return this.deps.models.fraudReports.countDocuments(this.filterOf(filter)).setOptions(USER_FILTER).exec();
  }

  /** Every case matching the filter, for export; streamed so memory stays flat. */
  async *export(filter: Omit<FraudCaseFilter, 'limit'>): AsyncGenerator<FraudCaseView> {
    const cursor = this.deps.models.fraudReports
      .find(this.filterOf(filter))
      .setOptions(USER_FILTER)
      .sort({ createdAt: -1, _id: -1 })
      .lean()
      .cursor();
    for await (const doc of cursor) yield toView(doc as FraudReportDoc);
  }

  /** One case with its notes and photo references; null if missing or outside `province`. */
  async get(caseNumber: string, province: string | null): Promise<FraudCaseDetail | null> {
    const doc = await this.deps.models.fraudReports.findOne(this.oneCase(caseNumber, province)).setOptions(USER_FILTER).lean().exec();
    return doc ? toDetail(doc) : null;
  }

  /**
   * Moves a case along (see ALLOWED_TRANSITIONS) once, so two staff acting at
   * once cannot both apply; then tells the reporter, if they are still known,
   * in their own language and channel. Under the case's lease (see
   * oneAtATime): FerretDB would let several callers win the conditional update.
   */
  async changeStatus(
    caseNumber: string,
    change: { status: FraudStatus; note?: string; by: string; province: string | null },
  ): Promise<StatusChangeResult> {
    const now = this.deps.now();
    const update: Record<string, unknown> = { $set: { status: change.status } };
    if (change.note) update.$push = { notes: { at: now, by: change.by, text: change.note.slice(0, NOTE_MAX) } };
    const doc = await this.oneCaseAtATime(caseNumber, 'status', () =>
      this.deps.models.fraudReports
        .findOneAndUpdate(
          { ...this.oneCase(caseNumber, change.province), status: { $in: statusesLeadingTo(change.status) } },
          update,
          { returnDocument: 'after', lean: true },
        )
        .exec(),
    );
    if (!doc) {
      const current = await this.get(caseNumber, change.province);
      return current ? { status: 'invalid_transition', current: current.status } : { status: 'not_found' };
    }
    let reporterNotified = false;
    if (doc.reporter) {
      const chat = { channel: doc.reporter.channel as ChatKey['channel'], chatId: doc.reporter.chatId };
      reporterNotified = await this.deps.notify(chat, {
        ...say(m(`reportFraud.statusUpdate.${change.status}`, { caseNumber })),
        // Beyond Zalo's window, the case number and its new state as the template staff mapped.
        notice: { kind: 'fraud_case_status', fields: { case_number: caseNumber, status: m(`reportFraud.statusWord.${change.status}`) } },
      });
    }
    this.deps.logger.info({ event: 'fraud_case_status', caseNumber, status: change.status, reporterNotified }, 'fraud case status changed');
    return { status: 'ok', case: toDetail(doc), reporterNotified };
  }

  /**
   * Adds a staff note; null if the case is missing or outside `province`.
   * Under the case's lease: FerretDB writes the whole document back, so two
   * notes (or a note and a status change) at once would keep only one.
   */
  async addNote(caseNumber: string, note: { text: string; by: string; province: string | null }): Promise<FraudCaseDetail | null> {
    const doc = await this.oneCaseAtATime(caseNumber, 'note', () =>
      this.deps.models.fraudReports
        .findOneAndUpdate(
          this.oneCase(caseNumber, note.province),
          { $push: { notes: { at: this.deps.now(), by: note.by, text: note.text.slice(0, NOTE_MAX) } } },
          { returnDocument: 'after', lean: true },
        )
        .exec(),
    );
    return doc ? toDetail(doc) : null;
  }

  /** Case numbers and statuses this chat reported, newest first (for "my data"). */
  async reportedBy(chat: ChatKey): Promise<{ caseNumber: string; status: FraudStatus }[]> {
    const docs = await this.deps.models.fraudReports
      .find({ 'reporter.channel': chat.channel, 'reporter.chatId': chat.chatId }, { caseNumber: 1, status: 1 })
      .sort({ createdAt: -1 })
      .lean()
      .exec();
    return docs.map((d) => ({ caseNumber: d.caseNumber, status: d.status }));
  }

  /** Erasure: the cases stay (they are evidence) but no longer point at the chat. Returns how many. */
  async forgetReporter(chat: ChatKey): Promise<number> {
    const result = await this.deps.models.fraudReports
      .updateMany({ 'reporter.channel': chat.channel, 'reporter.chatId': chat.chatId }, { $set: { reporter: null } })
      .exec();
    return result.modifiedCount;
  }

  /** Case number, category, amount, province and where to look: nothing about the reporter, none of their words. */
  private staffAlert(caseNumber: string, category: FraudCategory, amountLost: number | null, provinceCode: string | null) {
    return say(
      m('reportFraud.staffAlert.title', { caseNumber }),
      m(`reportFraud.staffAlert.category.${category}`),
      m('reportFraud.staffAlert.details', {
        amount: amountLost === null ? '?' : formatVnd(amountLost),
        province: provinceCode ?? '?',
        path: `/admin/api/fraud-cases/${caseNumber}`,
      }),
    );
  }

  private oneCase(caseNumber: string, province: string | null): Record<string, unknown> {
    return province === null ? { caseNumber } : { caseNumber, provinceCode: province };
  }

  /** Staff writes to one case, one at a time (see oneAtATime). */
  private oneCaseAtATime<T>(caseNumber: string, owner: string, change: () => Promise<T>): Promise<T> {
    return this.deps.oneAtATime(`fraud-case:${caseNumber}`, owner, change);
  }

  private filterOf(filter: Omit<FraudCaseFilter, 'limit' | 'offset'>): Record<string, unknown> {
    const query: Record<string, unknown> = {};
    if (filter.caseNumber) {
      query.caseNumber = mongoose.trusted({ $regex: filter.caseNumber.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), $options: 'i' });
    }
    if (filter.status) query.status = filter.status;
    if (filter.category) query.category = filter.category;
    if (filter.severity) query.severity = filter.severity;
    if (filter.province !== null) query.provinceCode = filter.province;
    if (filter.from || filter.to) {
      query.createdAt = mongoose.trusted({ ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) });
    }
    return query;
  }

  /** LD-<year>-<counter>: each number handed out once, across instances (a Claims sequence, not an $inc FerretDB could lose). */
  private async nextCaseNumber(): Promise<string> {
    const id = `LD-${vietnamToday(this.deps.now()).year}`;
    return `${id}-${String(await this.deps.claims.next(`case-number:${id}`)).padStart(6, '0')}`;
  }
}
