import { Types } from 'mongoose';
import type { BeneficiaryDoc } from '../db/models/beneficiary.js';
import type { ChatKey } from '../messaging/types.js';
import { maskDigits } from '../security/mask.js';
import type { Claims } from '../db/claims.js';
import type { Logger } from '../logger.js';
import type { BeneficiaryRegistry } from './beneficiaries.js';
import type { DomainModels } from './deps.js';

/** Failed checks within this window count toward a lockout. */
export const LOCKOUT_WINDOW_MS = 24 * 60 * 60 * 1000;
/** How many failed checks within the window lock the chat. */
export const LOCKOUT_THRESHOLD = 5;
/**
 * How many failed checks against one record, from any chats, lock the record.
 * Higher than a chat's: a stranger who knows a pensioner's BHXH code must not
 * lock the owner out with five guesses, yet guessing from many chats stays bounded.
 */
export const RECORD_LOCKOUT_THRESHOLD = 20;
/** How long a lockout lasts. */
export const LOCKOUT_MS = 24 * 60 * 60 * 1000;
/**
 * Checks run per chat and record within the window, whatever their outcome and
 * however many arrive at once: each takes a slot first (Claims.take, a unique
 * insert), so a burst of answers cannot run more checks than this.
 */
export const CHECKS_PER_RECORD = 5;
/** Checks run per chat within the window, across records. */
export const CHECKS_PER_CHAT = 10;

/** Which identifier a person typed; detected from its length. */
export type IdentifierKind = 'bhxh' | 'cccd';

/** A record that matched every check; only masked or public fields. */
export interface VerifiedBeneficiary {
  beneficiaryId: string;
  fullName: string;
  bhxhCodeMasked: string;
  provinceCode: string;
}

/**
 * Outcome of an identity check. A mismatch never says which field was wrong:
 * telling "the date is wrong" would confirm that the identifier exists.
 */
export type VerifyResult =
  | { status: 'ok'; beneficiary: VerifiedBeneficiary }
  /** `triesLeft`: failures this chat may still make before it is locked. */
  | { status: 'mismatch'; triesLeft: number }
  | { status: 'locked'; until: Date };

export interface IdentityServiceDeps {
  models: Pick<DomainModels, 'identityAttempts' | 'beneficiaries'>;
  beneficiaries: Pick<BeneficiaryRegistry, 'byBhxhCode' | 'byCccd' | 'byId' | 'hasPhone'>;
  /** Check slots per chat and record (attempt windows). */
  claims: Pick<Claims, 'take' | 'resetAttempts'>;
  logger: Logger;
  now: () => Date;
}

/**
 * Identity checks (link my own record, register for a relative) and the
 * lockout after repeated failures. A lockout closes self-service both for the
 * chat that failed and for the records it tried, so moving to another phone or
 * account does not buy more guesses at someone's date of birth.
 */
export class IdentityService {
  constructor(private readonly deps: IdentityServiceDeps) {}

  /**
   * The record an identifier names, or null. The id goes into conversation
   * state instead of the identifier itself, so no CCCD is kept in clear there.
   */
  async findBeneficiaryId(kind: IdentifierKind, value: string): Promise<string | null> {
    const doc = kind === 'bhxh' ? await this.deps.beneficiaries.byBhxhCode(value) : await this.deps.beneficiaries.byCccd(value);
    return doc ? String(doc._id) : null;
  }

  /** When self-service ends being locked for this chat (and this record, if given); null when open. */
  async lockedUntil(chat: ChatKey, beneficiaryId?: string | null): Promise<Date | null> {
    const { chat: chatLock, record } = await this.locks(chat, beneficiaryId);
    if (chatLock && record) return chatLock > record ? chatLock : record;
    return chatLock ?? record;
  }

  /** The chat's lock and the record's, apart: a record locked by others' failures may still open to its owner. */
  async locks(chat: ChatKey, beneficiaryId?: string | null): Promise<{ chat: Date | null; record: Date | null }> {
    const now = this.deps.now();
    const chatLock = await this.deps.models.identityAttempts
      .findOne({ channel: chat.channel, chatId: chat.chatId, lockedUntil: { $gt: now } }, { lockedUntil: 1 })
      .sort({ lockedUntil: -1 })
      .lean()
      .exec();
    let record: Date | null = null;
    if (beneficiaryId && Types.ObjectId.isValid(beneficiaryId)) {
      const doc = await this.deps.models.beneficiaries.findById(beneficiaryId, { selfServiceLockedUntil: 1 }).lean().exec();
      const recordLock = doc?.selfServiceLockedUntil;
      if (recordLock && recordLock > now) record = recordLock;
    }
    return { chat: chatLock?.lockedUntil ?? null, record };
  }

  /**
   * Checks a person linking their own record: the record must exist, its date
   * of birth must equal `birthDate` (YYYY-MM-DD) and `phone` (canonical
   * 0XXXXXXXXX) must be one of its phones. Every outcome is recorded.
   */
  async verifySelf(chat: ChatKey, input: { beneficiaryId: string | null; birthDate: string; phone: string; verifiedPhone?: boolean }): Promise<VerifyResult> {
    const ownsPhone = (doc: BeneficiaryDoc) => this.deps.beneficiaries.hasPhone(doc, input.phone);
    // A phone number the platform verified (Telegram's own contact, Zalo's shared user info) that the
    // register holds opens a record locked by other chats' failures: a stranger cannot lock the owner out.
    const escape = input.verifiedPhone ? ownsPhone : undefined;
    return this.verify(chat, 'self', input.beneficiaryId, (doc) => doc.birthDate === input.birthDate && ownsPhone(doc), escape);
  }

  /**
   * Checks a relative registering for a beneficiary: the record must exist and
   * its date of birth must equal `birthDate`. Failures count toward the same
   * lockout as self links.
   */
  async verifyRelative(chat: ChatKey, input: { beneficiaryId: string | null; birthDate: string }): Promise<VerifyResult> {
    return this.verify(chat, 'relative', input.beneficiaryId, (doc) => doc.birthDate === input.birthDate);
  }

  private async verify(
    chat: ChatKey,
    purpose: 'self' | 'relative',
    beneficiaryId: string | null,
    matches: (doc: BeneficiaryDoc) => boolean,
    opensRecordLock?: (doc: BeneficiaryDoc) => boolean,
  ): Promise<VerifyResult> {
    const locks = await this.locks(chat, beneficiaryId);
    if (locks.chat) return { status: 'locked', until: locks.chat };
    const doc = beneficiaryId && Types.ObjectId.isValid(beneficiaryId) ? await this.deps.beneficiaries.byId(beneficiaryId) : null;
    const escaped = locks.record !== null && doc !== null && opensRecordLock?.(doc) === true;
    if (locks.record && !escaped) return { status: 'locked', until: locks.record };
    const slot = await this.takeCheckSlot(chat, beneficiaryId);
    if (slot) return { status: 'locked', until: slot };
    const now = this.deps.now();
    const attempt = { channel: chat.channel, chatId: chat.chatId, beneficiaryId: doc?._id ?? null, purpose, at: now };
    if (doc && matches(doc)) {
      await this.deps.models.identityAttempts.create({ ...attempt, success: true });
      // The right answer was given: the checks it took no longer count against this chat.
      await this.resetCheckSlots(chat, beneficiaryId);
      // The owner proved it with a platform-verified phone: the lock others' guesses put on the record is lifted.
      if (escaped) await this.deps.models.beneficiaries.updateOne({ _id: doc._id }, { $set: { selfServiceLockedUntil: null } }).exec();
      this.deps.logger.info({ event: 'identity_verified', channel: chat.channel, purpose, beneficiaryId: String(doc._id) }, 'identity check passed');
      return {
        status: 'ok',
        beneficiary: { beneficiaryId: String(doc._id), fullName: doc.fullName, bhxhCodeMasked: maskDigits(doc.bhxhCode), provinceCode: doc.provinceCode },
      };
    }
    const created = await this.deps.models.identityAttempts.create({ ...attempt, success: false });
    this.deps.logger.info({ event: 'identity_mismatch', channel: chat.channel, purpose, recordMatched: doc !== null }, 'identity check failed');
    const lockout = await this.applyLockout(chat, doc?._id ?? null, created._id, now);
    return lockout.until ? { status: 'locked', until: lockout.until } : { status: 'mismatch', triesLeft: lockout.triesLeft };
  }

  /** Takes a check slot for this chat (and record); the end of the wait when none is left, else null. */
  private async takeCheckSlot(chat: ChatKey, beneficiaryId: string | null): Promise<Date | null> {
    const perChat = await this.deps.claims.take(checkScope(chat), CHECKS_PER_CHAT, LOCKOUT_WINDOW_MS);
    if (!perChat.ok) return perChat.retryAt;
    const perRecord = await this.deps.claims.take(checkScope(chat, beneficiaryId), CHECKS_PER_RECORD, LOCKOUT_WINDOW_MS);
    if (!perRecord.ok) {
      this.deps.logger.warn({ event: 'identity_checks_exhausted', channel: chat.channel }, 'identity check refused: no check left in the window');
      return perRecord.retryAt;
    }
    return null;
  }

  private async resetCheckSlots(chat: ChatKey, beneficiaryId: string | null): Promise<void> {
    await this.deps.claims.resetAttempts(checkScope(chat), LOCKOUT_WINDOW_MS);
    await this.deps.claims.resetAttempts(checkScope(chat, beneficiaryId), LOCKOUT_WINDOW_MS);
  }

  /**
   * Locks the chat once it has failed LOCKOUT_THRESHOLD times within the
   * window, and a record once it has been failed against
   * RECORD_LOCKOUT_THRESHOLD times from any chats. Returns the end of the lock
   * that now applies to this chat, or how many failures it has left.
   */
  private async applyLockout(chat: ChatKey, beneficiaryId: Types.ObjectId | null, attemptId: Types.ObjectId, now: Date): Promise<{ until: Date | null; triesLeft: number }> {
    const until = new Date(now.getTime() + LOCKOUT_MS);
    const chatFilter = { channel: chat.channel, chatId: chat.chatId };
    const chatFailures = await this.failuresSinceSuccess(chatFilter, now);
    const chatLocked = chatFailures.length >= LOCKOUT_THRESHOLD;
    if (chatLocked) await this.deps.models.identityAttempts.updateOne({ _id: attemptId }, { $set: { lockedUntil: until } }).exec();
    let recordLocked = false;
    if (beneficiaryId) {
      const recordFailures = await this.failuresSinceSuccess({ beneficiaryId }, now);
      recordLocked = recordFailures.length >= RECORD_LOCKOUT_THRESHOLD;
      if (recordLocked) await this.deps.models.beneficiaries.updateOne({ _id: beneficiaryId }, { $set: { selfServiceLockedUntil: until } }).exec();
    }
    if (chatLocked || recordLocked) {
      this.deps.logger.warn({ event: 'self_service_locked', channel: chat.channel, chatLocked, recordLocked }, 'self-service locked after repeated failures');
    }
    return { until: chatLocked || recordLocked ? until : null, triesLeft: Math.max(0, LOCKOUT_THRESHOLD - chatFailures.length) };
  }

  /**
   * Deletes attempts that can no longer count toward or hold a lockout (no TTL
   * indexes on FerretDB: run it periodically). Returns how many were removed.
   */
  async purgeOld(now: Date): Promise<number> {
    const before = new Date(now.getTime() - LOCKOUT_WINDOW_MS - LOCKOUT_MS);
    const res = await this.deps.models.identityAttempts.deleteMany({ at: { $lt: before } }).exec();
    return res.deletedCount;
  }

  /** Failed attempts matching `filter` in the window, after the latest success. */
  private async failuresSinceSuccess(filter: Record<string, unknown>, now: Date): Promise<{ beneficiaryId?: Types.ObjectId | null }[]> {
    const since = new Date(now.getTime() - LOCKOUT_WINDOW_MS);
    const lastSuccess = await this.deps.models.identityAttempts
      .findOne({ ...filter, success: true, at: { $gte: since } }, { at: 1 })
      .sort({ at: -1, _id: -1 })
      .lean()
      .exec();
    const failures = await this.deps.models.identityAttempts
      .find({ ...filter, success: false, at: { $gte: lastSuccess ? lastSuccess.at : since } }, { beneficiaryId: 1, at: 1 })
      .lean()
      .exec();
    if (!lastSuccess) return failures;
    // Attempts in the same millisecond as the success are ordered by id (insertion order).
    return failures.filter((f) => f.at > lastSuccess.at || String(f._id) > String(lastSuccess._id));
  }
}

/** The attempt chain of a chat's identity checks, across records or for one record. */
function checkScope(chat: ChatKey, beneficiaryId?: string | null): string {
  const base = `identity:${chat.channel}:${chat.chatId}`;
  return beneficiaryId === undefined ? base : `${base}:${beneficiaryId ?? 'none'}`;
}

/** "14:05 ngày 24/11/2026"-style parts of an instant in Vietnam time (UTC+7, no daylight saving). */
export function vietnamDateTime(at: Date): { time: string; date: string } {
  const local = new Date(at.getTime() + 7 * 60 * 60 * 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return {
    time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`,
    date: `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`,
  };
}
