import { isDuplicateKey } from '../db/connect.js';
import type { ProcessedInboundModel } from '../db/models/processed-inbound.js';

/** What `begin` found for a platform update id. */
export type InboundClaim =
  /** Nobody handled it, or a handler died: this caller handles it now. */
  | 'new'
  /** Handled and answered already: drop the redelivery. */
  | 'duplicate'
  /** Another request is handling it right now (the platform gave up waiting and resent it). */
  | 'in_progress';

/** A redelivery arrived while the first delivery is still being handled: answer 5xx so the platform asks again later. */
export class UpdateInProgressError extends Error {
  override name = 'UpdateInProgressError';
  constructor(readonly key: string) {
    super('this update is being handled by another request');
  }
}

/**
 * Remembers platform update ids, so a platform that delivers an update twice
 * gets one reply: an id is claimed for a short while when handling starts and
 * marked done only after success (a failure releases it for the retry).
 */
export class InboundLog {
  constructor(
    private readonly model: ProcessedInboundModel,
    private readonly keepMs = 3 * 24 * 3600_000,
    /** Longer than any turn plus its replies; a claim older than this belonged to a dead handler. */
    private readonly claimMs = 2 * 60_000,
  ) {}

  /**
   * One insert in the common case: the update id's `_id` is unique, so the
   * first delivery inserts its claim and every other finds the row. (A
   * conditional upsert would read the whole collection on FerretDB, and this
   * collection keeps three days of updates.)
   */
  async begin(key: string, now = new Date()): Promise<InboundClaim> {
    const claim = { processingUntil: new Date(now.getTime() + this.claimMs), expiresAt: new Date(now.getTime() + this.keepMs) };
    try {
      await this.model.create({ _id: key, ...claim });
      return 'new';
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    const doc = await this.model.findById(key).lean().exec();
    // Gone between the two calls: a failed handler released it; the platform will resend.
    if (!doc) return 'in_progress';
    if (!doc.processingUntil) return 'duplicate';
    if (doc.processingUntil >= now) return 'in_progress';
    // Its handler died: the redelivery that replaces the stale claim takes over (the rare path; FerretDB may let two through).
    const taken = await this.model.updateOne({ _id: key, processingUntil: doc.processingUntil }, { $set: claim }).exec();
    return taken.modifiedCount > 0 ? 'new' : 'in_progress';
  }

  /**
   * Handles a platform update once: claims `key`, runs `handle`, and marks the
   * key done after it succeeds; a failure releases the claim and rethrows, so
   * the platform's retry is handled. A redelivery calls `onRedelivery`, then
   * answers `{ duplicate: true }` when the update was handled already, or throws
   * UpdateInProgressError while another request is handling it (replying now
   * would send the first delivery's replies a second time).
   */
  async once<T>(key: string, handle: () => Promise<T>, onRedelivery: () => void): Promise<{ duplicate: true } | { duplicate: false; value: T }> {
    const claim = await this.begin(key);
    if (claim !== 'new') {
      onRedelivery();
      if (claim === 'in_progress') throw new UpdateInProgressError(key);
      return { duplicate: true };
    }
    let value: T;
    try {
      value = await handle();
    } catch (err) {
      await this.release(key).catch(() => undefined);
      throw err;
    }
    await this.done(key);
    return { duplicate: false, value };
  }

  async done(key: string): Promise<void> {
    await this.model
      .updateOne({ _id: key }, { $set: { expiresAt: new Date(Date.now() + this.keepMs) }, $unset: { processingUntil: 1 } }, { upsert: true })
      .exec();
  }

  /** Handling failed: drop the claim so the platform's retry is handled at once. */
  async release(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key, processingUntil: { $exists: true } }).exec();
  }

  /** Periodic clean-up in place of a TTL index (FerretDB has none). */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lt: now } }).exec();
    return result.deletedCount;
  }
}
