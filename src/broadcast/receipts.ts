import { isDuplicateKey } from '../db/connect.js';
import type { DeliveryReceiptModel } from '../db/models/delivery-receipt.js';

/**
 * Delivery receipts: a channel reports that a message it sent reached the
 * phone; the broadcast report counts delivered deliveries by the message ids
 * recorded on their outcomes. Built before the channels, which report into it.
 */
export class DeliveryReceipts {
  constructor(private readonly model: DeliveryReceiptModel) {}

  /** Records one receipt; a repeated event is a no-op. */
  async record(messageId: string, deliveredAt: Date): Promise<void> {
    try {
      await this.model.create({ _id: messageId, deliveredAt });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
  }

  /** How many of these message ids have a receipt. */
  async count(messageIds: readonly string[]): Promise<number> {
    if (messageIds.length === 0) return 0;
    return this.model.countDocuments({ _id: { $in: messageIds } }).exec();
  }

  init(): Promise<unknown> {
    return this.model.init();
  }
}
