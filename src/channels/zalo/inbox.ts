import type { Claims, Lease } from '../../db/claims.js';
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
  /** Held while this instance processes the row; complete/release let it go. */
  lease: Lease;
}

/** Pending rows looked at per drain pass when no key is given. */
const CANDIDATES = 20;

/**
 * The durable inbox of verified Zalo OA events. The webhook saves an event and only
 * then acknowledges, so a crash after the 200 loses nothing: whatever is still
 * pending is drained on restart. Several instances share it through a lease per
 * row (Claims: a unique insert, atomic on FerretDB too), so each event is handled
 * by one instance at a time, and the row's unique `_id` (the event key) makes a
 * redelivery a no-op. `leaseUntil` on the row is only "not before" (a retry's back-off).
 */
export class ZaloInbox {
  constructor(
    private readonly model: ZaloInboxModel,
    private readonly claims: Claims,
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

  /** Leases one given row, or the oldest pending row that is due and free. */
  async claim(owner: string, key?: string): Promise<InboxRow | undefined> {
    const now = new Date(this.now());
    const keys = key
      ? [key]
      : (await this.model.find({ status: 'pending', leaseUntil: { $lte: now } }, { _id: 1 }).sort({ receivedAt: 1 }).limit(CANDIDATES).lean<{ _id: string }[]>().exec()).map((d) => d._id);
    for (const candidate of keys) {
      const lease = await this.claims.lease(`zalo-inbox:${candidate}`, owner, LEASE_MS);
      if (!lease) continue;
      // Read after winning: the row may have been finished by the lease's previous holder.
      const doc = await this.model.findById(candidate).lean<ZaloInboxDoc>().exec();
      if (!doc || doc.status !== 'pending' || !doc.event || doc.leaseUntil.getTime() > this.now()) {
        await lease.release();
        continue;
      }
      const attempts = doc.attempts + 1;
      await this.model.updateOne({ _id: candidate }, { $set: { attempts } }).exec();
      return { key: candidate, event: doc.event, attempts, lease };
    }
    return undefined;
  }

  /** Marks a row processed and drops its body; `outcome` records a non-crash failure. */
  async complete(row: InboxRow, outcome?: { outcome: string; errorCode?: number }): Promise<void> {
    await this.model
      .updateOne(
        { _id: row.key },
        { $set: { status: 'done', event: null, doneAt: new Date(this.now()), outcome: outcome?.outcome ?? null, errorCode: outcome?.errorCode ?? null } },
      )
      .exec();
    await row.lease.release();
  }

  /** Gives a row back after a failure, to retry later; set aside after MAX_ATTEMPTS. */
  async release(row: InboxRow, errorCode?: number): Promise<'retry' | 'failed'> {
    const failed = row.attempts >= MAX_ATTEMPTS;
    const backoff = Math.min(60_000, 1000 * 2 ** row.attempts);
    await this.model
      .updateOne(
        { _id: row.key },
        failed
          ? { $set: { status: 'failed', event: null, doneAt: new Date(this.now()), outcome: 'gave_up', errorCode: errorCode ?? null } }
          : { $set: { leaseUntil: new Date(this.now() + backoff), errorCode: errorCode ?? null } },
      )
      .exec();
    await row.lease.release();
    return failed ? 'failed' : 'retry';
  }

  /** Forgets processed rows older than `keepMs`; a redelivery after that is processed again. */
  async purge(keepMs = 3 * 24 * 3600_000): Promise<number> {
    const res = await this.model.deleteMany({ status: { $in: ['done', 'failed'] }, doneAt: { $lt: new Date(this.now() - keepMs) } }).exec();
    return res.deletedCount;
  }
}
