import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A Zalo template message (ZBS) as last read from Zalo, keyed by Zalo's template
 * id. Zalo approves, rejects and disables templates on its side: the sync
 * rewrites each one whole, and marks `gone` those Zalo no longer lists.
 */
export interface ZaloTemplateDoc {
  _id: string;
  name: string;
  /** ENABLE, PENDING_REVIEW, REJECT, DISABLE as Zalo says. */
  status: string;
  params: { name: string; required: boolean; type: string; minLength: number; maxLength: number; acceptNull: boolean }[];
  tag: string | null;
  /** VND per message by phone, and by Zalo user id when Zalo prices it apart. */
  price: number | null;
  priceByUid: number | null;
  previewUrl: string | null;
  gone: boolean;
  syncedAt: Date;
}

const schema = new Schema<ZaloTemplateDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    status: { type: String, required: true },
    params: [
      {
        _id: false,
        name: { type: String, required: true },
        required: { type: Boolean, required: true },
        type: { type: String, required: true },
        minLength: { type: Number, required: true },
        maxLength: { type: Number, required: true },
        acceptNull: { type: Boolean, required: true },
      },
    ],
    tag: { type: String, default: null },
    price: { type: Number, default: null },
    priceByUid: { type: Number, default: null },
    previewUrl: { type: String, default: null },
    gone: { type: Boolean, default: false },
    syncedAt: { type: Date, required: true },
  },
  { collection: 'zalo_templates', versionKey: false },
);

export type ZaloTemplateModel = Model<ZaloTemplateDoc>;
export const zaloTemplateModel = (c: Connection): ZaloTemplateModel =>
  (c.models.ZaloTemplate as ZaloTemplateModel | undefined) ?? c.model<ZaloTemplateDoc>('ZaloTemplate', schema);
