import { Schema, type Connection, type Model, type Types } from 'mongoose';

/**
 * One identity check (link my record). Failures in the last 24 hours decide
 * lockouts, per chat and per beneficiary. Old rows are purged periodically.
 */
export interface IdentityAttemptDoc {
  channel: string;
  chatId: string;
  beneficiaryId?: Types.ObjectId | null;
  success: boolean;
  /** Which check: linking one's own record, or registering for a relative. */
  purpose?: 'self' | 'relative';
  /** Set on the failure that locked this chat: self-service stays closed until then. */
  lockedUntil?: Date | null;
  at: Date;
}

const schema = new Schema<IdentityAttemptDoc>(
  {
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    beneficiaryId: { type: Schema.Types.ObjectId, default: null },
    success: { type: Boolean, required: true },
    purpose: { type: String, enum: ['self', 'relative'] },
    lockedUntil: { type: Date, default: null },
    at: { type: Date, required: true },
  },
  { collection: 'identity_attempts', versionKey: false },
);
schema.index({ channel: 1, chatId: 1, at: -1 });
schema.index({ beneficiaryId: 1, at: -1 });

export type IdentityAttemptModel = Model<IdentityAttemptDoc>;
export const identityAttemptModel = (c: Connection): IdentityAttemptModel =>
  (c.models.IdentityAttempt as IdentityAttemptModel | undefined) ?? c.model<IdentityAttemptDoc>('IdentityAttempt', schema);
