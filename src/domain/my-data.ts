import { chatUserId } from '../db/models/chat-user.js';
import type { LinkRole, LinkStatus } from '../db/models/beneficiary-link.js';
import type { FraudStatus } from '../db/models/fraud-report.js';
import type { RequestStatus } from '../db/models/payment-method-request.js';
import type { ChatKey, Locale } from '../messaging/types.js';
import { maskDigits } from '../security/mask.js';
import type { Logger } from '../logger.js';
import type { DomainModels } from './deps.js';
import type { FraudService } from './fraud.js';

/** Requests still in the office's hands: the user may want to know they exist. */
export const OPEN_REQUEST_STATUSES: readonly RequestStatus[] = ['submitted', 'frozen', 'approved'];

/** What is stored about one chat, masked for showing back to it. */
export interface MyDataView {
  locale: Locale;
  subscribed: boolean;
  consents: { version: string; at: Date }[];
  links: { fullName: string; bhxhCodeMasked: string; role: LinkRole; status: LinkStatus }[];
  openRequests: { reference: string; status: RequestStatus }[];
  fraudCases: { caseNumber: string; status: FraudStatus }[];
}

export interface ErasureSummary {
  links: number;
  fraudCasesKept: number;
  requestsKept: number;
}

/** Marker left in records the office keeps (payment-method requests) after the chat erased its data. */
export const ERASED_CHAT_ID = 'erased';

export interface MyDataServiceDeps {
  models: Pick<DomainModels, 'chatUsers' | 'links' | 'beneficiaries' | 'requests' | 'simulatorMessages'>;
  /** Fraud cases stay with the office: this service only lists them and unhooks the reporter. */
  fraud: Pick<FraudService, 'reportedBy' | 'forgetReporter'>;
  logger: Logger;
}

/** A chat user's own data: what is stored (masked) and erasure on request. */
export class MyDataService {
  constructor(private readonly deps: MyDataServiceDeps) {}

  /** Everything stored about this chat, with identifiers masked; null if nothing is. */
  async view(chat: ChatKey): Promise<MyDataView | null> {
    const { models } = this.deps;
    const user = await models.chatUsers.findById(chatUserId(chat)).lean().exec();
    if (!user) return null;
    const links = await models.links.find({ channel: chat.channel, chatId: chat.chatId }).sort({ createdAt: 1 }).lean().exec();
    const people = links.length
      ? await models.beneficiaries
          .find({ _id: { $in: links.map((l) => l.beneficiaryId) } }, { fullName: 1, bhxhCode: 1 })
          .lean()
          .exec()
      : [];
    const byId = new Map(people.map((p) => [String(p._id), p]));
    const requests = await models.requests
      .find(
        { 'requestedBy.channel': chat.channel, 'requestedBy.chatId': chat.chatId, status: { $in: OPEN_REQUEST_STATUSES } },
        { reference: 1, status: 1 },
      )
      .sort({ createdAt: -1 })
      .lean()
      .exec();
    return {
      locale: user.locale,
      subscribed: user.subscribed,
      consents: (user.consents ?? []).map((c) => ({ version: c.version, at: c.at })),
      links: links.flatMap((link) => {
        const person = byId.get(String(link.beneficiaryId));
        return person ? [{ fullName: person.fullName, bhxhCodeMasked: maskDigits(person.bhxhCode), role: link.role, status: link.status }] : [];
      }),
      openRequests: requests.map((r) => ({ reference: r.reference, status: r.status })),
      fraudCases: await this.deps.fraud.reportedBy(chat),
    };
  }

  /**
   * Erases the chat: its user record, links, simulator history and
   * conversation. Kept, without anything pointing back at the chat: fraud
   * cases (evidence; reporter removed) and payment-method requests (the
   * office's records; requester replaced by 'erased'). The audit log is kept.
   * Identity-check attempts are kept too: they expire within a day and
   * protect against guessing, which erasing must not reset.
   *
   * Called from inside a conversation turn: the flow then returns `forget`,
   * and the engine deletes the conversation with the turn.
   */
  async erase(chat: ChatKey): Promise<ErasureSummary> {
    const { models } = this.deps;
    const filter = { channel: chat.channel, chatId: chat.chatId };
    const fraudCasesKept = await this.deps.fraud.forgetReporter(chat);
    const requests = await models.requests
      .updateMany(
        { 'requestedBy.channel': chat.channel, 'requestedBy.chatId': chat.chatId },
        { $set: { 'requestedBy.chatId': ERASED_CHAT_ID } },
      )
      .exec();
    await models.requests
      .updateMany({ 'notMe.channel': chat.channel, 'notMe.chatId': chat.chatId }, { $set: { 'notMe.chatId': ERASED_CHAT_ID } })
      .exec();
    const links = await models.links.deleteMany(filter).exec();
    if (chat.channel === 'simulator') await models.simulatorMessages.deleteMany({ chatId: chat.chatId }).exec();
    await models.chatUsers.deleteOne({ _id: chatUserId(chat) }).exec();
    this.deps.logger.info(
      { event: 'chat_data_erased', channel: chat.channel, links: links.deletedCount, fraudCasesKept, requestsKept: requests.modifiedCount },
      'chat data erased on request',
    );
    return { links: links.deletedCount, fraudCasesKept, requestsKept: requests.modifiedCount };
  }
}
