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
   * A broadcast's sends the platform can report on (those that carry its message
   * id: Zalo's template messages), per route, and how many it reported delivered.
   */
  async byRoute(outcomes: DeliveryOutcomeModel, broadcastId: Types.ObjectId): Promise<Record<string, { sent: number; delivered: number }>> {
    const rows = await outcomes
      .find({ broadcastId, state: 'sent', receipt: { $exists: true } }, { route: 1, receipt: 1 })
      .lean<{ route?: string; receipt: string }[]>()
      .exec();
    const ids = new Map<string, string[]>();
    for (const r of rows) ids.set(r.route ?? 'message', [...(ids.get(r.route ?? 'message') ?? []), r.receipt]);
    const out: Record<string, { sent: number; delivered: number }> = {};
    for (const [route, receipts] of ids) out[route] = { sent: receipts.length, delivered: await this.count(receipts) };
    return out;
  }

  init(): Promise<unknown> {
    return this.model.init();
  }
}
