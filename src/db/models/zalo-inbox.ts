import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Verified Zalo webhook events, saved before Zalo gets its 200 (it allows 2 s) and
 * processed afterwards. `_id` is the event's unique key, so a redelivery is refused
 * by the unique index. The event body is removed once processed (it may hold
 * message text); the row stays as the dedupe record until purged.
 */
export interface ZaloInboxDoc {
  _id: string;
  channel: 'zalo';
  status: 'pending' | 'done' | 'failed';
  /** The verified event as received, until processed. */
  event: Record<string, unknown> | null;
  attempts: number;
  /** Not before: a failed row's retry waits until then (the processing lease itself is a claim). */
  leaseUntil: Date;
  receivedAt: Date;
  doneAt: Date | null;
  /** Why sending the replies failed without crashing (e.g. outside_window, -230). */
  outcome: string | null;
  errorCode: number | null;
}

const schema = new Schema<ZaloInboxDoc>(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    status: { type: String, enum: ['pending', 'done', 'failed'], required: true },
    event: { type: Schema.Types.Mixed, default: null },
    attempts: { type: Number, default: 0 },
    leaseUntil: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    doneAt: { type: Date, default: null },
    outcome: { type: String, default: null },
    errorCode: { type: Number, default: null },
  },
  { collection: 'zalo_inbox', versionKey: false, minimize: false },
);
schema.index({ status: 1, leaseUntil: 1 });
schema.index({ doneAt: 1 });

export type ZaloInboxModel = Model<ZaloInboxDoc>;
export const zaloInboxModel = (c: Connection): ZaloInboxModel =>
  (c.models.ZaloInbox as ZaloInboxModel | undefined) ?? c.model<ZaloInboxDoc>('ZaloInbox', schema);
