import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A slice of one broadcast's deliveries that one worker sends at a time. The
 * lease is a claim (src/db/claims.ts), so instances share the work and a crashed
 * worker's slice is taken over once its lease runs out; `owner` and `leaseUntil`
 * here only keep held or parked batches out of the candidate list.
 */
export interface BroadcastBatchDoc {
  _id: Types.ObjectId;
  broadcastId: Types.ObjectId;
  batchNo: number;
  /** open: waiting or leased; done: every delivery in it is final. */
  state: 'open' | 'done';
  owner: string | null;
  leaseUntil: Date | null;
  size: number;
  /** The batch's deliveries (absent on batches queued before this field). */
  deliveryIds?: Types.ObjectId[];
  /** Who they go to, in the order of `deliveryIds`: a worker sends without reading the deliveries back. */
  recipients?: BatchRecipient[];
  /** Times a worker claimed it: after the first, some of its deliveries may already be final. */
  takes?: number;
}

export interface BatchRecipient {
  channel: string;
  chatId: string;
  locale: 'vi' | 'en';
}

const schema = new Schema<BroadcastBatchDoc>(
  {
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    batchNo: { type: Number, required: true },
    state: { type: String, enum: ['open', 'done'], required: true },
    owner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    size: { type: Number, required: true },
    deliveryIds: { type: [Schema.Types.ObjectId], default: undefined },
    recipients: { type: [{ _id: false, channel: String, chatId: String, locale: String }], default: undefined },
    takes: { type: Number, default: 0 },
  },
  { collection: 'broadcast_batches', versionKey: false },
);
schema.index({ broadcastId: 1, batchNo: 1 }, { unique: true });
schema.index({ state: 1 });

export type BroadcastBatchModel = Model<BroadcastBatchDoc>;
export const broadcastBatchModel = (c: Connection): BroadcastBatchModel =>
  (c.models.BroadcastBatch as BroadcastBatchModel | undefined) ?? c.model<BroadcastBatchDoc>('BroadcastBatch', schema);
