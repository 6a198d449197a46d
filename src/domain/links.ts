import { Types } from 'mongoose';
import type { LinkRole } from '../db/models/beneficiary-link.js';
import type { ChatKey } from '../engine/types.js';
import { maskDigits } from '../security/mask.js';
import type { DomainDeps } from './deps.js';
import type { Domain } from './domain.js';

/** A beneficiary this chat may act for (an active link). */
export interface LinkedBeneficiary {
  beneficiaryId: string;
  fullName: string;
  bhxhCodeMasked: string;
  provinceCode: string;
  role: LinkRole;
}

/** Links between chats and beneficiaries: self links, relatives' links awaiting staff approval, reminders. */
export class LinkService {
  constructor(
    private readonly deps: DomainDeps,
    private readonly domain: Domain,
  ) {}

  /** Beneficiaries this chat may act for now. Pending, rejected or expired links do not count. */
  async activeFor(chat: ChatKey): Promise<LinkedBeneficiary[]> {
    const links = await this.deps.models.links
      .find({ channel: chat.channel, chatId: chat.chatId, status: 'active' })
      .sort({ createdAt: 1 })
      .lean()
      .exec();
    if (links.length === 0) return [];
    const people = await this.deps.models.beneficiaries
      .find({ _id: { $in: links.map((l) => l.beneficiaryId) } }, { fullName: 1, bhxhCode: 1, provinceCode: 1 })
      .lean()
      .exec();
    const byId = new Map(people.map((p) => [String(p._id), p]));
    return links.flatMap((link) => {
      const person = byId.get(String(link.beneficiaryId));
      if (!person) return [];
      return [
        {
          beneficiaryId: String(person._id),
          fullName: person.fullName,
          bhxhCodeMasked: maskDigits(person.bhxhCode),
          provinceCode: person.provinceCode,
          role: link.role,
        },
      ];
    });
  }

  /** True only for an active link: a relative can do nothing before staff approve. */
  async canAct(chat: ChatKey, beneficiaryId: string): Promise<boolean> {
    if (!Types.ObjectId.isValid(beneficiaryId)) return false;
    const link = await this.deps.models.links
      .exists({ channel: chat.channel, chatId: chat.chatId, beneficiaryId: new Types.ObjectId(beneficiaryId), status: 'active' })
      .exec();
    return link !== null;
  }

  /** Every chat actively linked to a beneficiary (to warn them all of a change). */
  async chatsFor(beneficiaryId: string): Promise<ChatKey[]> {
    const links = await this.deps.models.links
      .find({ beneficiaryId: new Types.ObjectId(beneficiaryId), status: 'active' }, { channel: 1, chatId: 1 })
      .lean()
      .exec();
    return links.map((l) => ({ channel: l.channel as ChatKey['channel'], chatId: l.chatId }));
  }

  /** An active self link after a successful identity check (idempotent). */
  async createSelfLink(chat: ChatKey, beneficiaryId: string, consentVersion: string): Promise<void> {
    const beneficiary = await this.domain.beneficiaries.byId(beneficiaryId);
    if (!beneficiary) throw new Error('no such beneficiary');
    await this.deps.models.links
      .updateOne(
        { channel: chat.channel, chatId: chat.chatId, beneficiaryId: beneficiary._id, role: 'self' },
        { $set: { status: 'active', provinceCode: beneficiary.provinceCode, consentVersion } },
        { upsert: true },
      )
      .exec();
  }
}
