import { isDuplicateKey } from '../../db/connect.js';
import type { ZaloInboxDoc, ZaloInboxModel } from '../../db/models/zalo-inbox.js';

/** Lease on a row while one instance processes it; a crashed holder frees it by expiry. */
const LEASE_MS = 60_000;
/** After this many failed attempts a row is set aside as failed (and logged). */
export const MAX_ATTEMPTS = 5;

export interface InboxRow {
  key: string;
  event: Record<string, unknown>;
  attempts: number;
}

/**
 * The durable inbox of verified Zalo OA events. The webhook saves an event and only
 * then acknowledges, so a crash after the 200 loses nothing: whatever is still
 * pending is drained on restart. Several instances share it through leases taken
 * with findOneAndUpdate, so each event is handled by one instance at a time, and
 * the row's unique `_id` (the event key) makes a redelivery a no-op.
 */
export class ZaloInbox {
  constructor(
    private readonly model: ZaloInboxModel,
    private readonly now: () => number = Date.now,
  ) {}

  /** Saves a verified event; false when the key was already saved (a redelivery). */
  async accept(key: string, event: Record<string, unknown>): Promise<boolean> {
    try {
      await this.model.create({
        _id: key,
        channel: 'zalo',
        status: 'pending',
        event,
        attempts: 0,
        leaseOwner: null,
        leaseUntil: new Date(0),
        receivedAt: new Date(this.now()),
        doneAt: null,
        outcome: null,
        errorCode: null,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Leases one given row, or the oldest pending row whose lease is free. */
  async claim(owner: string, key?: string): Promise<InboxRow | undefined> {
    const now = new Date(this.now());
    const doc = await this.model
      .findOneAndUpdate(
        { ...(key ? { _id: key } : {}), status: 'pending', leaseUntil: { $lte: now } },
        { $set: { leaseOwner: owner, leaseUntil: new Date(this.now() + LEASE_MS) }, $inc: { attempts: 1 } },
        { returnDocument: 'after', sort: { receivedAt: 1 } },
      )
      .lean<ZaloInboxDoc>()
      .exec();
    if (!doc || !doc.event) return undefined;
    return { key: doc._id, event: doc.event, attempts: doc.attempts };
  }

  /** Marks a row processed and drops its body; `outcome` records a non-crash failure. */
  async complete(key: string, owner: string, outcome?: { outcome: string; errorCode?: number }): Promise<void> {
    await this.model
      .updateOne(
        { _id: key, leaseOwner: owner },
        { $set: { status: 'done', event: null, doneAt: new Date(this.now()), leaseOwner: null, outcome: outcome?.outcome ?? null, errorCode: outcome?.errorCode ?? null } },
      )
      .exec();
  }

  /** Gives a row back after a failure, to retry later; set aside after MAX_ATTEMPTS. */
  async release(key: string, owner: string, attempts: number, errorCode?: number): Promise<'retry' | 'failed'> {
    const failed = attempts >= MAX_ATTEMPTS;
    const backoff = Math.min(60_000, 1000 * 2 ** attempts);
    await this.model
      .updateOne(
        { _id: key, leaseOwner: owner },
        failed
          ? { $set: { status: 'failed', event: null, leaseOwner: null, doneAt: new Date(this.now()), outcome: 'gave_up', errorCode: errorCode ?? null } }
          : { $set: { leaseOwner: null, leaseUntil: new Date(this.now() + backoff), errorCode: errorCode ?? null } },
      )
      .exec();
    return failed ? 'failed' : 'retry';
  }

  /** Forgets processed rows older than `keepMs`; a redelivery after that is processed again. */
  async purge(keepMs = 3 * 24 * 3600_000): Promise<number> {
    const res = await this.model.deleteMany({ status: { $in: ['done', 'failed'] }, doneAt: { $lt: new Date(this.now() - keepMs) } }).exec();
    return res.deletedCount;
  }
}
