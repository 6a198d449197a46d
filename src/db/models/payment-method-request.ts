import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { EncryptedValue } from '../../security/pii-crypto.js';
import { PAYMENT_METHODS, type PaymentMethodKind } from './beneficiary.js';
import { encryptedSchema } from './encrypted.js';
import { REQUEST_STATUSES, type RequestStatus } from '../../vocabulary/requests.js';
export { REQUEST_STATUSES, type RequestStatus } from '../../vocabulary/requests.js';

/**
 * A request to change how a beneficiary is paid. submitted → approved/rejected
 * → effective; "this was not me" freezes it; staff decide every step.
 */
export interface PaymentMethodRequestDoc {
  _id: Types.ObjectId;
  reference: string;
  beneficiaryId: Types.ObjectId;
  provinceCode: string;
  requestedBy: { channel: string; chatId: string; role: string };
  method: {
    kind: PaymentMethodKind;
    bankBin?: string;
    bankName?: string;
    walletProvider?: string;
    account?: EncryptedValue;
    accountMasked?: string;
    accountIndex?: string;
    holderName?: string;
    /** Holder name equals the beneficiary's, ignoring diacritics and case. */
    nameMatches?: boolean;
    /** Why cash at home (bedridden, cannot travel, other). */
    homeReason?: string;
  };
  /**
   * `open:<beneficiaryId>` while submitted or frozen, `closed:<reference>` after.
   * Unique, so two requests for one beneficiary can never be pending at once,
   * even when two chats submit in the same instant (no partial indexes on FerretDB).
   */
  slot: string;
  /** Submitted within `minIntervalDays` of the last change: approval needs `overrideFrequency`. */
  withinMinInterval?: boolean;
  status: RequestStatus;
  notMe?: { channel: string; chatId: string; at: Date };
  /** Staff allowed a change within 90 days of the last one. */
  overrideFrequency?: boolean;
  effectiveFromPeriod?: string;
  coolingOffUntil?: Date;
  applyingSince?: Date;
  reviewedBy?: string;
  reviewedAt?: Date;
  reviewReason?: string;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<PaymentMethodRequestDoc>(
  {
    reference: { type: String, required: true },
    beneficiaryId: { type: Schema.Types.ObjectId, required: true },
    provinceCode: { type: String, required: true },
    requestedBy: {
      channel: { type: String, required: true },
      chatId: { type: String, required: true },
      role: { type: String, required: true },
    },
    method: {
      kind: { type: String, enum: PAYMENT_METHODS, required: true },
      bankBin: String,
      bankName: String,
      walletProvider: String,
      account: encryptedSchema,
      accountMasked: String,
      accountIndex: String,
      holderName: String,
      nameMatches: Boolean,
      homeReason: String,
    },
    slot: { type: String, required: true },
    withinMinInterval: Boolean,
    status: { type: String, enum: REQUEST_STATUSES, required: true },
    notMe: { channel: String, chatId: String, at: Date },
    overrideFrequency: Boolean,
    effectiveFromPeriod: String,
    coolingOffUntil: Date,
    applyingSince: Date,
    reviewedBy: String,
    reviewedAt: Date,
    reviewReason: String,
  },
  { collection: 'payment_method_requests', versionKey: false, timestamps: true },
);
schema.index({ reference: 1 }, { unique: true });
schema.index({ slot: 1 }, { unique: true });
schema.index({ beneficiaryId: 1, status: 1 });
schema.index({ status: 1, coolingOffUntil: 1 });
schema.index({ status: 1, provinceCode: 1, createdAt: 1 });

export type PaymentMethodRequestModel = Model<PaymentMethodRequestDoc>;
export const paymentMethodRequestModel = (c: Connection): PaymentMethodRequestModel =>
  (c.models.PaymentMethodRequest as PaymentMethodRequestModel | undefined) ??
  c.model<PaymentMethodRequestDoc>('PaymentMethodRequest', schema);
