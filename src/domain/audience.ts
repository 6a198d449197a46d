import { Types } from 'mongoose';
import type { AudienceFilter } from '../db/models/broadcast.js';
import { chatUserId } from '../db/models/chat-user.js';
import { beneficiaryOfAddress, registerAddress, type ChannelName } from '../vocabulary/channels.js';
import type { DomainModels } from './deps.js';

/** Zalo lets an OA send a free (consultation) message within 7 days of the person's last message. */
const ZALO_WINDOW_MS = 7 * 24 * 3600_000;

/** How an audience would be reached: by message, by Zalo template to the user id (beyond the window), by Zalo template to the register's phone. */
export interface AudienceRoutes {
  message: number;
  zaloTemplate: number;
  zaloPhone: number;
}

/** One chat that should receive a broadcast. */
export interface Recipient {
  chatUserId: string;
  channel: ChannelName;
  chatId: string;
  locale: 'vi' | 'en';
  /** The person's last message to the bot: on Zalo, a free message reaches them only within 7 days of it. */
  lastSeenAt?: Date;
}

type AudienceModels = Pick<DomainModels, 'chatUsers' | 'links' | 'beneficiaries'>;

/** Province and benefit type are known only through an active link to a beneficiary. */
export function needsLinks(filter: AudienceFilter): boolean {
  if (filter.source === 'register') return false;
  return filter.linkedOnly || filter.provinces.length > 0 || filter.benefitTypes.length > 0 || districtsOf(filter).length > 0;
}

/** Broadcasts saved before the district filter existed have no `districts` field. */
function districtsOf(filter: AudienceFilter): string[] {
  return filter.districts ?? [];
}

/**
 * Streams the audience in pages of at most `pageSize`, in chat-user id order,
 * starting after `afterId` (to resume). The chat users come through a mongoose
 * cursor and link data is fetched per page, so memory stays flat whatever the size.
 */
export async function* streamAudience(
  models: AudienceModels,
  filter: AudienceFilter,
  pageSize: number,
  afterId: string | null = null,
): AsyncGenerator<{ recipients: Recipient[]; lastId: string }> {
  if (filter.source === 'register') {
    yield* streamRegister(models, filter, pageSize, afterId);
    return;
  }
  const query: Record<string, unknown> = { subscribed: true, blocked: false };
  if (filter.platforms.length > 0) query.channel = { $in: filter.platforms };
  if (filter.languages.length > 0) query.locale = { $in: filter.languages };
  // Chat users are keyed `<channel>:<chatId>` (strings): a resume compares strings, in the cursor's order.
  if (afterId) query._id = { $gt: afterId };
  const cursor = models.chatUsers
    .find(query, { channel: 1, chatId: 1, locale: 1, lastSeenAt: 1 })
    .sort({ _id: 1 })
    .lean()
    .cursor({ batchSize: pageSize });
  let page: Recipient[] = [];
  try {
    for await (const doc of cursor) {
      page.push({ chatUserId: String(doc._id), channel: doc.channel, chatId: doc.chatId, locale: doc.locale, lastSeenAt: doc.lastSeenAt });
      if (page.length >= pageSize) {
        const lastId = page[page.length - 1]!.chatUserId;
        yield { recipients: await keepMatching(models, filter, page), lastId };
        page = [];
      }
    }
    if (page.length > 0) {
      const lastId = page[page.length - 1]!.chatUserId;
      yield { recipients: await keepMatching(models, filter, page), lastId };
    }
  } finally {
    await cursor.close();
  }
}

/**
 * Everyone in the register with a phone number in the filter's provinces,
 * districts and benefit types, in beneficiary id order: through their own chat
 * when they linked one that still listens (Zalo preferred: it is where
 * pensioners are), else their register address (a Zalo template to that phone).
 */
async function* streamRegister(
  models: AudienceModels,
  filter: AudienceFilter,
  pageSize: number,
  afterId: string | null,
): AsyncGenerator<{ recipients: Recipient[]; lastId: string }> {
  const query: Record<string, unknown> = { 'phones.0': { $exists: true } };
  if (filter.provinces.length > 0) query.provinceCode = { $in: filter.provinces };
  if (districtsOf(filter).length > 0) query.districtCode = { $in: districtsOf(filter) };
  if (filter.benefitTypes.length > 0) query.benefitType = { $in: filter.benefitTypes };
  if (afterId && Types.ObjectId.isValid(afterId)) query._id = { $gt: new Types.ObjectId(afterId) };
  const cursor = models.beneficiaries.find(query, { _id: 1 }).sort({ _id: 1 }).lean().cursor({ batchSize: pageSize });
  let page: string[] = [];
  const flush = async () => {
    const lastId = page[page.length - 1]!;
    const recipients = await ownChats(models, page);
    page = [];
    return { recipients, lastId };
  };
  try {
    for await (const doc of cursor) {
      page.push(String(doc._id));
      if (page.length >= pageSize) yield await flush();
    }
    if (page.length > 0) yield await flush();
  } finally {
    await cursor.close();
  }
}

/** Each beneficiary's own chat that still listens (Zalo first), else their register address. */
async function ownChats(models: AudienceModels, beneficiaryIds: string[]): Promise<Recipient[]> {
  const links = await models.links
    .find({ beneficiaryId: { $in: beneficiaryIds.map((id) => new Types.ObjectId(id)) }, role: 'self', status: 'active' }, { channel: 1, chatId: 1, beneficiaryId: 1 })
    .lean()
    .exec();
  const users =
    links.length === 0
      ? []
      : await models.chatUsers
          .find({ _id: { $in: links.map((l) => chatUserId(l)) }, subscribed: true, blocked: false }, { channel: 1, chatId: 1, locale: 1, lastSeenAt: 1 })
          .lean()
          .exec();
  const userOf = new Map(users.map((u) => [String(u._id), u]));
  const chatOf = new Map<string, Recipient>();
  for (const link of links) {
    const user = userOf.get(chatUserId(link));
    if (!user) continue;
    const key = String(link.beneficiaryId);
    const held = chatOf.get(key);
    if (held && held.channel === 'zalo') continue;
    chatOf.set(key, { chatUserId: String(user._id), channel: user.channel, chatId: user.chatId, locale: user.locale, lastSeenAt: user.lastSeenAt });
  }
  return beneficiaryIds.map((id) => chatOf.get(id) ?? { chatUserId: registerAddress(id), channel: 'zalo', chatId: registerAddress(id), locale: 'vi' });
}

/** Drops the page's chats whose active links do not meet the province / district / benefit / linked filters. */
async function keepMatching(models: AudienceModels, filter: AudienceFilter, page: Recipient[]): Promise<Recipient[]> {
  if (!needsLinks(filter)) return page;
  // Per channel, so the (channel, chatId, beneficiaryId) index answers by its prefix.
  const links = (
    await Promise.all(
      [...new Set(page.map((r) => r.channel))].map((channel) =>
        models.links
          .find(
            { channel, chatId: { $in: page.filter((r) => r.channel === channel).map((r) => r.chatId) }, status: 'active' },
            { channel: 1, chatId: 1, beneficiaryId: 1, provinceCode: 1 },
          )
          .lean()
          .exec(),
      ),
    )
  ).flat();
  const districts = districtsOf(filter);
  // Benefit type and district are on the beneficiary, not the link: one lookup per page when either is asked.
  let personOf = new Map<string, { benefitType: string; districtCode: string }>();
  if ((filter.benefitTypes.length > 0 || districts.length > 0) && links.length > 0) {
    const people = await models.beneficiaries
      .find({ _id: { $in: [...new Set(links.map((l) => String(l.beneficiaryId)))] } }, { benefitType: 1, districtCode: 1 })
      .lean()
      .exec();
    personOf = new Map(people.map((p) => [String(p._id), { benefitType: p.benefitType, districtCode: p.districtCode ?? '' }]));
  }
  const matching = new Set<string>();
  for (const link of links) {
    if (filter.provinces.length > 0 && !filter.provinces.includes(link.provinceCode)) continue;
    const person = personOf.get(String(link.beneficiaryId));
    if (filter.benefitTypes.length > 0 && !filter.benefitTypes.includes(person?.benefitType ?? '')) continue;
    if (districts.length > 0 && !districts.includes(person?.districtCode ?? '')) continue;
    matching.add(`${link.channel}:${link.chatId}`);
  }
  return page.filter((r) => matching.has(`${r.channel}:${r.chatId}`));
}

/**
 * Who a notice reaches, for broadcasts: the chats a filter selects (through
 * their links to beneficiaries), and which of them stopped listening since.
 */
export class AudienceService {
  constructor(private readonly models: AudienceModels) {}

  stream(filter: AudienceFilter, pageSize: number, afterId: string | null = null): AsyncGenerator<{ recipients: Recipient[]; lastId: string }> {
    return streamAudience(this.models, filter, pageSize, afterId);
  }

  /**
   * How the audience would be reached now: on Zalo, people who wrote within 7
   * days get a free message, the others only a template; every other channel, a message.
   */
  async routes(filter: AudienceFilter, now: Date): Promise<AudienceRoutes> {
    const since = now.getTime() - ZALO_WINDOW_MS;
    const out: AudienceRoutes = { message: 0, zaloTemplate: 0, zaloPhone: 0 };
    for await (const { recipients } of streamAudience(this.models, filter, 1000)) {
      for (const r of recipients) {
        if (beneficiaryOfAddress(r.chatId) !== null) out.zaloPhone++;
        else if (r.channel === 'zalo' && (r.lastSeenAt?.getTime() ?? 0) < since) out.zaloTemplate++;
        else out.message++;
      }
    }
    return out;
  }

  /**
   * The person each chat belongs to (its own active link), for the office's list
   * of people a notice did not reach: they are written to or seen at the next visit.
   */
  async peopleOf(chats: readonly { channel: ChannelName; chatId: string }[]): Promise<Map<string, { bhxhCode: string; fullName: string; districtCode: string; communeCode: string }>> {
    const out = new Map<string, { bhxhCode: string; fullName: string; districtCode: string; communeCode: string }>();
    if (chats.length === 0) return out;
    // Register addresses name the beneficiary themselves; a chat is the person's through their own link.
    const addressed = chats.flatMap((c) => {
      const id = beneficiaryOfAddress(c.chatId);
      return id && Types.ObjectId.isValid(id) ? [{ channel: c.channel, chatId: c.chatId, beneficiaryId: new Types.ObjectId(id) }] : [];
    });
    const platformChats = chats.filter((c) => beneficiaryOfAddress(c.chatId) === null);
    const linked = await Promise.all(
      [...new Set(platformChats.map((c) => c.channel))].map((channel) =>
        this.models.links
          .find({ channel, chatId: { $in: platformChats.filter((c) => c.channel === channel).map((c) => c.chatId) }, role: 'self', status: 'active' }, { channel: 1, chatId: 1, beneficiaryId: 1 })
          .lean()
          .exec(),
      ),
    );
    const links = [...addressed, ...linked.flat()];
    if (links.length === 0) return out;
    const people = await this.models.beneficiaries
      .find({ _id: { $in: links.map((l) => l.beneficiaryId) } }, { bhxhCode: 1, fullName: 1, districtCode: 1, communeCode: 1 })
      .lean()
      .exec();
    const byId = new Map(people.map((p) => [String(p._id), p]));
    for (const link of links) {
      const p = byId.get(String(link.beneficiaryId));
      if (p) out.set(`${link.channel}:${link.chatId}`, { bhxhCode: p.bhxhCode, fullName: p.fullName, districtCode: p.districtCode ?? '', communeCode: p.communeCode ?? '' });
    }
    return out;
  }

  /** The chats among `chats` that unsubscribed or blocked the bot (their users in one read). */
  async unreachable<C extends { channel: ChannelName; chatId: string }>(chats: readonly C[]): Promise<C[]> {
    // A register address has no chat to leave: Zalo answers for the phone when the template is sent.
    const platformChats = chats.filter((c) => beneficiaryOfAddress(c.chatId) === null);
    if (platformChats.length === 0) return [];
    const users = await this.models.chatUsers
      .find({ _id: { $in: platformChats.map((c) => chatUserId(c)) } }, { subscribed: 1, blocked: 1 })
      .lean()
      .exec();
    const reachable = new Set(users.filter((u) => u.subscribed && !u.blocked).map((u) => String(u._id)));
    return platformChats.filter((c) => !reachable.has(chatUserId(c)));
  }
}
