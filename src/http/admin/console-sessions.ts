import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConsoleSessionModel } from '../../db/models/console-session.js';
import type { StaffIdentity, StaffKeyService } from '../../domain/staff-keys.js';

/** Name of the cookie that carries the session token. */
export const SESSION_COOKIE = 'lhb_console';
/** A session ends this long after sign-in even if it stays busy: a desk left signed in overnight is not. */
export const SESSION_MAX_AGE_MS = 12 * 3600_000;
/** lastSeenAt is refreshed at most this often; idle timeouts are minutes, so seconds of slack cost nothing. */
const TOUCH_RESOLUTION_MS = 30_000;
const MAX_TOKEN_LENGTH = 128;

const sha256 = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

/**
 * The CSRF token is derived from the session token rather than stored: it is
 * worthless without the cookie, and a cross-site page can read neither.
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('csrf').digest('base64url');
}

export function csrfMatches(sessionToken: string, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(csrfTokenFor(sessionToken));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Sign-in sessions of the staff web console, stored in MongoDB so every instance sees them. */
export class ConsoleSessionService {
  constructor(
    private readonly model: ConsoleSessionModel,
    private readonly staffKeys: StaffKeyService,
    private readonly idleMs: number,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get idleMinutes(): number {
    return Math.round(this.idleMs / 60_000);
  }

  /** Opens a session for an authenticated key; the token is returned once, for the cookie. */
  async create(staff: StaffIdentity): Promise<{ token: string; csrfToken: string }> {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    await this.model.create({
      tokenHash: sha256(token),
      keyId: staff.keyId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_MAX_AGE_MS),
    });
    return { token, csrfToken: csrfTokenFor(token) };
  }

  /**
   * The staff behind a session token, or null when it is unknown, idle too
   * long, past its lifetime or its key was revoked. A live session is touched.
   */
  async resolve(token: string): Promise<StaffIdentity | null> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const doc = await this.model.findOne({ tokenHash: sha256(token) }).lean().exec();
    if (!doc) return null;
    const now = this.now();
    if (now.getTime() - doc.lastSeenAt.getTime() > this.idleMs || now >= doc.expiresAt) {
      await this.model.deleteOne({ _id: doc._id }).exec();
      return null;
    }
    const staff = await this.staffKeys.activeIdentity(doc.keyId.toHexString());
    if (!staff) {
      await this.model.deleteOne({ _id: doc._id }).exec();
      return null;
    }
    if (now.getTime() - doc.lastSeenAt.getTime() >= TOUCH_RESOLUTION_MS) {
      await this.model.updateOne({ _id: doc._id }, { $set: { lastSeenAt: now } }).exec();
    }
    return staff;
  }

  async end(token: string): Promise<void> {
    if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return;
    await this.model.deleteOne({ tokenHash: sha256(token) }).exec();
  }

  /** Deletes sessions that can no longer be used (no TTL indexes on FerretDB, so a periodic job does it). */
  async purgeExpired(now = this.now()): Promise<number> {
    const idleBefore = new Date(now.getTime() - this.idleMs);
    const result = await this.model.deleteMany({ $or: [{ expiresAt: { $lte: now } }, { lastSeenAt: { $lt: idleBefore } }] }).exec();
    return result.deletedCount;
  }
}
