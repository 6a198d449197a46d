import { Schema, type Connection, type Model } from 'mongoose';
import { CHANNEL_NAMES, type ChannelName } from '../../vocabulary/channels.js';

/**
 * A person talking to the bot on one platform. Holds no message text. Keyed
 * `<channel>:<chatId>` (chatUserId): the hot path finds it by `_id`, the one
 * filter FerretDB answers without reading the whole collection.
 */
export interface ChatUserDoc {
  _id: string;
  channel: ChannelName;
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

/** The `_id` of a chat's user document. */
export const chatUserId = (chat: { channel: string; chatId: string }): string => `${chat.channel}:${chat.chatId}`;

const schema = new Schema<ChatUserDoc>(
  {
    _id: { type: String },
    channel: { type: String, enum: CHANNEL_NAMES, required: true },
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
// Documents created without an `_id` (inserts of whole lists) get theirs from channel and chat.
schema.pre('validate', function () {
  if (!this._id) this._id = chatUserId(this);
});

export type ChatUserModel = Model<ChatUserDoc>;
export const chatUserModel = (c: Connection): ChatUserModel =>
  (c.models.ChatUser as ChatUserModel | undefined) ?? c.model<ChatUserDoc>('ChatUser', schema);
