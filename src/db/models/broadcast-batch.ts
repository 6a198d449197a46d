import { Schema, Types, type Connection, type Model } from 'mongoose';
import type { ChannelName } from '../../vocabulary/channels.js';

const { ObjectId } = Types;

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
  /**
   * The batch's deliveries, packed (see packRecipients): a worker sends without
   * reading them back. One string rather than arrays of ids and sub-documents
   * because FerretDB decodes every field of every batch document on each
   * candidate query; packed, a batch of 200 is one value instead of 1 000.
   * Absent on batches queued before it: those read their deliveries.
   */
  packed?: string;
  /** Times a worker claimed it: after the first, some of its deliveries may already be final. */
  takes?: number;
}

export interface BatchRecipient {
  _id: Types.ObjectId;
  channel: ChannelName;
  chatId: string;
  locale: 'vi' | 'en';
}

export const packRecipients = (rows: readonly BatchRecipient[]): string => JSON.stringify(rows.map((r) => [String(r._id), r.channel, r.chatId, r.locale]));

export const unpackRecipients = (packed: string): BatchRecipient[] =>
  (JSON.parse(packed) as [string, ChannelName, string, 'vi' | 'en'][]).map(([id, channel, chatId, locale]) => ({ _id: new ObjectId(id), channel, chatId, locale }));

const schema = new Schema<BroadcastBatchDoc>(
  {
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    batchNo: { type: Number, required: true },
    state: { type: String, enum: ['open', 'done'], required: true },
    owner: { type: String, default: null },
    leaseUntil: { type: Date, default: null },
    size: { type: Number, required: true },
    packed: String,
    takes: { type: Number, default: 0 },
  },
  { collection: 'broadcast_batches', versionKey: false },
);
schema.index({ broadcastId: 1, batchNo: 1 }, { unique: true });
schema.index({ state: 1 });

export type BroadcastBatchModel = Model<BroadcastBatchDoc>;
export const broadcastBatchModel = (c: Connection): BroadcastBatchModel =>
  (c.models.BroadcastBatch as BroadcastBatchModel | undefined) ?? c.model<BroadcastBatchDoc>('BroadcastBatch', schema);
