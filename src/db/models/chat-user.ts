import { Schema, type Connection, type Model } from 'mongoose';

/** A person talking to the bot on one platform. Holds no message text. */
export interface ChatUserDoc {
  channel: string;
  chatId: string;
  platformUserId: string;
  locale: 'vi' | 'en';
  subscribed: boolean;
  blocked: boolean;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Consent texts accepted before any personal data was saved, by version. */
  consents: { version: string; at: Date }[];
}

const schema = new Schema<ChatUserDoc>(
  {
    channel: { type: String, required: true },
    chatId: { type: String, required: true },
    platformUserId: { type: String, required: true },
    locale: { type: String, enum: ['vi', 'en'], required: true },
    subscribed: { type: Boolean, default: true },
    blocked: { type: Boolean, default: false },
    firstSeenAt: { type: Date, default: () => new Date() },
    lastSeenAt: { type: Date, default: () => new Date() },
    consents: { type: [{ version: String, at: Date, _id: false }], default: [] },
  },
  { collection: 'chat_users', versionKey: false },
);
schema.index({ channel: 1, chatId: 1 }, { unique: true });

export type ChatUserModel = Model<ChatUserDoc>;
export const chatUserModel = (c: Connection): ChatUserModel =>
  (c.models.ChatUser as ChatUserModel | undefined) ?? c.model<ChatUserDoc>('ChatUser', schema);
