import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One link of a claim chain (see src/db/claims.ts), or a chain's head hint.
 * Links are keyed `<scope>#<n>` and only ever inserted, then at most marked
 * released by their owner: a unique `_id` insert is the one write that FerretDB
 * 1.24 and MongoDB both make atomic. Every lookup is by `_id`, the only filter
 * FerretDB's SQLite handler answers without reading the whole collection.
 */
export interface ClaimDoc {
  _id: string;
  /** Which chain; absent on single-use claims. */
  scope?: string;
  /** Position in the chain (the fencing token of a lease); on a head hint, the latest position seen. */
  n?: number;
  owner?: string | null;
  at: Date;
  /** A lease's end; single-use claims and attempt links use it for clean-up. */
  expiresAt: Date | null;
  releasedAt?: Date | null;
  /** Attempt chains: the times of the latest links up to the limit, this one last (a sliding window read in one lookup). */
  recent?: Date[];
}

const schema = new Schema<ClaimDoc>(
  {
    _id: { type: String, required: true },
    scope: String,
    n: Number,
    owner: { type: String, default: null },
    at: { type: Date, required: true },
    expiresAt: { type: Date, default: null },
    releasedAt: { type: Date, default: null },
    recent: { type: [Date], default: undefined },
  },
  { collection: 'claims', versionKey: false },
);

export type ClaimModel = Model<ClaimDoc>;
export const claimModel = (c: Connection): ClaimModel => (c.models.Claim as ClaimModel | undefined) ?? c.model<ClaimDoc>('Claim', schema);
