import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { RELATIONSHIPS, type LinkDocument, type LinkRole, type LinkStatus, type Relationship } from '../../vocabulary/links.js';

export { RELATIONSHIPS, type LinkDocument, type LinkRole, type LinkStatus, type Relationship } from '../../vocabulary/links.js';

/**
 * A chat's right to act for a beneficiary. Self links are active once identity
 * is verified; relatives' links wait for staff approval.
 */
export interface BeneficiaryLinkDoc {
  _id: Types.ObjectId;
  channel: string;
  chatId: string;
  beneficiaryId: Types.ObjectId;
  provinceCode: string;
  role: LinkRole;
  relationship?: Relationship;
  status: LinkStatus;
  document?: LinkDocument;
  reviewedBy?: string;
  reviewedAt?: Date;
  reviewReason?: string;
  consentVersion: string;
  reminderSentAt?: Date;
  /** Short code the relative can quote to staff, e.g. "LK-3F9A2C". */
  reference?: string;
  createdAt: Date;
  updatedAt: Date;
}

const documentSchema = new Schema<LinkDocument>(
  {
    kind: { type: String, enum: ['authorisation', 'guardianship'], required: true },
    number: { type: String, required: true },
    issuedOn: { type: String, required: true },
    issuer: { type: String, required: true },
    expiresOn: String,
    photoRef: { type: String, required: true },
  },
  { _id: false },
);

const schema = new Schema<BeneficiaryLinkDoc>(
  {
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    beneficiaryId: { type: Schema.Types.ObjectId, required: true },
    provinceCode: { type: String, required: true },
    role: { type: String, enum: ['self', 'authorised', 'guardian'], required: true },
    relationship: { type: String, enum: RELATIONSHIPS },
    status: { type: String, enum: ['active', 'pending', 'rejected', 'revoked', 'expired'], required: true },
    document: documentSchema,
    reviewedBy: String,
    reviewedAt: Date,
    reviewReason: String,
    consentVersion: { type: String, required: true },
    reminderSentAt: Date,
    reference: String,
  },
  { collection: 'beneficiary_links', versionKey: false, timestamps: true },
);
schema.index({ channel: 1, chatId: 1, beneficiaryId: 1 });
schema.index({ beneficiaryId: 1, status: 1 });
schema.index({ status: 1, provinceCode: 1, createdAt: 1 });
schema.index({ status: 1, 'document.expiresOn': 1 });
schema.index({ reference: 1 });

export type BeneficiaryLinkModel = Model<BeneficiaryLinkDoc>;
export const beneficiaryLinkModel = (c: Connection): BeneficiaryLinkModel =>
  (c.models.BeneficiaryLink as BeneficiaryLinkModel | undefined) ?? c.model<BeneficiaryLinkDoc>('BeneficiaryLink', schema);
