import type { EncryptedValue, PiiCipher } from '../security/pii-crypto.js';
import type { ChatKey } from '../messaging/types.js';
import type { DomainModels } from './deps.js';

/**
 * The register's phone number for the person a chat belongs to, for a Zalo
 * template sent by phone when nothing cheaper reaches them. Only the person's
 * own link counts (a relative's phone is not in the register); the number is
 * decrypted at the moment of sending and handed straight to the channel, never stored or logged.
 */
export class NoticePhones {
  constructor(private readonly deps: { models: Pick<DomainModels, 'links' | 'beneficiaries'>; cipher: Pick<PiiCipher, 'decrypt'> }) {}

  /** In Zalo's form, `84` and the number without its leading 0; null when the register has none. */
  async forChat(chat: ChatKey): Promise<string | null> {
    const { models, cipher } = this.deps;
    const link = await models.links.findOne({ channel: chat.channel, chatId: chat.chatId, role: 'self', status: 'active' }, { beneficiaryId: 1 }).lean().exec();
    if (!link) return null;
    const person = await models.beneficiaries.findById(link.beneficiaryId, { phones: 1 }).lean<{ phones: EncryptedValue[] }>().exec();
    const first = person?.phones[0];
    if (!first) return null;
    const phone = cipher.decrypt(first);
    return /^0\d{9,10}$/.test(phone) ? `84${phone.slice(1)}` : null;
  }
}
