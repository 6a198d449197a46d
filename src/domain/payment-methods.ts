import { randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { z } from 'zod';
import { isDuplicateKey, USER_FILTER } from '../db/connect.js';
import type { CurrentPaymentMethod, PaymentMethodKind } from '../db/models/beneficiary.js';
import type { PaymentMethodRequestDoc, RequestStatus } from '../db/models/payment-method-request.js';
import { actionPayload, m } from '../messaging/messages.js';
import type { ChatKey, Msg, Reply } from '../messaging/types.js';
import { maskDigits, maskPhone } from '../security/mask.js';
import type { EncryptedValue, PiiCipher } from '../security/pii-crypto.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { bankByBin } from './banks/bank-directory.js';
import type { BeneficiaryRegistry } from './beneficiaries.js';
import type { DomainModels, Notify } from './deps.js';
import { invalidInput } from './errors.js';
import type { LinkService } from './links.js';
import type { PaymentStatusService } from './payment-status.js';
import type { OneAtATime } from './record-lease.js';
import type { StaffAlerts } from './staff-alerts.js';
import { displayPeriod, formatDate, periodKey, vietnamToday } from './validators/dates.js';
import { namesMatch } from './validators/name-match.js';

/** E-wallet / Mobile Money providers offered where a deployment enables e-wallets. */
export const WALLET_PROVIDERS = [
  { id: 'viettel_money', name: 'Viettel Money' },
  { id: 'vnpt_money', name: 'VNPT Money' },
  { id: 'momo', name: 'MoMo' },
  { id: 'zalopay', name: 'ZaloPay' },
] as const;
export type WalletProviderId = (typeof WALLET_PROVIDERS)[number]['id'];

/** Why a pensioner wants cash at home; staff check it with the commune. */
export const HOME_REASONS = ['bedridden', 'mobility', 'other'] as const;
export type HomeReason = (typeof HOME_REASONS)[number];

/**
 * An identifier sealed (encrypted) by the domain so a flow can carry it across
 * steps in conversation state without holding it in clear at rest.
 */
export interface SealedIdentifier {
  sealed: string;
  masked: string;
}

/** The method a chat asks for; identifiers arrive sealed from `seal*`. */
export type NewMethod =
  | { kind: 'bank'; bankBin: string; account: string; holderName: string }
  | { kind: 'ewallet'; walletProvider: WalletProviderId; phone: string }
  | { kind: 'cash_post' }
  | { kind: 'cash_home'; homeReason: HomeReason };

/** Whether a beneficiary may ask for a change now, and what the flow should say. */
export type Eligibility =
  | { ok: true; withinMinInterval: boolean; lastChangeOn?: string; nextFreeChangeOn?: string }
  | { ok: false; reason: 'not_found' | 'frozen' }
  | { ok: false; reason: 'pending'; reference: string };

export type SubmitResult =
  | { ok: true; reference: string; withinMinInterval: boolean; nameMatches?: boolean }
  | { ok: false; reason: 'not_found' | 'frozen' | 'not_allowed' | 'same_as_current' }
  | { ok: false; reason: 'pending'; reference: string };

export type NotMeResult = 'frozen' | 'already_frozen' | 'too_late' | 'unknown';

/** What staff see of a request: account masked, never in clear. */
export interface RequestView {
  id: string;
  reference: string;
  status: RequestStatus;
  provinceCode: string;
  beneficiary: {
    id: string;
    fullName: string | null;
    bhxhCodeMasked: string | null;
    /** How the person is paid now, for the reviewer to compare with what is asked. */
    currentMethod: { kind: PaymentMethodKind; bankName: string | null; accountMasked: string | null } | null;
  };
  method: {
    kind: PaymentMethodKind;
    bankBin: string | null;
    bankName: string | null;
    walletProvider: string | null;
    accountMasked: string | null;
    holderName: string | null;
    nameMatches: boolean | null;
    homeReason: string | null;
  };
  requestedBy: { channel: string; role: string };
  notMe: boolean;
  notMeAt: Date | null;
  withinMinInterval: boolean;
  overrideFrequency: boolean;
  effectiveFromPeriod: string | null;
  coolingOffUntil: Date | null;
  reviewedBy: string | null;
  reviewedAt: Date | null;
  reviewReason: string | null;
  createdAt: Date;
}

/** A staff decision's outcome; `conflict` names the status found instead. */
export type DecisionResult =
  | { ok: true; request: RequestView }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'conflict'; status: RequestStatus }
  | { ok: false; reason: 'beneficiary_frozen' | 'too_soon' };

/** One row of the paying-agent export, account in clear. */
export interface ExportRow {
  reference: string;
  bhxhCode: string;
  fullName: string;
  method: PaymentMethodKind;
  bankBin: string;
  bankName: string;
  account: string;
  holderName: string;
  effectiveFromPeriod: string;
}

/** Unambiguous when read aloud or copied by hand: no 0/O, 1/I/L. */
const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const REFERENCE_PATTERN = /^YC-[2-9A-HJKMNP-Z]{6}$/;
const PENDING: RequestStatus[] = ['submitted', 'frozen'];
const DAY_MS = 86_400_000;

const encryptedValue = z.strictObject({ v: z.number().int(), iv: z.string(), ct: z.string(), tag: z.string() });

/** A fresh reference like `YC-7K3Q9X`. */
export function newReference(): string {
  let code = '';
  for (let i = 0; i < 6; i++) code += REFERENCE_ALPHABET[randomInt(REFERENCE_ALPHABET.length)];
  return `YC-${code}`;
}

/** True for strings shaped like a reference (checked before any lookup by a tapped payload). */
export function isReference(text: string): boolean {
  return REFERENCE_PATTERN.test(text);
}

/**
 * The first payment period a change approved now may take effect in: the
 * period whose payment day (in Vietnam) falls after the cooling-off ends.
 * The payment list for a period is prepared before its payment day, so a
 * change ending its cooling-off on the payment day waits for the next one.
 */
export function effectiveFromPeriod(coolingOffUntil: Date, paymentDay: number): string {
  const end = vietnamToday(coolingOffUntil);
  let { year, month } = end;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (end.day >= Math.min(paymentDay, daysInMonth)) {
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return periodKey({ year, month });
}


/** The masked one-line summary of a method, for the flow and for alerts. */
export function methodSummary(method: {
  kind: PaymentMethodKind;
  bankBin?: string;
  walletProvider?: string;
  accountMasked?: string;
  holderName?: string;
  homeReason?: string;
}): Msg {
  switch (method.kind) {
    case 'bank':
      return m('cashless.summary.bank', {
        bank: (method.bankBin && bankByBin(method.bankBin)?.shortName) ?? method.bankBin ?? '',
        account: method.accountMasked ?? '',
        holder: method.holderName ?? '',
      });
    case 'ewallet':
      return m('cashless.summary.ewallet', { provider: walletName(method.walletProvider), phone: method.accountMasked ?? '' });
    case 'cash_post':
      return m('cashless.summary.cashPost');
    case 'cash_home':
      return m('cashless.summary.cashHome');
  }
}

function walletName(id: string | undefined): string {
  return WALLET_PROVIDERS.find((p) => p.id === id)?.name ?? id ?? '';
}

/** An `applying` claim older than this belongs to a run that died: take it over. */
const STUCK_APPLYING_MS = 10 * 60_000;

export interface PaymentMethodServiceDeps {
  models: Pick<DomainModels, 'requests' | 'links' | 'beneficiaries'>;
  beneficiaries: Pick<BeneficiaryRegistry, 'byId'>;
  /** Who may ask (an active, unexpired link) and whom to warn of a request. */
  links: Pick<LinkService, 'canAct' | 'chatsFor'>;
  /** The province's payment day decides when an approved change takes effect. */
  paymentStatus: Pick<PaymentStatusService, 'paymentDay'>;
  /** Every status change of a request, one at a time. */
  oneAtATime: OneAtATime;
  cipher: Pick<PiiCipher, 'encrypt' | 'decrypt' | 'blindIndex'>;
  /** Warns linked chats and tells the requester of a decision. */
  notify: Notify;
  staffAlerts: Pick<StaffAlerts, 'send'>;
  payments: Pick<Config['payments'], 'minIntervalDays' | 'coolingOffDays'>;
  bhxhHotline: string;
  logger: Logger;
  now: () => Date;
}

/** Payment-method change requests: submission, account-takeover protections, staff review, effect. */
export class PaymentMethodService {
  constructor(private readonly deps: PaymentMethodServiceDeps) {}

  /** Encrypts a bank account number for the flow to carry; returns it masked for display. */
  sealAccount(account: string): SealedIdentifier {
    return { sealed: this.seal(account), masked: maskDigits(account) };
  }

  /** The account a flow sealed, for the one place it is shown in full: the person's own final confirmation. */
  revealSealed(sealed: string): string {
    return this.unseal(sealed);
  }

  /** Encrypts a wallet phone number (canonical form) for the flow to carry. */
  sealPhone(phone: string): SealedIdentifier {
    return { sealed: this.seal(phone), masked: maskPhone(phone) };
  }

  /** Whether a holder name is the beneficiary's own, as a bank would compare it. */
  async holderMatches(beneficiaryId: string, holderName: string): Promise<boolean> {
    const beneficiary = await this.deps.beneficiaries.byId(beneficiaryId);
    return beneficiary !== null && namesMatch(holderName, beneficiary.fullName);
  }

  /** Checks the blocks a request meets: staff freeze, a pending request, the minimum interval. */
  async eligibility(beneficiaryId: string): Promise<Eligibility> {
    if (!Types.ObjectId.isValid(beneficiaryId)) return { ok: false, reason: 'not_found' };
    const beneficiary = await this.deps.beneficiaries.byId(beneficiaryId);
    if (!beneficiary) return { ok: false, reason: 'not_found' };
    if (beneficiary.frozen) return { ok: false, reason: 'frozen' };
    const pending = await this.deps.models.requests
      .findOne({ beneficiaryId: beneficiary._id, status: { $in: PENDING } }, { reference: 1 })
      .lean()
      .exec();
    if (pending) return { ok: false, reason: 'pending', reference: pending.reference };
    const last = await this.lastChange(beneficiary._id, beneficiary.lastMethodChangeAt);
    if (!last) return { ok: true, withinMinInterval: false };
    const nextFree = new Date(last.getTime() + this.deps.payments.minIntervalDays * DAY_MS);
    return {
      ok: true,
      withinMinInterval: nextFree > this.deps.now(),
      lastChangeOn: formatDate(vietnamToday(last)),
      nextFreeChangeOn: formatDate(vietnamToday(nextFree)),
    };
  }

  /**
   * Records a request and warns every other chat linked to the beneficiary,
   * with a "this was not me" button. Never changes how anyone is paid: staff
   * approve, and the change takes effect after the cooling-off.
   */
  async submit(chat: ChatKey, beneficiaryId: string, method: NewMethod): Promise<SubmitResult> {
    if (!Types.ObjectId.isValid(beneficiaryId)) return { ok: false, reason: 'not_found' };
    const link = await this.deps.models.links
      .findOne({ channel: chat.channel, chatId: chat.chatId, beneficiaryId: new Types.ObjectId(beneficiaryId), status: 'active' }, { role: 1 })
      .lean()
      .exec();
    // canAct also refuses an authorisation past its end date before the daily job marks it.
    if (!link || !(await this.deps.links.canAct(chat, beneficiaryId))) return { ok: false, reason: 'not_allowed' };
    const eligible = await this.eligibility(beneficiaryId);
    if (!eligible.ok) return eligible;
    const beneficiary = (await this.deps.beneficiaries.byId(beneficiaryId))!;

    const stored = this.storedMethod(method, beneficiary.fullName);
    // The way they are paid already, with no approved change on its way: nothing for staff to review, and no alert to send.
    // (An approved change not yet in effect makes asking for today's method a real change back.)
    if (sameMethod(beneficiary.paymentMethod, stored) && !(await this.changeOnItsWay(beneficiary._id))) return { ok: false, reason: 'same_as_current' };
    for (let attempt = 0; ; attempt++) {
      const reference = newReference();
      try {
        await this.deps.models.requests.create({
          reference,
          beneficiaryId: beneficiary._id,
          provinceCode: beneficiary.provinceCode,
          requestedBy: { channel: chat.channel, chatId: chat.chatId, role: link.role },
          method: stored,
          status: 'submitted',
          slot: `open:${beneficiaryId}`,
          withinMinInterval: eligible.withinMinInterval,
        });
        this.deps.logger.info({ event: 'payment_request_submitted', reference, kind: method.kind }, 'payment-method request submitted');
        await this.alertLinkedChats(beneficiaryId, chat, reference, beneficiary.fullName, stored);
        return { ok: true, reference, withinMinInterval: eligible.withinMinInterval, ...(stored.nameMatches === undefined ? {} : { nameMatches: stored.nameMatches }) };
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        // Another request took the open slot in the same instant: report it, as a pending one.
        const again = await this.eligibility(beneficiaryId);
        if (!again.ok) return again;
        if (attempt >= 3) throw err; // reference collisions four times in a row: something else is wrong
      }
    }
  }

  /**
   * "This was not me", tapped in a linked chat: freezes the request while
   * staff call the beneficiary. Works until the change takes effect, which is
   * what the cooling-off is for.
   */
  async reportNotMe(reference: string, chat: ChatKey): Promise<NotMeResult> {
    if (!isReference(reference)) return 'unknown';
    const request = await this.deps.models.requests.findOne({ reference }).lean().exec();
    if (!request) return 'unknown';
    const linked = await this.deps.links.chatsFor(String(request.beneficiaryId));
    if (!linked.some((c) => c.channel === chat.channel && c.chatId === chat.chatId)) return 'unknown';
    // The slot is left as it is: an approved request has closed it, and the
    // pending check reads the status, which now says frozen.
    const frozen = await this.oneAtATime(request._id, 'not-me', () =>
      this.deps.models.requests
        .findOneAndUpdate(
          { _id: request._id, status: { $in: ['submitted', 'approved'] } },
          { $set: { status: 'frozen', notMe: { channel: chat.channel, chatId: chat.chatId, at: this.deps.now() } } },
          { returnDocument: 'after' },
        )
        .lean()
        .exec(),
    );
    if (!frozen) {
      const now = await this.deps.models.requests.findById(request._id, { status: 1 }).lean().exec();
      return now?.status === 'frozen' ? 'already_frozen' : 'too_late';
    }
    this.deps.logger.warn({ event: 'payment_request_not_me', reference }, 'payment-method request frozen: "this was not me"');
    await this.deps.staffAlerts.send({ text: [m('cashless.alert.staffNotMe', { reference, province: request.provinceCode })] });
    return 'frozen';
  }

  /** The review queue, oldest first, filtered by status and province. */
  async list(filter: { province: string | null; status?: RequestStatus; limit: number }): Promise<RequestView[]> {
    const query: Record<string, unknown> = {};
    if (filter.province) query.provinceCode = filter.province;
    if (filter.status) query.status = filter.status;
    const docs = await this.deps.models.requests.find(query).setOptions(USER_FILTER).sort({ createdAt: 1 }).limit(filter.limit).lean().exec();
    return this.views(docs);
  }

  /** One request by id or reference, or null when missing or outside the province. */
  async get(idOrReference: string, province: string | null): Promise<RequestView | null> {
    const doc = await this.find(idOrReference, province);
    return doc ? (await this.views([doc]))[0]! : null;
  }

  /**
   * Staff approval: only from `submitted`, one status change at a time (a
   * second decision finds another status). Sets the cooling-off and the first period, then
   * tells the requesting chat.
   */
  async approve(idOrReference: string, opts: { province: string | null; reviewer: string; overrideFrequency?: boolean }): Promise<DecisionResult> {
    const doc = await this.find(idOrReference, opts.province);
    if (!doc) return { ok: false, reason: 'not_found' };
    if (doc.status !== 'submitted') return { ok: false, reason: 'conflict', status: doc.status };
    const beneficiary = await this.deps.beneficiaries.byId(doc.beneficiaryId);
    if (!beneficiary) return { ok: false, reason: 'not_found' };
    if (beneficiary.frozen) return { ok: false, reason: 'beneficiary_frozen' };
    const last = await this.lastChange(beneficiary._id, beneficiary.lastMethodChangeAt);
    const now = this.deps.now();
    const { minIntervalDays } = this.deps.payments;
    const tooSoon = last !== undefined && last.getTime() + minIntervalDays * DAY_MS > now.getTime();
    if (tooSoon && !opts.overrideFrequency) return { ok: false, reason: 'too_soon' };

    const { coolingOffUntil, effectiveFromPeriod: period } = this.approvalSchedule(doc.provinceCode, now);
    const updated = await this.oneAtATime(doc._id, 'approve', () =>
      this.deps.models.requests
        .findOneAndUpdate(
          { _id: doc._id, status: 'submitted' },
          {
            $set: {
              status: 'approved',
              reviewedBy: opts.reviewer,
              reviewedAt: now,
              coolingOffUntil,
              effectiveFromPeriod: period,
              overrideFrequency: tooSoon && opts.overrideFrequency === true,
              slot: `closed:${doc.reference}`,
            },
          },
          { returnDocument: 'after' },
        )
        .lean()
        .exec(),
    );
    if (!updated) return this.conflict(doc._id);
    this.deps.logger.info({ event: 'payment_request_approved', reference: doc.reference }, 'payment-method request approved');
    await this.tellRequester(updated, {
      text: [m('cashless.decision.approved', { reference: updated.reference, period: displayPeriod(period) }), methodSummary(updated.method)],
      notice: { kind: 'request_approved', fields: { reference: updated.reference, effective_on: displayPeriod(period), account: updated.method.accountMasked ?? '' } },
    });
    return { ok: true, request: (await this.views([updated]))[0]! };
  }

  /** Staff refusal with a reason the requester is told, from `submitted` or `frozen`. */
  async reject(idOrReference: string, opts: { province: string | null; reviewer: string; reason: string }): Promise<DecisionResult> {
    const doc = await this.find(idOrReference, opts.province);
    if (!doc) return { ok: false, reason: 'not_found' };
    const updated = await this.oneAtATime(doc._id, 'reject', () =>
      this.deps.models.requests
        .findOneAndUpdate(
          { _id: doc._id, status: { $in: PENDING } },
          { $set: { status: 'rejected', reviewedBy: opts.reviewer, reviewedAt: this.deps.now(), reviewReason: opts.reason, slot: `closed:${doc.reference}` } },
          { returnDocument: 'after' },
        )
        .lean()
        .exec(),
    );
    if (!updated) return this.conflict(doc._id);
    this.deps.logger.info({ event: 'payment_request_rejected', reference: doc.reference }, 'payment-method request rejected');
    await this.tellRequester(updated, {
      text: [
        m('cashless.decision.rejected', { reference: updated.reference, reason: opts.reason }),
        m('cashless.decision.rejectedNext', { hotline: this.deps.bhxhHotline }),
      ],
      notice: { kind: 'request_rejected', fields: { reference: updated.reference, reason: opts.reason, hotline: this.deps.bhxhHotline } },
    });
    return { ok: true, request: (await this.views([updated]))[0]! };
  }

  /**
   * Every status change of a request runs under the request's lease (see
   * oneAtATime): otherwise, on FerretDB, two reviewers could both decide, an
   * approval could overwrite a "this was not me" freeze, or the apply job put
   * into effect a change just frozen. Not a single-use claim: statuses come
   * back (applying → approved), and a freeze must wait its turn, not be lost.
   */
  private oneAtATime<T>(id: Types.ObjectId, owner: string, change: () => Promise<T>): Promise<T> {
    return this.deps.oneAtATime(`payment-request:${String(id)}`, owner, change);
  }

  /** When a change approved at `now` would end its cooling-off and take effect (shown to staff before they decide). */
  approvalSchedule(provinceCode: string, now: Date = this.deps.now()): { coolingOffUntil: Date; effectiveFromPeriod: string } {
    const coolingOffUntil = new Date(now.getTime() + this.deps.payments.coolingOffDays * DAY_MS);
    return { coolingOffUntil, effectiveFromPeriod: effectiveFromPeriod(coolingOffUntil, this.deps.paymentStatus.paymentDay(provinceCode)) };
  }

  /** Staff freeze of a beneficiary: no request can be made or approved while set. */
  async setFrozen(bhxhCode: string, province: string | null, frozen: boolean): Promise<{ id: string; frozen: boolean } | null> {
    const filter: Record<string, unknown> = { bhxhCode };
    if (province) filter.provinceCode = province;
    // Found first, then written by _id: no projection inside findAndModify (FerretDB 1.24 refuses it).
    const doc = await this.deps.models.beneficiaries.findOne(filter, { _id: 1 }).setOptions(USER_FILTER).lean().exec();
    if (!doc) return null;
    await this.deps.models.beneficiaries.updateOne({ _id: doc._id }, { $set: { frozen } }).exec();
    return { id: String(doc._id), frozen };
  }

  /**
   * Puts approved changes into effect once their cooling-off is over and their
   * period has come. Each request is first claimed (approved → applying) under
   * the request's lease, so it and a "this was not me" freeze happen one after
   * the other: a frozen request is never claimed, a claimed one is too late to
   * freeze. Then the beneficiary is updated and the
   * request marked effective; a run that crashed in between is picked up again
   * (both writes are idempotent). A frozen beneficiary puts the request back.
   */
  async applyEffective(province: string | null): Promise<{ applied: number; skippedFrozen: number }> {
    const now = this.deps.now();
    const today = vietnamToday(now);
    const currentPeriod = periodKey(today);
    const filter: Record<string, unknown> = {
      $or: [
        { status: 'approved', coolingOffUntil: { $lte: now }, effectiveFromPeriod: { $lte: currentPeriod } },
        { status: 'applying', applyingSince: { $lt: new Date(now.getTime() - STUCK_APPLYING_MS) } },
      ],
    };
    if (province) filter.provinceCode = province;
    const due = await this.deps.models.requests.find(filter).lean().exec();
    let applied = 0;
    let skippedFrozen = 0;
    for (const request of due) {
      const outcome = await this.oneAtATime(request._id, 'apply', () => this.applyOne(request, now));
      if (outcome === 'applied') applied++;
      if (outcome === 'frozen') skippedFrozen++;
    }
    this.deps.logger.info({ event: 'payment_requests_applied', applied, skippedFrozen }, 'approved payment-method changes applied');
    return { applied, skippedFrozen };
  }

  /** One due request of `applyEffective`, under the request's lease: claimed, then the beneficiary updated, then marked. */
  private async applyOne(request: PaymentMethodRequestDoc, now: Date): Promise<'applied' | 'frozen' | 'skipped'> {
    const claimed = await this.deps.models.requests
      .findOneAndUpdate(
        { _id: request._id, status: request.status, ...(request.status === 'applying' ? { applyingSince: request.applyingSince } : {}) },
        { $set: { status: 'applying', applyingSince: now } },
        { returnDocument: 'after', lean: true },
      )
      .exec();
    if (!claimed) return 'skipped';
    const method = claimed.method;
    const paymentMethod: CurrentPaymentMethod = {
      kind: method.kind,
      ...(method.bankBin ? { bankBin: method.bankBin } : {}),
      ...(method.walletProvider ? { walletProvider: method.walletProvider } : {}),
      ...(method.account ? { account: method.account, accountMasked: method.accountMasked, accountIndex: method.accountIndex } : {}),
      ...(method.holderName ? { holderName: method.holderName } : {}),
      since: claimed.effectiveFromPeriod,
    };
    const changed = await this.deps.models.beneficiaries
      .updateOne({ _id: claimed.beneficiaryId, frozen: false }, { $set: { paymentMethod, lastMethodChangeAt: claimed.reviewedAt ?? now } })
      .exec();
    if (changed.matchedCount === 0) {
      await this.deps.models.requests.updateOne({ _id: claimed._id, status: 'applying' }, { $set: { status: 'approved' }, $unset: { applyingSince: 1 } }).exec();
      return 'frozen';
    }
    const marked = await this.deps.models.requests.updateOne({ _id: claimed._id, status: 'applying' }, { $set: { status: 'effective' } }).exec();
    return marked.modifiedCount === 1 ? 'applied' : 'skipped';
  }

  /** Rows for the paying bank or post office, accounts decrypted. Callers must audit. */
  async exportRows(filter: { province: string | null; status: RequestStatus }): Promise<ExportRow[]> {
    const query: Record<string, unknown> = { status: filter.status };
    if (filter.province) query.provinceCode = filter.province;
    const docs = await this.deps.models.requests.find(query).setOptions(USER_FILTER).sort({ createdAt: 1 }).lean().exec();
    const byId = await this.namesOf(docs);
    return docs.map((doc) => {
      const person = byId.get(String(doc.beneficiaryId));
      return {
        reference: doc.reference,
        bhxhCode: person?.bhxhCode ?? '',
        fullName: person?.fullName ?? '',
        method: doc.method.kind,
        bankBin: doc.method.bankBin ?? '',
        bankName: doc.method.bankName ?? '',
        account: doc.method.account ? this.deps.cipher.decrypt(doc.method.account) : '',
        holderName: doc.method.holderName ?? '',
        effectiveFromPeriod: doc.effectiveFromPeriod ?? '',
      };
    });
  }

  private seal(value: string): string {
    return Buffer.from(JSON.stringify(this.deps.cipher.encrypt(value)), 'utf8').toString('base64url');
  }

  private unseal(sealed: string): string {
    const value: EncryptedValue = encryptedValue.parse(JSON.parse(Buffer.from(sealed, 'base64url').toString('utf8')));
    return this.deps.cipher.decrypt(value);
  }

  private storedMethod(method: NewMethod, beneficiaryName: string): PaymentMethodRequestDoc['method'] {
    const { cipher } = this.deps;
    switch (method.kind) {
      case 'bank': {
        const account = this.unseal(method.account);
        const bank = bankByBin(method.bankBin);
        // The flow offered banks from the directory; one gone since (a new release) is refused, not guessed.
        if (!bank) throw invalidInput('bank is not in the bank directory', { bankBin: method.bankBin });
        return {
          kind: 'bank',
          bankBin: bank.bin,
          bankName: bank.shortName,
          account: cipher.encrypt(account),
          accountMasked: maskDigits(account),
          accountIndex: cipher.blindIndex('account', account),
          holderName: method.holderName,
          nameMatches: namesMatch(method.holderName, beneficiaryName),
        };
      }
      case 'ewallet': {
        const phone = this.unseal(method.phone);
        return {
          kind: 'ewallet',
          walletProvider: method.walletProvider,
          account: cipher.encrypt(phone),
          accountMasked: maskPhone(phone),
          accountIndex: cipher.blindIndex('phone', phone),
        };
      }
      case 'cash_post':
        return { kind: 'cash_post' };
      case 'cash_home':
        return { kind: 'cash_home', homeReason: method.homeReason };
    }
  }

  /** The most recent change: the beneficiary's record, or an approved request not yet in effect. */
  private async lastChange(beneficiaryId: Types.ObjectId, recorded: Date | undefined): Promise<Date | undefined> {
    const approved = await this.deps.models.requests
      .findOne({ beneficiaryId, status: 'approved' }, { reviewedAt: 1 })
      .sort({ reviewedAt: -1 })
      .lean()
      .exec();
    const dates = [recorded, approved?.reviewedAt].filter((d): d is Date => d instanceof Date);
    return dates.length === 0 ? undefined : new Date(Math.max(...dates.map((d) => d.getTime())));
  }

  private async find(idOrReference: string, province: string | null): Promise<PaymentMethodRequestDoc | null> {
    let filter: Record<string, unknown>;
    if (/^[0-9a-f]{24}$/.test(idOrReference)) filter = { _id: new Types.ObjectId(idOrReference) };
    else if (isReference(idOrReference)) filter = { reference: idOrReference };
    else return null;
    // Out of province reads as missing: a scoped key must not learn the request exists.
    if (province) filter.provinceCode = province;
    return this.deps.models.requests.findOne(filter).setOptions(USER_FILTER).lean().exec();
  }

  private async conflict(id: Types.ObjectId): Promise<DecisionResult> {
    const now = await this.deps.models.requests.findById(id, { status: 1 }).lean().exec();
    return now ? { ok: false, reason: 'conflict', status: now.status } : { ok: false, reason: 'not_found' };
  }

  /** An approved change for this beneficiary not yet in effect. */
  private async changeOnItsWay(beneficiaryId: Types.ObjectId): Promise<boolean> {
    return (await this.deps.models.requests.countDocuments({ beneficiaryId, status: { $in: ['approved', 'applying'] } }).exec()) > 0;
  }

  /** BHXH code and name of each request's beneficiary, by beneficiary id. */
  private async namesOf(docs: { beneficiaryId: Types.ObjectId }[]): Promise<Map<string, { bhxhCode: string; fullName: string; paymentMethod?: { kind: PaymentMethodKind; bankBin?: string; accountMasked?: string } }>> {
    const people = await this.deps.models.beneficiaries
      .find({ _id: { $in: docs.map((d) => d.beneficiaryId) } }, { bhxhCode: 1, fullName: 1, 'paymentMethod.kind': 1, 'paymentMethod.bankBin': 1, 'paymentMethod.accountMasked': 1 })
      .lean()
      .exec();
    return new Map(people.map((p) => [String(p._id), p]));
  }

  private async views(docs: PaymentMethodRequestDoc[]): Promise<RequestView[]> {
    const byId = await this.namesOf(docs);
    return docs.map((doc) => {
      const person = byId.get(String(doc.beneficiaryId));
      return {
        id: String(doc._id),
        reference: doc.reference,
        status: doc.status,
        provinceCode: doc.provinceCode,
        beneficiary: {
          id: String(doc.beneficiaryId),
          fullName: person?.fullName ?? null,
          bhxhCodeMasked: person ? maskDigits(person.bhxhCode) : null,
          currentMethod: person?.paymentMethod
            ? {
                kind: person.paymentMethod.kind,
                bankName: person.paymentMethod.bankBin ? (bankByBin(person.paymentMethod.bankBin)?.shortName ?? null) : null,
                accountMasked: person.paymentMethod.accountMasked ?? null,
              }
            : null,
        },
        method: {
          kind: doc.method.kind,
          bankBin: doc.method.bankBin ?? null,
          bankName: doc.method.bankName ?? null,
          walletProvider: doc.method.walletProvider ?? null,
          accountMasked: doc.method.accountMasked ?? null,
          holderName: doc.method.holderName ?? null,
          nameMatches: doc.method.nameMatches ?? null,
          homeReason: doc.method.homeReason ?? null,
        },
        requestedBy: { channel: doc.requestedBy.channel, role: doc.requestedBy.role },
        notMe: doc.notMe?.at !== undefined,
        notMeAt: doc.notMe?.at ?? null,
        withinMinInterval: doc.withinMinInterval === true,
        overrideFrequency: doc.overrideFrequency === true,
        effectiveFromPeriod: doc.effectiveFromPeriod ?? null,
        coolingOffUntil: doc.coolingOffUntil ?? null,
        reviewedBy: doc.reviewedBy ?? null,
        reviewedAt: doc.reviewedAt ?? null,
        reviewReason: doc.reviewReason ?? null,
        createdAt: doc.createdAt,
      };
    });
  }

  private async alertLinkedChats(
    beneficiaryId: string,
    requester: ChatKey,
    reference: string,
    fullName: string,
    method: PaymentMethodRequestDoc['method'],
  ): Promise<void> {
    const chats = await this.deps.links.chatsFor(beneficiaryId);
    const reply: Reply = {
      text: [m('cashless.alert.newRequest', { reference, name: fullName }), methodSummary(method), m('cashless.alert.ifNotYou')],
      actions: [{ label: m('cashless.alert.notMeButton'), payload: actionPayload('notme', reference) }],
      // Beyond Zalo's window the "was this you?" alert goes as its template: the one chance to stop a thief.
      notice: { kind: 'bank_change_alert', fields: { full_name: fullName, reference, account: method.accountMasked ?? '', hotline: this.deps.bhxhHotline } },
    };
    for (const chat of chats) {
      // The requester has just seen it all; the others are who an account thief would hide from.
      if (chat.channel === requester.channel && chat.chatId === requester.chatId) continue;
      await this.deps.notify(chat, reply);
    }
  }

  private async tellRequester(request: PaymentMethodRequestDoc, reply: Reply): Promise<void> {
    const chat = { channel: request.requestedBy.channel as ChatKey['channel'], chatId: request.requestedBy.chatId };
    const delivered = await this.deps.notify(chat, reply);
    if (!delivered) this.deps.logger.warn({ event: 'payment_request_decision_undelivered', reference: request.reference }, 'decision not delivered');
  }
}

/** A request for the method the person already has: the same kind, and for an account or wallet the same one. */
function sameMethod(current: CurrentPaymentMethod, asked: PaymentMethodRequestDoc['method']): boolean {
  if (current.kind !== asked.kind) return false;
  if (asked.kind === 'bank') return current.bankBin === asked.bankBin && current.accountIndex !== undefined && current.accountIndex === asked.accountIndex;
  if (asked.kind === 'ewallet') return current.walletProvider === asked.walletProvider && current.accountIndex !== undefined && current.accountIndex === asked.accountIndex;
  return true;
}
