import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * A delivery a worker is about to send, keyed by the delivery's `_id` and
 * written before the first call: a crash from then on may repeat that send, so
 * duplicates after a crash are bounded by the attempts without an outcome.
 * A later holder's attempt on the same delivery is a duplicate key and ignored.
 */
export interface DeliveryAttemptDoc {
  _id: Types.ObjectId;
  broadcastId: Types.ObjectId;
  owner: string;
  at: Date;
}

const schema = new Schema<DeliveryAttemptDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    owner: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'broadcast_attempts', versionKey: false },
);
schema.index({ broadcastId: 1 });

export type DeliveryAttemptModel = Model<DeliveryAttemptDoc>;
export const deliveryAttemptModel = (c: Connection): DeliveryAttemptModel =>
  (c.models.BroadcastAttempt as DeliveryAttemptModel | undefined) ?? c.model<DeliveryAttemptDoc>('BroadcastAttempt', schema);
