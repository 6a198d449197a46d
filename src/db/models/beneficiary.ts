import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { EncryptedValue } from '../../security/pii-crypto.js';
import { encryptedSchema } from './encrypted.js';
import { BENEFIT_TYPES, PAYMENT_METHODS, type BenefitType, type PaymentMethodKind } from '../../vocabulary/benefits.js';
export { BENEFIT_TYPES, PAYMENT_METHODS, type BenefitType, type PaymentMethodKind } from '../../vocabulary/benefits.js';

/** How a beneficiary is paid now. Account numbers are encrypted; the masked form is for display. */
export interface CurrentPaymentMethod {
  kind: PaymentMethodKind;
  bankBin?: string;
  walletProvider?: string;
  account?: EncryptedValue;
  accountMasked?: string;
  accountIndex?: string;
  holderName?: string;
  /** First period paid this way, YYYY-MM. */
  since?: string;
}

/**
 * A person on the social-insurance payment list, imported by staff.
 * CCCD and phones are encrypted; blind indexes allow exact lookups.
 */
export interface BeneficiaryDoc {
  _id: Types.ObjectId;
  bhxhCode: string;
  cccd?: EncryptedValue;
  cccdIndex?: string;
  fullName: string;
  birthDate: string; // YYYY-MM-DD
  gender: 'male' | 'female';
  phones: EncryptedValue[];
  phoneIndexes: string[];
  provinceCode: string;
  districtCode?: string;
  communeCode?: string;
  benefitType: BenefitType;
  monthlyAmount: number;
  paymentMethod: CurrentPaymentMethod;
  /** Staff freeze: no payment-method change while set. */
  frozen: boolean;
  lastMethodChangeAt?: Date;
  selfServiceLockedUntil?: Date | null;
  /** Hash of the last imported row, so re-importing the same file changes nothing. */
  importHash?: string;
  createdAt: Date;
  updatedAt: Date;
}

const methodSchema = new Schema<CurrentPaymentMethod>(
  {
    kind: { type: String, enum: PAYMENT_METHODS, required: true },
    bankBin: String,
    walletProvider: String,
    account: encryptedSchema,
    accountMasked: String,
    accountIndex: String,
    holderName: String,
    since: String,
  },
  { _id: false },
);

const schema = new Schema<BeneficiaryDoc>(
  {
    bhxhCode: { type: String, required: true },
    cccd: encryptedSchema,
    cccdIndex: String,
    fullName: { type: String, required: true },
    birthDate: { type: String, required: true },
    gender: { type: String, enum: ['male', 'female'], required: true },
    phones: { type: [encryptedSchema], default: [] },
    phoneIndexes: { type: [String], default: [] },
    provinceCode: { type: String, required: true },
    districtCode: String,
    communeCode: String,
    benefitType: { type: String, enum: BENEFIT_TYPES, required: true },
    monthlyAmount: { type: Number, required: true },
    paymentMethod: { type: methodSchema, required: true },
    frozen: { type: Boolean, default: false },
    lastMethodChangeAt: Date,
    selfServiceLockedUntil: { type: Date, default: null },
    importHash: String,
  },
  { collection: 'beneficiaries', versionKey: false, timestamps: true },
);
schema.index({ bhxhCode: 1 }, { unique: true });
schema.index({ cccdIndex: 1 });
schema.index({ phoneIndexes: 1 });
schema.index({ provinceCode: 1, districtCode: 1, benefitType: 1 });
schema.index({ provinceCode: 1, 'paymentMethod.kind': 1 });

export type BeneficiaryModel = Model<BeneficiaryDoc>;
export const beneficiaryModel = (c: Connection): BeneficiaryModel =>
  (c.models.Beneficiary as BeneficiaryModel | undefined) ?? c.model<BeneficiaryDoc>('Beneficiary', schema);
