import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { BROADCAST_STATUSES, type BroadcastStatus } from '../../vocabulary/broadcasts.js';
import { AUDIENCE_SOURCES, type AudienceSource } from '../../vocabulary/channels.js';
export { BROADCAST_STATUSES, type BroadcastStatus } from '../../vocabulary/broadcasts.js';

/** What one language version of a notice says. Plain text: staff write it, the bot never formats it. */
export interface BroadcastText {
  text: string;
  /** Label of the link button, when the notice has a link. */
  linkLabel?: string;
}

/** Who receives a notice. Empty lists mean "no restriction" on that attribute. */
export interface AudienceFilter {
  /**
   * `chats` (missing on older broadcasts): the chats that talk to the bot.
   * `register`: every beneficiary with a phone number, through their own chat
   * when they have one, else a Zalo template to that phone (platforms and languages do not apply).
   */
  source?: AudienceSource;
  platforms: string[];
  provinces: string[];
  languages: ('vi' | 'en')[];
  /** true: only chats with an active link to a beneficiary. Province and benefit filters imply it. */
  linkedOnly: boolean;
  benefitTypes: string[];
  /** 3-digit district codes of the linked beneficiary; imply linked chats only. */
  districts: string[];
}

/**
 * A staff notice to many chats, and the outbox bookkeeping of its sending.
 * Deliveries (one per recipient) live in `broadcast_deliveries`.
 */
export interface BroadcastDoc {
  _id: Types.ObjectId;
  title: string;
  content: { vi: BroadcastText; en?: BroadcastText };
  imageUrl?: string;
  linkUrl?: string;
  audience: AudienceFilter;
  /** Province of the author's key; a scoped key may only target its own province. */
  ownerProvince: string | null;
  status: BroadcastStatus;
  /** When to start; null = as soon as approved. */
  sendAt: Date | null;
  /** Sends during quiet hours anyway (urgent scam warnings); recorded and audited. */
  ignoreQuietHours: boolean;
  needsApproval: boolean;
  estimatedRecipients: number | null;
  createdBy: string;
  submittedBy?: string;
  approvedBy?: string;
  approvedAt?: Date;
  cancelledBy?: string;
  cancelledAt?: Date;
  /** A second admin refused it at the approval step (status `rejected`). */
  rejectedBy?: string;
  rejectedAt?: Date;
  rejectionReason?: string;
  /** Outbox: deliveries created so far, and where the audience cursor stopped (resumable). */
  queuedCount: number;
  queueCursor: string | null;
  queueComplete: boolean;
  queueOwner?: string | null;
  queueLeaseUntil?: Date | null;
  batchCount: number;
  startedAt?: Date;
  finishedAt?: Date;
  /** The estimated Zalo template cost (đồng) when submitted, and the prices it used, so the report compares like with like. */
  estimatedCost?: number | null;
  prices?: { uid: number | null; phone: number | null } | null;
  /** The template the content was filled from, and which version of its wording. */
  templateId?: string;
  templateVersion?: number;
  createdAt: Date;
  updatedAt: Date;
}

const textSchema = new Schema<BroadcastText>({ text: { type: String, required: true }, linkLabel: String }, { _id: false });

const schema = new Schema<BroadcastDoc>(
  {
    title: { type: String, required: true },
    content: { vi: { type: textSchema, required: true }, en: textSchema },
    imageUrl: String,
    linkUrl: String,
    audience: {
      source: { type: String, enum: AUDIENCE_SOURCES, default: 'chats' },
      platforms: { type: [String], default: [] },
      provinces: { type: [String], default: [] },
      languages: { type: [String], default: [] },
      linkedOnly: { type: Boolean, default: false },
      benefitTypes: { type: [String], default: [] },
      districts: { type: [String], default: [] },
    },
    ownerProvince: { type: String, default: null },
    status: { type: String, enum: BROADCAST_STATUSES, required: true },
    sendAt: { type: Date, default: null },
    ignoreQuietHours: { type: Boolean, default: false },
    needsApproval: { type: Boolean, default: false },
    estimatedRecipients: { type: Number, default: null },
    createdBy: { type: String, required: true },
    submittedBy: String,
    approvedBy: String,
    approvedAt: Date,
    cancelledBy: String,
    cancelledAt: Date,
    rejectedBy: String,
    rejectedAt: Date,
    rejectionReason: String,
    queuedCount: { type: Number, default: 0 },
    queueCursor: { type: String, default: null },
    queueComplete: { type: Boolean, default: false },
    queueOwner: { type: String, default: null },
    queueLeaseUntil: { type: Date, default: null },
    batchCount: { type: Number, default: 0 },
    startedAt: Date,
    finishedAt: Date,
    templateId: String,
    templateVersion: Number,
    estimatedCost: { type: Number, default: null },
    prices: { type: { _id: false, uid: Number, phone: Number }, default: null },
  },
  { collection: 'broadcasts', versionKey: false, timestamps: true },
);
schema.index({ status: 1, sendAt: 1 });
schema.index({ ownerProvince: 1, createdAt: -1 });

export type BroadcastModel = Model<BroadcastDoc>;
export const broadcastModel = (c: Connection): BroadcastModel =>
  (c.models.Broadcast as BroadcastModel | undefined) ?? c.model<BroadcastDoc>('Broadcast', schema);
