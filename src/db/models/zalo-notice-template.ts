import { Schema, type Connection, type Model } from 'mongoose';
import { NOTICE_KINDS, type NoticeKind } from '../../vocabulary/notices.js';

/**
 * Which approved Zalo template carries one kind of notice beyond the 7-day
 * window, and which notice field fills each of its parameters. One document
 * per notice kind; staff change it whole.
 */
export interface ZaloNoticeTemplateDoc {
  _id: NoticeKind;
  templateId: string;
  bindings: { param: string; field: string }[];
  updatedBy: string | null;
  updatedAt: Date;
}

const schema = new Schema<ZaloNoticeTemplateDoc>(
  {
    _id: { type: String, enum: NOTICE_KINDS, required: true },
    templateId: { type: String, required: true },
    bindings: [{ _id: false, param: { type: String, required: true }, field: { type: String, required: true } }],
    updatedBy: { type: String, default: null },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'zalo_notice_templates', versionKey: false },
);

export type ZaloNoticeTemplateModel = Model<ZaloNoticeTemplateDoc>;
export const zaloNoticeTemplateModel = (c: Connection): ZaloNoticeTemplateModel =>
  (c.models.ZaloNoticeTemplate as ZaloNoticeTemplateModel | undefined) ?? c.model<ZaloNoticeTemplateDoc>('ZaloNoticeTemplate', schema);
