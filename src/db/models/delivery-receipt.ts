import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A platform's word that a sent message reached the person's phone (Zalo's
 * `user_received_message` event), keyed by the platform's message id: written
 * once, whatever the number of retries of the event.
 */
export interface DeliveryReceiptDoc {
  _id: string;
  deliveredAt: Date;
}

const schema = new Schema<DeliveryReceiptDoc>({ _id: { type: String, required: true }, deliveredAt: { type: Date, required: true } }, { collection: 'delivery_receipts', versionKey: false });

export type DeliveryReceiptModel = Model<DeliveryReceiptDoc>;
export const deliveryReceiptModel = (c: Connection): DeliveryReceiptModel =>
  (c.models.DeliveryReceipt as DeliveryReceiptModel | undefined) ?? c.model<DeliveryReceiptDoc>('DeliveryReceipt', schema);
