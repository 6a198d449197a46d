import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { PAYMENT_METHODS, type PaymentMethodKind } from './beneficiary.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../../vocabulary/benefits.js';
export { PAYMENT_STATUSES, type PaymentStatus } from '../../vocabulary/benefits.js';

/** One row of the monthly payment ledger: one beneficiary, one period. */
export interface PaymentDoc {
  _id: Types.ObjectId;
  beneficiaryId: Types.ObjectId;
  bhxhCode: string;
  provinceCode: string;
  period: string; // YYYY-MM
  amount: number;
  method: PaymentMethodKind;
  status: PaymentStatus;
  date?: string; // YYYY-MM-DD: paid on, or scheduled for
  destinationMasked?: string;
  importHash?: string;
  /** The status the people linked to it were last told of (payment-arrival notices): told once per status. */
  noticeSent?: PaymentStatus;
  updatedAt: Date;
}

const schema = new Schema<PaymentDoc>(
  {
    beneficiaryId: { type: Schema.Types.ObjectId, required: true },
    bhxhCode: { type: String, required: true },
    provinceCode: { type: String, required: true },
    period: { type: String, required: true },
    amount: { type: Number, required: true },
    method: { type: String, enum: PAYMENT_METHODS, required: true },
    status: { type: String, enum: PAYMENT_STATUSES, required: true },
    date: String,
    destinationMasked: String,
    importHash: String,
    noticeSent: { type: String, enum: PAYMENT_STATUSES },
  },
  { collection: 'payments', versionKey: false, timestamps: { createdAt: false, updatedAt: true } },
);
schema.index({ beneficiaryId: 1, period: 1 }, { unique: true });
schema.index({ provinceCode: 1, period: 1, status: 1 });

export type PaymentModel = Model<PaymentDoc>;
export const paymentModel = (c: Connection): PaymentModel =>
  (c.models.Payment as PaymentModel | undefined) ?? c.model<PaymentDoc>('Payment', schema);
