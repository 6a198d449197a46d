import { Schema, type Connection, type Model, type Types } from 'mongoose';

/** Wording of a template in each language; English is optional (Vietnamese is used instead). */
export interface TemplateWording {
  vi: string;
  en?: string;
}

/** One saved wording of a template. Kept for good: a broadcast names the version it used. */
export interface NoticeTemplateVersion {
  version: number;
  title: TemplateWording;
  text: TemplateWording;
  /** Named fields (`{{province_hotline}}`) the text needs. */
  fields: string[];
  savedBy: string;
  savedAt: Date;
}

/**
 * A notice template written by staff. The top-level wording is the current
 * version; `versions` holds every version including the current one.
 */
export interface NoticeTemplateDoc {
  _id: Types.ObjectId;
  version: number;
  title: TemplateWording;
  text: TemplateWording;
  fields: string[];
  createdBy: string;
  updatedBy: string;
  versions: NoticeTemplateVersion[];
  createdAt: Date;
  updatedAt: Date;
}

const wording = new Schema<TemplateWording>({ vi: { type: String, required: true }, en: String }, { _id: false });
const versionSchema = new Schema<NoticeTemplateVersion>(
  {
    version: { type: Number, required: true },
    title: { type: wording, required: true },
    text: { type: wording, required: true },
    fields: { type: [String], default: [] },
    savedBy: { type: String, required: true },
    savedAt: { type: Date, required: true },
  },
  { _id: false },
);

const schema = new Schema<NoticeTemplateDoc>(
  {
    version: { type: Number, required: true },
    title: { type: wording, required: true },
    text: { type: wording, required: true },
    fields: { type: [String], default: [] },
    createdBy: { type: String, required: true },
    updatedBy: { type: String, required: true },
    versions: { type: [versionSchema], default: [] },
  },
  { collection: 'notice_templates', versionKey: false, timestamps: true },
);
schema.index({ updatedAt: -1 });

export type NoticeTemplateModel = Model<NoticeTemplateDoc>;
export const noticeTemplateModel = (c: Connection): NoticeTemplateModel =>
  (c.models.NoticeTemplate as NoticeTemplateModel | undefined) ?? c.model<NoticeTemplateDoc>('NoticeTemplate', schema);
