import { Schema, type Connection, type Model } from 'mongoose';

/**
 * Platform update ids being handled (`processingUntil` set) or handled (unset).
 * A claim is released on failure, so a redelivery after a failure is processed, not dropped.
 * Expired rows are removed by a periodic clean-up (no TTL index: FerretDB lacks it).
 */
export interface ProcessedInboundDoc {
  _id: string;
  expiresAt: Date;
  processingUntil?: Date;
}

const schema = new Schema<ProcessedInboundDoc>(
  { _id: { type: String, required: true }, expiresAt: { type: Date, required: true }, processingUntil: Date },
  { collection: 'processed_inbound', versionKey: false },
);
schema.index({ expiresAt: 1 });

export type ProcessedInboundModel = Model<ProcessedInboundDoc>;
export const processedInboundModel = (c: Connection): ProcessedInboundModel =>
  (c.models.ProcessedInbound as ProcessedInboundModel | undefined) ??
  c.model<ProcessedInboundDoc>('ProcessedInbound', schema);
