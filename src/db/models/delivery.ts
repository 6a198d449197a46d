import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { CHANNEL_NAMES, type ChannelName } from '../../vocabulary/channels.js';
export { DELIVERY_STATES, FINAL_DELIVERY_STATES, type DeliveryState, type FinalDeliveryState } from '../../vocabulary/broadcasts.js';

/**
 * One recipient of one broadcast, written once when the audience is queued and
 * never updated. Its state is derived: `sending` once a row in
 * `broadcast_attempts` names it, final once a row in `broadcast_outcomes` does
 * (see src/broadcast/ledger.ts). Inserts only: on FerretDB 1.24 every update
 * reads the whole table, so a row updated twice per send cannot keep pace.
 */
export interface DeliveryDoc {
  _id: Types.ObjectId;
  broadcastId: Types.ObjectId;
  /** Work unit a worker leases (see broadcast_batches). */
  batchNo: number;
  channel: ChannelName;
  chatId: string;
  locale: 'vi' | 'en';
}

const schema = new Schema<DeliveryDoc>(
  {
    broadcastId: { type: Schema.Types.ObjectId, required: true },
    batchNo: { type: Number, required: true },
    channel: { type: String, enum: CHANNEL_NAMES, required: true },
    chatId: { type: String, required: true },
    locale: { type: String, enum: ['vi', 'en'], required: true },
  },
  { collection: 'broadcast_deliveries', versionKey: false },
);
// Re-running the audience stream after a crash must not queue anyone twice.
schema.index({ broadcastId: 1, channel: 1, chatId: 1 }, { unique: true });
schema.index({ broadcastId: 1, batchNo: 1 });

export type DeliveryModel = Model<DeliveryDoc>;
export const deliveryModel = (c: Connection): DeliveryModel =>
  (c.models.BroadcastDelivery as DeliveryModel | undefined) ?? c.model<DeliveryDoc>('BroadcastDelivery', schema);
