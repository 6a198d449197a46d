import type { Types } from 'mongoose';
import type { DeliveryOutcomeModel } from '../db/models/delivery-outcome.js';
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

  /**
   * A broadcast's template messages (Zalo, beyond the window) that went out, and
   * how many of them Zalo reported delivered to the phone.
   */
  async templateReach(outcomes: DeliveryOutcomeModel, broadcastId: Types.ObjectId): Promise<{ sent: number; delivered: number }> {
    const rows = await outcomes
      .find({ broadcastId, state: 'sent', route: { $in: ['template_uid', 'template_phone'] } }, { receipt: 1 })
      .lean<{ receipt?: string }[]>()
      .exec();
    return { sent: rows.length, delivered: await this.count(rows.flatMap((r) => (r.receipt ? [r.receipt] : []))) };
  }

  init(): Promise<unknown> {
    return this.model.init();
  }
}
