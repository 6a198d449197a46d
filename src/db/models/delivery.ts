import { Schema, type Connection, type Model, type Types } from 'mongoose';

export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'blocked', 'failed', 'skipped'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
export const FINAL_DELIVERY_STATES: readonly DeliveryState[] = ['sent', 'blocked', 'failed', 'skipped'];

/**
 * One recipient of one broadcast. `sending` means a send may be in flight:
 * after a crash such a row is sent again, so duplicates are bounded by what was in flight.
 */
export interface DeliveryDoc {
  _id: Types.ObjectId;
  broadcastId: Types.ObjectId;
  /** Work unit a worker leases (see broadcast_batches). */
  batchNo: number;
  channel: string;
  chatId: string;
  locale: 'vi' | 'en';
  state: DeliveryState;
  /** Stable code, e.g. `http_500`, `network`, `bad_request`, `outside_window`, `unsubscribed`, `cancelled`. */
  reason?: string;
  attempts: number;
  owner?: string;
  finishedAt?: Date;
}

const schema = new Schema<DeliveryDoc>(
  {
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    batchNo: { type: Number, required: true },
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    locale: { type: String, enum: ['vi', 'en'], required: true },
    state: { type: String, enum: DELIVERY_STATES, required: true },
    reason: String,
    attempts: { type: Number, default: 0 },
    owner: String,
    finishedAt: Date,
  },
  { collection: 'broadcast_deliveries', versionKey: false },
);
// Re-running the audience stream after a crash must not queue anyone twice.
schema.index({ broadcastId: 1, channel: 1, chatId: 1 }, { unique: true });
schema.index({ broadcastId: 1, batchNo: 1 });
// Also answers the report's first and last send time without sorting every row.
schema.index({ broadcastId: 1, state: 1, finishedAt: 1 });

export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel = (c: Connection): DeliveryModel =>
  (c.models.BroadcastDelivery as DeliveryModel | undefined) ?? c.model<DeliveryDoc>('BroadcastDelivery', schema);
