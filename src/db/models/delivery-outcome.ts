import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { FINAL_DELIVERY_STATES, type FinalDeliveryState } from './delivery.js';

/**
 * The final state of one delivery, keyed by the delivery's `_id`: the unique
 * insert lets exactly one writer decide it (a worker's send, a cancel's skip),
 * on FerretDB and MongoDB alike. Recipient fields are copied so a report lists
 * who failed and why without a join.
 */
export interface DeliveryOutcomeDoc {
  _id: Types.ObjectId;
  broadcastId: Types.ObjectId;
  channel: string;
  chatId: string;
  state: FinalDeliveryState;
  /** Stable code, e.g. `http_500`, `network`, `bad_request`, `outside_window`, `unsubscribed`, `cancelled`. */
  reason?: string;
  /** How a sent notice went when the platform had a choice: `template_uid` (a Zalo template beyond the window); absent: as a message. */
  route?: string;
  /** The platform's message id, when it reports delivery later (see delivery_receipts). */
  receipt?: string;
  /** Whether a send was attempted first (an attempt row exists), so `sending` = attempts − attempted outcomes. */
  attempted: boolean;
  /** The worker that decided it (null for a staff cancel). */
  owner: string | null;
  /** HTTP calls made for it in its last claim (retries included). */
  tries: number;
  finishedAt: Date;
}

const schema = new Schema<DeliveryOutcomeDoc>(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    state: { type: String, enum: FINAL_DELIVERY_STATES, required: true },
    reason: String,
    route: String,
    receipt: String,
    attempted: { type: Boolean, required: true },
    owner: { type: String, default: null },
    tries: { type: Number, default: 0 },
    finishedAt: { type: Date, required: true },
  },
  { collection: 'broadcast_outcomes', versionKey: false },
);
// Also answers the report's first and last send time without sorting every row.
schema.index({ broadcastId: 1, state: 1, finishedAt: 1 });

export type DeliveryOutcomeModel = Model<DeliveryOutcomeDoc>;
export const deliveryOutcomeModel = (c: Connection): DeliveryOutcomeModel =>
  (c.models.BroadcastOutcome as DeliveryOutcomeModel | undefined) ?? c.model<DeliveryOutcomeDoc>('BroadcastOutcome', schema);
