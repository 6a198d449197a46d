import { Types } from 'mongoose';
import type { BeneficiaryLinkDoc, LinkDocument, LinkRole, LinkStatus, Relationship } from '../db/models/beneficiary-link.js';
import { m } from '../messaging/messages.js';
import type { ChatKey } from '../messaging/types.js';
import { maskDigits } from '../security/mask.js';
import type { Claims } from '../db/claims.js';
import type { Logger } from '../logger.js';
import { formatDate, isoDate, vietnamToday, type CalendarDate } from './validators/dates.js';
import type { BeneficiaryRegistry } from './beneficiaries.js';
import type { DomainModels, Notify } from './deps.js';
import { notFound } from './errors.js';

/** A beneficiary this chat may act for (an active link). */
export interface LinkedBeneficiary {
  beneficiaryId: string;
  fullName: string;
  bhxhCodeMasked: string;
  provinceCode: string;
  role: LinkRole;
}

/** What a relative registers: who, how related, and the paper that allows it. */
export interface RelativeLinkInput {
  beneficiaryId: string;
  relationship: Relationship;
  document: LinkDocument;
  consentVersion: string;
}

/** A relative's link as staff review it: identifiers masked, no chat id. */
export interface LinkReviewView {
  id: string;
  reference: string | null;
  status: LinkStatus;
  role: LinkRole;
  relationship: Relationship | null;
  channel: string;
  provinceCode: string;
  beneficiary: { id: string; bhxhCodeMasked: string; fullName: string } | null;
  document: { kind: LinkDocument['kind']; number: string; issuedOn: string; issuer: string; expiresOn: string | null; photoRef: string } | null;
  consentVersion: string;
  createdAt: Date;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewReason: string | null;
}

/** Outcome of a staff decision; `already_decided` when another decision got there first. */
export type LinkDecisionResult = { status: 'not_found' } | { status: 'already_decided'; current: LinkStatus } | { status: 'ok'; link: LinkReviewView; notified: boolean };

/** Reminders go out this many days before an authorisation ends. */
export const REMINDER_DAYS = 30;

export interface LinkServiceDeps {
  models: Pick<DomainModels, 'links' | 'beneficiaries'>;
  beneficiaries: Pick<BeneficiaryRegistry, 'byId'>;
  /** Single-use claims on a decision and on a reminder. */
  claims: Pick<Claims, 'once' | 'forget'>;
  /** Tells the relative of a decision or an ending authorisation. */
  notify: Notify;
  logger: Logger;
  now: () => Date;
}

/** Links between chats and beneficiaries: self links, relatives' links awaiting staff approval, reminders. */
export class LinkService {
  constructor(private readonly deps: LinkServiceDeps) {}

  /** Beneficiaries this chat may act for now. Pending, rejected or expired links do not count. */
  async activeFor(chat: ChatKey): Promise<LinkedBeneficiary[]> {
    const links = await this.deps.models.links
      .find({ channel: chat.channel, chatId: chat.chatId, status: 'active', ...this.notExpired() })
      .sort({ createdAt: 1 })
      .lean()
      .exec();
    if (links.length === 0) return [];
    const people = await this.deps.models.beneficiaries
      .find({ _id: { $in: links.map((l) => l.beneficiaryId) } }, { fullName: 1, bhxhCode: 1, provinceCode: 1 })
      .lean()
      .exec();
    const byId = new Map(people.map((p) => [String(p._id), p]));
    return links.flatMap((link) => {
      const person = byId.get(String(link.beneficiaryId));
      if (!person) return [];
      return [
        {
          beneficiaryId: String(person._id),
          fullName: person.fullName,
          bhxhCodeMasked: maskDigits(person.bhxhCode),
          provinceCode: person.provinceCode,
          role: link.role,
        },
      ];
    });
  }

  /** True only for an active link: a relative can do nothing before staff approve. */
  async canAct(chat: ChatKey, beneficiaryId: string): Promise<boolean> {
    if (!Types.ObjectId.isValid(beneficiaryId)) return false;
    const link = await this.deps.models.links
      .exists({ channel: chat.channel, chatId: chat.chatId, beneficiaryId: new Types.ObjectId(beneficiaryId), status: 'active', ...this.notExpired() })
      .exec();
    return link !== null;
  }

  /** Every chat actively linked to a beneficiary (to warn them all of a change). */
  async chatsFor(beneficiaryId: string): Promise<ChatKey[]> {
    const links = await this.deps.models.links
      .find({ beneficiaryId: new Types.ObjectId(beneficiaryId), status: 'active' }, { channel: 1, chatId: 1 })
      .lean()
      .exec();
    return links.map((l) => ({ channel: l.channel as ChatKey['channel'], chatId: l.chatId }));
  }

  /** An active self link after a successful identity check (idempotent). */
  async createSelfLink(chat: ChatKey, beneficiaryId: string, consentVersion: string): Promise<void> {
    const beneficiary = await this.deps.beneficiaries.byId(beneficiaryId);
    // The id came from an identity check earlier in the conversation; the record may have gone since.
    if (!beneficiary) throw notFound('beneficiary');
    await this.deps.models.links
      .updateOne(
        { channel: chat.channel, chatId: chat.chatId, beneficiaryId: beneficiary._id, role: 'self' },
        { $set: { status: 'active', provinceCode: beneficiary.provinceCode, consentVersion } },
        { upsert: true },
      )
      .exec();
  }

  /**
   * A relative's requests from this chat still waiting for staff, with the
   * reference to quote: a chat with nobody linked yet is told of them rather
   * than that it has linked no one.
   */
  async pendingFor(chat: ChatKey): Promise<{ reference: string; fullName: string }[]> {
    const links = await this.deps.models.links
      .find({ channel: chat.channel, chatId: chat.chatId, status: 'pending' }, { beneficiaryId: 1, reference: 1 })
      .sort({ _id: 1 })
      .lean()
      .exec();
    const pending: { reference: string; fullName: string }[] = [];
    for (const link of links) {
      const person = await this.deps.beneficiaries.byId(String(link.beneficiaryId));
      if (person && link.reference) pending.push({ reference: link.reference, fullName: person.fullName });
    }
    return pending;
  }

  /** The link this chat already has to a beneficiary that still counts (active or pending), if any. */
  async openLinkStatus(chat: ChatKey, beneficiaryId: string): Promise<'active' | 'pending' | null> {
    if (!Types.ObjectId.isValid(beneficiaryId)) return null;
    const link = await this.deps.models.links
      .findOne(
        { channel: chat.channel, chatId: chat.chatId, beneficiaryId: new Types.ObjectId(beneficiaryId), status: { $in: ['active', 'pending'] } },
        { status: 1 },
      )
      .lean()
      .exec();
    return link ? (link.status as 'active' | 'pending') : null;
  }

  /**
   * A relative's link, created `pending`: it gives no right to act until staff
   * approve the document. Returns the reference the relative can quote.
   */
  async createRelativeLink(chat: ChatKey, input: RelativeLinkInput): Promise<{ id: string; reference: string }> {
    const beneficiary = await this.deps.beneficiaries.byId(input.beneficiaryId);
    if (!beneficiary) throw notFound('beneficiary');
    const _id = new Types.ObjectId();
    const reference = `LK-${String(_id).slice(-6).toUpperCase()}`;
    await this.deps.models.links.create({
      _id,
      channel: chat.channel,
      chatId: chat.chatId,
      beneficiaryId: beneficiary._id,
      provinceCode: beneficiary.provinceCode,
      role: input.relationship === 'guardian' ? 'guardian' : 'authorised',
      relationship: input.relationship,
      status: 'pending',
      document: input.document,
      consentVersion: input.consentVersion,
      reference,
    });
    this.deps.logger.info({ event: 'relative_link_created', channel: chat.channel, linkId: String(_id) }, 'relative link awaiting review');
    return { id: String(_id), reference };
  }

  /** Relatives' links for staff, oldest first; `province` null means every province. */
  async listForReview(opts: { status: LinkStatus; province: string | null; limit: number }): Promise<LinkReviewView[]> {
    const filter: Record<string, unknown> = { status: opts.status, role: { $ne: 'self' } };
    if (opts.province !== null) filter.provinceCode = opts.province;
    const links = await this.deps.models.links.find(filter).sort({ createdAt: 1 }).limit(opts.limit).lean().exec();
    return this.reviewViews(links);
  }

  /** One relative's link, or null when missing or outside `province`. */
  async reviewItem(id: string, province: string | null): Promise<LinkReviewView | null> {
    const link = await this.findForStaff(id, province);
    return link ? ((await this.reviewViews([link]))[0] ?? null) : null;
  }

  /**
   * Approves or rejects a pending link, once: two reviewers (or a double
   * click) cannot both decide. The relative is told in their own channel and
   * language.
   *
   * A link leaves `pending` only once, so a single-use claim on that picks the
   * decider. The conditional update alone would not: FerretDB 1.24 applies it
   * as "read, then write by _id" (issue #3040) and several callers can win.
   */
  async decide(id: string, decision: { approve: boolean; province: string | null; reviewer: string; reason?: string }): Promise<LinkDecisionResult> {
    const existing = await this.findForStaff(id, decision.province);
    if (!existing) return { status: 'not_found' };
    if (existing.status !== 'pending') return { status: 'already_decided', current: existing.status };
    const claim = `link-decision:${String(existing._id)}`;
    if (!(await this.deps.claims.once(claim))) return this.alreadyDecided(existing);
    const set: Record<string, unknown> = { status: decision.approve ? 'active' : 'rejected', reviewedBy: decision.reviewer, reviewedAt: this.deps.now() };
    if (!decision.approve) set.reviewReason = decision.reason ?? '';
    const updated = await this.deps.models.links
      .findOneAndUpdate({ _id: existing._id, status: 'pending' }, { $set: set }, { returnDocument: 'after', lean: true })
      .exec();
    if (!updated) {
      // No longer pending for another reason (the daily job expired it): nothing was decided here.
      await this.deps.claims.forget(claim);
      return this.alreadyDecided(existing);
    }
    const [view] = await this.reviewViews([updated]);
    const chat: ChatKey = { channel: updated.channel as ChatKey['channel'], chatId: updated.chatId };
    const params = { name: view?.beneficiary?.fullName ?? '', code: view?.beneficiary?.bhxhCodeMasked ?? '' };
    const notified = decision.approve
      ? await this.deps.notify(chat, { text: [m('linkRelative.approved', params)] })
      : await this.deps.notify(chat, { text: [m('linkRelative.rejected', { ...params, reason: decision.reason ?? '' })] });
    this.deps.logger.info({ event: 'relative_link_decided', linkId: id, approved: decision.approve, notified }, 'relative link decided');
    return { status: 'ok', link: view!, notified };
  }

  /**
   * Daily housekeeping for authorisations: a reminder (once per link) to
   * relatives whose authorisation ends within REMINDER_DAYS days, and links
   * whose authorisation has ended marked `expired`, which ends the right to act.
   */
  async remindExpiring(now: Date): Promise<{ reminded: number; expired: number }> {
    const today = vietnamToday(now);
    const todayKey = isoDate(today);
    const horizonKey = isoDate(addDays(today, REMINDER_DAYS));
    const expired = await this.deps.models.links
      .updateMany({ status: { $in: ['active', 'pending'] }, 'document.expiresOn': { $lt: todayKey } }, { $set: { status: 'expired' } })
      .exec();
    const due = await this.deps.models.links
      .find({ status: 'active', 'document.expiresOn': { $gte: todayKey, $lte: horizonKey }, reminderSentAt: { $exists: false } }, { _id: 1 })
      .lean()
      .exec();
    let reminded = 0;
    for (const { _id } of due) {
      // Claimed before sending, so two instances running the job never both
      // remind: a single-use claim, as FerretDB may let both win the
      // conditional update (issue #3040).
      const claim = `link-reminder:${String(_id)}`;
      if (!(await this.deps.claims.once(claim))) continue;
      const link = await this.deps.models.links
        .findOneAndUpdate({ _id, status: 'active', reminderSentAt: { $exists: false } }, { $set: { reminderSentAt: now } }, { returnDocument: 'after', lean: true })
        .exec();
      if (!link?.document?.expiresOn) {
        await this.deps.claims.forget(claim);
        continue;
      }
      const person = await this.deps.beneficiaries.byId(link.beneficiaryId);
      const [y, mo, d] = link.document.expiresOn.split('-').map(Number);
      const date = formatDate({ year: y ?? 0, month: mo ?? 0, day: d ?? 0 });
      await this.deps.notify(
        { channel: link.channel as ChatKey['channel'], chatId: link.chatId },
        {
          text: [m('linkRelative.expiryReminder', { name: person?.fullName ?? '', date })],
          notice: { kind: 'authorisation_expiring', fields: { full_name: person?.fullName ?? '', expires_on: date } },
        },
      );
      reminded++;
    }
    if (reminded > 0 || expired.modifiedCount > 0) {
      this.deps.logger.info({ event: 'link_expiry_housekeeping', reminded, expired: expired.modifiedCount }, 'authorisation reminders and expiries');
    }
    return { reminded, expired: expired.modifiedCount };
  }

  /**
   * An authorisation past its end date gives no right to act, even before the
   * daily job has marked it `expired`. Self links and guardianships have no end.
   */
  private notExpired(): Record<string, unknown> {
    const today = isoDate(vietnamToday(this.deps.now()));
    return { $or: [{ 'document.expiresOn': { $exists: false } }, { 'document.expiresOn': null }, { 'document.expiresOn': { $gte: today } }] };
  }

  /** A decision lost to another: the status that one set (still `pending` if it has not landed yet). */
  private async alreadyDecided(link: BeneficiaryLinkDoc): Promise<LinkDecisionResult> {
    const current = await this.deps.models.links.findById(link._id, { status: 1 }).lean().exec();
    return { status: 'already_decided', current: current?.status ?? link.status };
  }

  private async findForStaff(id: string, province: string | null): Promise<BeneficiaryLinkDoc | null> {
    if (!Types.ObjectId.isValid(id)) return null;
    const filter: Record<string, unknown> = { _id: new Types.ObjectId(id), role: { $ne: 'self' } };
    if (province !== null) filter.provinceCode = province;
    return this.deps.models.links.findOne(filter).lean().exec();
  }

  private async reviewViews(links: BeneficiaryLinkDoc[]): Promise<LinkReviewView[]> {
    const people = await this.deps.models.beneficiaries
      .find({ _id: { $in: links.map((l) => l.beneficiaryId) } }, { fullName: 1, bhxhCode: 1 })
      .lean()
      .exec();
    const byId = new Map(people.map((p) => [String(p._id), p]));
    return links.map((link) => {
      const person = byId.get(String(link.beneficiaryId));
      const doc = link.document;
      return {
        id: String(link._id),
        reference: link.reference ?? null,
        status: link.status,
        role: link.role,
        relationship: link.relationship ?? null,
        channel: link.channel,
        provinceCode: link.provinceCode,
        beneficiary: person ? { id: String(person._id), bhxhCodeMasked: maskDigits(person.bhxhCode), fullName: person.fullName } : null,
        document: doc
          ? { kind: doc.kind, number: doc.number, issuedOn: doc.issuedOn, issuer: doc.issuer, expiresOn: doc.expiresOn ?? null, photoRef: doc.photoRef }
          : null,
        consentVersion: link.consentVersion,
        createdAt: link.createdAt,
        reviewedAt: link.reviewedAt ?? null,
        reviewedBy: link.reviewedBy ?? null,
        reviewReason: link.reviewReason ?? null,
      };
    });
  }
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}
