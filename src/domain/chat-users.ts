import { isDuplicateKey } from '../db/connect.js';
import { chatUserId, type ChatUserModel } from '../db/models/chat-user.js';
import type { ChatKey, Locale } from '../messaging/types.js';

export interface ChatUserView {
  locale: Locale;
  subscribed: boolean;
  isNew: boolean;
}

/** Chat users: language, subscription, activity. The only writer of chat_users. */
export class ChatUserService {
  constructor(private readonly model: ChatUserModel) {}

  /** Records activity and returns the user's settings, creating the user on first contact. */
  async touch(chat: ChatKey, platformUserId: string, defaultLocale: Locale): Promise<ChatUserView> {
    const now = new Date();
    const upsert = () =>
      this.model
        .findOneAndUpdate(
          { _id: chatUserId(chat) },
          {
            $set: { lastSeenAt: now, platformUserId, blocked: false },
            $setOnInsert: { channel: chat.channel, chatId: chat.chatId, locale: defaultLocale, subscribed: true, firstSeenAt: now },
          },
          { upsert: true, returnDocument: 'after', lean: true },
        )
        .exec();
    // Two first messages at once: both upsert, one insert wins the _id; the other updates it.
    const doc = await upsert().catch((err: unknown) => {
      if (isDuplicateKey(err)) return upsert();
      throw err;
    });
    // Invariant: an upsert returning the document after the write always has one.
    if (!doc) throw new Error('chat user upsert returned nothing');
    return { locale: doc.locale, subscribed: doc.subscribed, isNew: doc.firstSeenAt.getTime() === now.getTime() };
  }

  async setLocale(chat: ChatKey, locale: Locale): Promise<void> {
    await this.model.updateOne({ _id: chatUserId(chat) }, { $set: { locale } }).exec();
  }

  async isSubscribed(chat: ChatKey): Promise<boolean> {
    const doc = await this.model.findOne({ _id: chatUserId(chat) }, { subscribed: 1 }).lean().exec();
    return doc?.subscribed ?? false;
  }

  async setSubscribed(chat: ChatKey, subscribed: boolean): Promise<void> {
    await this.model.updateOne({ _id: chatUserId(chat) }, { $set: { subscribed } }).exec();
  }

  /** Records that the user accepted this version of the consent text. */
  async recordConsent(chat: ChatKey, version: string): Promise<void> {
    await this.model
      .updateOne({ _id: chatUserId(chat) }, { $push: { consents: { version, at: new Date() } } })
      .exec();
  }

  async hasConsented(chat: ChatKey, version: string): Promise<boolean> {
    const doc = await this.model.findOne({ _id: chatUserId(chat) }, { consents: 1 }).lean().exec();
    return doc?.consents?.some((c) => c.version === version) ?? false;
  }

  /** The user blocked the bot: stop sending until they write again. */
  async markBlocked(chat: ChatKey): Promise<void> {
    await this.model.updateOne({ _id: chatUserId(chat) }, { $set: { blocked: true } }).exec();
  }

  async locale(chat: ChatKey): Promise<Locale | undefined> {
    const doc = await this.model.findOne({ _id: chatUserId(chat) }, { locale: 1 }).lean().exec();
    return doc?.locale;
  }
}
