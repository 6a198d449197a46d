import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { FRAUD_CATEGORIES, FRAUD_STATUSES, type FraudCategory, type FraudStatus } from '../../vocabulary/fraud.js';
export { FRAUD_CATEGORIES, FRAUD_STATUSES, type FraudCategory, type FraudStatus } from '../../vocabulary/fraud.js';

/** A fraud report from a chat user; cases with money lost are urgent. */
export interface FraudReportDoc {
  _id: Types.ObjectId;
  caseNumber: string;
  category: FraudCategory;
  description: string;
  /** The scammer's phone, link or account, as reported. */
  scammerContact?: string;
  moneyLost: boolean;
  amountLost?: number;
  photoRefs: string[];
  severity: 'urgent' | 'normal';
  status: FraudStatus;
  notes: { at: Date; by: string; text: string }[];
  /** Removed when the reporter erases their data; the case stays. */
  reporter?: { channel: string; chatId: string } | null;
  reporterLocale: 'vi' | 'en';
  provinceCode?: string | null;
  staffAlertedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<FraudReportDoc>(
  {
    caseNumber: { type: String, required: true },
    category: { type: String, enum: FRAUD_CATEGORIES, required: true },
    description: { type: String, required: true, maxlength: 4000 },
    scammerContact: { type: String, maxlength: 500 },
    moneyLost: { type: Boolean, required: true },
    amountLost: Number,
    photoRefs: { type: [String], default: [] },
    severity: { type: String, enum: ['urgent', 'normal'], required: true },
    status: { type: String, enum: FRAUD_STATUSES, default: 'new' },
    notes: { type: [{ at: Date, by: String, text: String, _id: false }], default: [] },
    reporter: { type: { channel: String, chatId: String, _id: false }, default: null },
    reporterLocale: { type: String, enum: ['vi', 'en'], default: 'vi' },
    provinceCode: { type: String, default: null },
    staffAlertedAt: Date,
  },
  { collection: 'fraud_reports', versionKey: false, timestamps: true },
);
schema.index({ caseNumber: 1 }, { unique: true });
schema.index({ status: 1, provinceCode: 1, createdAt: -1 });
schema.index({ 'reporter.channel': 1, 'reporter.chatId': 1 });
// The admin list filters by category or severity within a province, newest first.
schema.index({ provinceCode: 1, createdAt: -1 });

export type FraudReportModel = Model<FraudReportDoc>;
export const fraudReportModel = (c: Connection): FraudReportModel =>
  (c.models.FraudReport as FraudReportModel | undefined) ?? c.model<FraudReportDoc>('FraudReport', schema);
