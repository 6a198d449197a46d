import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { STAFF_ROLES, type StaffRole } from '../../vocabulary/staff.js';
export { STAFF_ROLES, type StaffRole } from '../../vocabulary/staff.js';

/**
 * An API key a social-insurance office uses for the admin API. Only the hash is
 * stored: a leaked database (or backup) must not hand out working keys.
 */
export interface StaffKeyDoc {
  _id: Types.ObjectId;
  label: string;
  role: StaffRole;
  /** Two-digit province code the key is limited to; null = every province. */
  province: string | null;
  /**
   * sha256 hex of the whole key. Keys carry 256 random bits, so nobody can guess
   * one or invert the hash; a slow password hash (bcrypt, scrypt) protects
   * low-entropy secrets and would only add CPU to every request here. A fast
   * hash also makes the lookup by hash the authentication itself.
   */
  keyHash: string;
  /** First 8 characters after `lhb_`, so staff can tell keys apart in lists. */
  keyPrefix: string;
  createdAt: Date;
  /** Key id of the creator, or `bootstrap` / `cli:<user>` for keys made outside the API. */
  createdBy: string;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

const schema = new Schema<StaffKeyDoc>(
  {
    label: { type: String, required: true },
    role: { type: String, enum: STAFF_ROLES, required: true },
    province: { type: String, default: null },
    keyHash: { type: String, required: true },
    keyPrefix: { type: String, required: true },
    createdAt: { type: Date, default: () => new Date() },
    createdBy: { type: String, required: true },
    revokedAt: { type: Date, default: null },
    lastUsedAt: { type: Date, default: null },
  },
  { collection: 'staff_keys', versionKey: false },
);
// Unique: authentication looks keys up by hash, and two start-ups racing to
// create the bootstrap admin end with one key, not two.
schema.index({ keyHash: 1 }, { unique: true });
// "Is there an active admin?" at start-up.
schema.index({ role: 1, revokedAt: 1 });

export type StaffKeyModel = Model<StaffKeyDoc>;
export const staffKeyModel = (c: Connection): StaffKeyModel =>
  (c.models.StaffKey as StaffKeyModel | undefined) ?? c.model<StaffKeyDoc>('StaffKey', schema);
