import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The Zalo OA token pair. One document (`_id: 'oa'`). Refresh tokens are single-use,
 * so only the instance whose refresh claim won refreshes (see ZaloTokenStore);
 * `version` grows with each refresh so waiting instances know when a fresh pair is in.
 */
export interface ZaloTokenDoc {
  _id: string;
  accessToken: string | null;
  refreshToken: string;
  expiresAt: Date;
  version: number;
  refreshedAt: Date | null;
}

const schema = new Schema<ZaloTokenDoc>(
  {
    _id: { type: String, required: true },
    accessToken: { type: String, default: null },
    refreshToken: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    version: { type: Number, required: true, default: 0 },
    refreshedAt: { type: Date, default: null },
  },
  { collection: 'zalo_tokens', versionKey: false },
);

export type ZaloTokenModel = Model<ZaloTokenDoc>;
export const zaloTokenModel = (c: Connection): ZaloTokenModel =>
  (c.models.ZaloToken as ZaloTokenModel | undefined) ?? c.model<ZaloTokenDoc>('ZaloToken', schema);
