import { Types } from 'mongoose';
import type { EncryptedValue, PiiCipher } from '../security/pii-crypto.js';
import type { ChatKey, NoticePhone } from '../messaging/types.js';
import { beneficiaryOfAddress } from '../vocabulary/channels.js';
import { normalizePhone } from './validators/phone.js';
import type { DomainModels } from './deps.js';

/**
 * The register's phone number for the person a chat belongs to, for a Zalo
 * template sent by phone when nothing cheaper reaches them. Only the person's
 * own link counts (a relative's phone is not in the register); a register
 * address names the beneficiary directly. The number is decrypted at the
 * moment of sending and handed straight to the channel, never stored or logged.
 */
export class NoticePhones {
  constructor(private readonly deps: { models: Pick<DomainModels, 'links' | 'beneficiaries'>; cipher: Pick<PiiCipher, 'decrypt'> }) {}

  /** In Zalo's form, `84` and the national number without its leading 0. */
  async forChat(chat: ChatKey): Promise<NoticePhone> {
    const { models, cipher } = this.deps;
    const addressed = beneficiaryOfAddress(chat.chatId);
    let beneficiaryId: Types.ObjectId | null = null;
    if (addressed !== null) {
      beneficiaryId = Types.ObjectId.isValid(addressed) ? new Types.ObjectId(addressed) : null;
    } else {
      const link = await models.links.findOne({ channel: chat.channel, chatId: chat.chatId, role: 'self', status: 'active' }, { beneficiaryId: 1 }).lean().exec();
      beneficiaryId = link?.beneficiaryId ?? null;
    }
    if (!beneficiaryId) return { missing: 'no_phone_in_register' };
    const person = await models.beneficiaries.findById(beneficiaryId, { phones: 1 }).lean<{ phones: EncryptedValue[] }>().exec();
    const first = person?.phones[0];
    if (!first) return { missing: 'no_phone_in_register' };
    // Imports keep Vietnamese mobiles only; a number written in by other means is checked again here.
    const national = normalizePhone(cipher.decrypt(first));
    return national.ok ? { phone: `84${national.value.slice(1)}` } : { missing: 'phone_not_vietnamese' };
  }
}
