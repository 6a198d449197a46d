import type { ProcessedInboundModel } from '../db/models/processed-inbound.js';

/**
 * Remembers platform update ids whose handling finished, so a platform that
 * delivers an update twice gets one reply. Marked only after success.
 */
export class InboundLog {
  constructor(
    private readonly model: ProcessedInboundModel,
    private readonly keepMs = 3 * 24 * 3600_000,
  ) {}

  async seen(key: string): Promise<boolean> {
    return (await this.model.exists({ _id: key }).exec()) !== null;
  }

  async done(key: string): Promise<void> {
    await this.model
      .updateOne({ _id: key }, { $set: { expiresAt: new Date(Date.now() + this.keepMs) } }, { upsert: true })
      .exec();
  }

  /** Periodic clean-up in place of a TTL index (FerretDB has none). */
  async purgeExpired(now = new Date()): Promise<number> {
    const result = await this.model.deleteMany({ expiresAt: { $lt: now } }).exec();
    return result.deletedCount;
  }
}
