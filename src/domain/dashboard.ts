import type { Connection, Types } from 'mongoose';
import { BENEFIT_TYPES, beneficiaryModel, type BenefitType, type BeneficiaryModel, type PaymentMethodKind } from '../db/models/beneficiary.js';
import { beneficiaryLinkModel, type BeneficiaryLinkModel } from '../db/models/beneficiary-link.js';
import { broadcastModel, type BroadcastModel, type BroadcastStatus } from '../db/models/broadcast.js';
import { chatUserModel, type ChatUserModel } from '../db/models/chat-user.js';
import { DELIVERY_STATES, type DeliveryState } from '../db/models/delivery.js';
import { FRAUD_CATEGORIES, fraudReportModel, type FraudCategory, type FraudReportModel } from '../db/models/fraud-report.js';
import { paymentMethodRequestModel, type PaymentMethodRequestModel } from '../db/models/payment-method-request.js';
import { cccdProvinceName } from './validators/cccd.js';
import type { ChannelName } from '../messaging/types.js';

/** Paid into an account the beneficiary controls: what the cashless plans count. */
export const CASHLESS_METHODS: readonly PaymentMethodKind[] = ['bank', 'ewallet'];
export const FRAUD_WINDOW_DAYS = 7;
export const RECENT_BROADCASTS = 5;
const DAY_MS = 86_400_000;
/** Chats looked up per query when counting a province's subscribers. */
const CHAT_PAGE = 1000;

/** Targets in percent, as configured (`CASHLESS_TARGETS`). */
export type CashlessTargets = Partial<Record<'overall' | BenefitType, number>>;

/** Share of beneficiaries paid without cash. `rate` and `target` are ratios 0–1; null when unknown. */
export interface AdoptionFigure {
  total: number;
  cashless: number;
  rate: number | null;
  target: number | null;
}

export interface DashboardSummary {
  /** The province the figures are for; null = every province. */
  province: string | null;
  generatedAt: Date;
  /** Provinces present in the register (for the selector), with their names where known. */
  provinces: { code: string; name: string | null }[];
  adoption: {
    overall: AdoptionFigure;
    byProvince: (AdoptionFigure & { code: string })[];
    /** Districts compare to the overall target. `code` null: the register gives no district. */
    byDistrict: (AdoptionFigure & { code: string | null })[];
    byBenefitType: (AdoptionFigure & { benefitType: BenefitType })[];
  };
  pending: {
    /** Payment-method requests waiting for a decision (`submitted`). */
    requests: number;
    /** Requests frozen by "this was not me": a call to the beneficiary first. */
    requestsFrozen: number;
    /** Relatives' links waiting for staff. */
    links: number;
  };
  fraud: { since: Date; total: number; byCategory: { category: FraudCategory; count: number }[] };
  broadcasts: {
    id: string;
    title: string;
    status: BroadcastStatus;
    createdAt: Date;
    reach: { sent: number; blocked: number; failed: number; total: number };
    /** Of the sent, Zalo template messages, and how many Zalo reported delivered to the phone. */
    templates: { sent: number; delivered: number };
  }[];
  /** Chats per platform: `subscribed` receive notices, `blocked` blocked the bot, `unsubscribed` asked to stop. */
  subscribers: { platform: string; subscribed: number; blocked: number; unsubscribed: number; total: number }[];
}

export interface DashboardModels {
  beneficiaries: BeneficiaryModel;
  requests: PaymentMethodRequestModel;
  links: BeneficiaryLinkModel;
  fraudReports: FraudReportModel;
  chatUsers: ChatUserModel;
  broadcasts: BroadcastModel;
}

/** A broadcast's deliveries per state; the broadcast side answers it (src/broadcast/ledger.ts). */
export type BroadcastReach = (broadcast: { _id: Types.ObjectId; queueComplete?: boolean; queuedCount?: number }) => Promise<Record<DeliveryState, number>>;

/** The collections the dashboard reads. Read only: it never writes. */
export function dashboardModels(connection: Connection): DashboardModels {
  return {
    beneficiaries: beneficiaryModel(connection),
    requests: paymentMethodRequestModel(connection),
    links: beneficiaryLinkModel(connection),
    fraudReports: fraudReportModel(connection),
    chatUsers: chatUserModel(connection),
    broadcasts: broadcastModel(connection),
  };
}

interface Tally {
  total: number;
  cashless: number;
}

function figure(tally: Tally, targetPercent: number | undefined): AdoptionFigure {
  return {
    total: tally.total,
    cashless: tally.cashless,
    rate: tally.total > 0 ? tally.cashless / tally.total : null,
    target: targetPercent === undefined ? null : targetPercent / 100,
  };
}

function add<K>(map: Map<K, Tally>, key: K, n: number, cashless: boolean): void {
  const tally = map.get(key) ?? { total: 0, cashless: 0 };
  tally.total += n;
  if (cashless) tally.cashless += n;
  map.set(key, tally);
}

/** Nulls (no district) last, codes in order. */
const byCode = (a: string | null, b: string | null): number => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a.localeCompare(b));

/**
 * The figures on the staff console's front page, for one province or all.
 * Everything is counted in the database with pipelines FerretDB 1.24 also runs
 * ($match, $group on field paths, $sum: 1) and indexed counts; ratios and
 * targets are worked out here, so no $cond, $lookup or $facet is needed.
 */
export class DashboardService {
  constructor(
    private readonly models: DashboardModels,
    private readonly targets: CashlessTargets,
    private readonly reach: BroadcastReach,
    /** Template messages a broadcast sent and Zalo reported delivered; none when no receipts are kept. */
    private readonly templates: (broadcastId: Types.ObjectId) => Promise<{ sent: number; delivered: number }> = () => Promise.resolve({ sent: 0, delivered: 0 }),
    private readonly now: () => Date = () => new Date(),
  ) {}

  async summary(province: string | null): Promise<DashboardSummary> {
    const now = this.now();
    const [provinces, adoption, pending, fraud, broadcasts, subscribers] = await Promise.all([
      this.provinces(province),
      this.adoption(province),
      this.pending(province),
      this.fraud(province, new Date(now.getTime() - FRAUD_WINDOW_DAYS * DAY_MS)),
      this.recentBroadcasts(province),
      province === null ? this.allSubscribers() : this.provinceSubscribers(province),
    ]);
    return { province, generatedAt: now, provinces, adoption, pending, fraud, broadcasts, subscribers };
  }

  private async provinces(province: string | null): Promise<DashboardSummary['provinces']> {
    // A scoped view needs no selector; the whole list would also tell a scoped key about other provinces.
    const codes = province === null ? ((await this.models.beneficiaries.distinct('provinceCode').exec()) as string[]) : [province];
    return codes.sort().map((code) => ({ code, name: cccdProvinceName(`0${code}`) ?? null }));
  }

  private async adoption(province: string | null): Promise<DashboardSummary['adoption']> {
    // One row per (province, district, benefit, method): a few thousand rows at most, whatever the register's size.
    const rows = await this.models.beneficiaries
      .aggregate<{ _id: { p: string; d?: string | null; b: BenefitType; k: PaymentMethodKind }; n: number }>([
        { $match: province === null ? {} : { provinceCode: province } },
        { $group: { _id: { p: '$provinceCode', d: '$districtCode', b: '$benefitType', k: '$paymentMethod.kind' }, n: { $sum: 1 } } },
      ])
      .exec();
    const overall: Tally = { total: 0, cashless: 0 };
    const provinces = new Map<string, Tally>();
    const districts = new Map<string | null, Tally>();
    const benefits = new Map<BenefitType, Tally>();
    for (const { _id, n } of rows) {
      const cashless = CASHLESS_METHODS.includes(_id.k);
      overall.total += n;
      if (cashless) overall.cashless += n;
      add(provinces, _id.p, n, cashless);
      add(districts, _id.d ?? null, n, cashless);
      add(benefits, _id.b, n, cashless);
    }
    const overallTarget = this.targets.overall;
    return {
      overall: figure(overall, overallTarget),
      byProvince: [...provinces].sort(([a], [b]) => byCode(a, b)).map(([code, t]) => ({ code, ...figure(t, overallTarget) })),
      byDistrict: [...districts].sort(([a], [b]) => byCode(a, b)).map(([code, t]) => ({ code, ...figure(t, overallTarget) })),
      byBenefitType: BENEFIT_TYPES.filter((b) => benefits.has(b)).map((benefitType) => ({
        benefitType,
        ...figure(benefits.get(benefitType)!, this.targets[benefitType]),
      })),
    };
  }

  private async pending(province: string | null): Promise<DashboardSummary['pending']> {
    // Each count is answered by the (status, provinceCode, createdAt) index of its collection.
    const scoped = province === null ? {} : { provinceCode: province };
    const [requests, requestsFrozen, links] = await Promise.all([
      this.models.requests.countDocuments({ status: 'submitted', ...scoped }).exec(),
      this.models.requests.countDocuments({ status: 'frozen', ...scoped }).exec(),
      this.models.links.countDocuments({ status: 'pending', ...scoped }).exec(),
    ]);
    return { requests, requestsFrozen, links };
  }

  private async fraud(province: string | null, since: Date): Promise<DashboardSummary['fraud']> {
    const rows = await this.models.fraudReports
      .aggregate<{ _id: FraudCategory; n: number }>([
        { $match: { ...(province === null ? {} : { provinceCode: province }), createdAt: { $gte: since } } },
        { $group: { _id: '$category', n: { $sum: 1 } } },
      ])
      .exec();
    const counts = new Map(rows.map((r) => [r._id, r.n]));
    const byCategory = FRAUD_CATEGORIES.map((category) => ({ category, count: counts.get(category) ?? 0 }));
    return { since, total: byCategory.reduce((sum, c) => sum + c.count, 0), byCategory };
  }

  private async recentBroadcasts(province: string | null): Promise<DashboardSummary['broadcasts']> {
    const docs = await this.models.broadcasts
      .find(province === null ? {} : { ownerProvince: province }, { title: 1, status: 1, createdAt: 1, queueComplete: 1, queuedCount: 1 })
      .sort({ createdAt: -1 })
      .limit(RECENT_BROADCASTS)
      .lean()
      .exec();
    return Promise.all(
      docs.map(async (doc) => {
        const [counts, templates] = await Promise.all([this.reach(doc), this.templates(doc._id)]);
        // Every delivery is in one of the states: their sum is all deliveries of the broadcast.
        const total = DELIVERY_STATES.reduce((sum, state) => sum + counts[state], 0);
        return { id: String(doc._id), title: doc.title, status: doc.status, createdAt: doc.createdAt, reach: { sent: counts.sent, blocked: counts.blocked, failed: counts.failed, total }, templates };
      }),
    );
  }

  private async allSubscribers(): Promise<DashboardSummary['subscribers']> {
    const rows = await this.models.chatUsers
      .aggregate<{ _id: { c: string; s: boolean; b: boolean }; n: number }>([
        { $group: { _id: { c: '$channel', s: '$subscribed', b: '$blocked' }, n: { $sum: 1 } } },
      ])
      .exec();
    const tally = new SubscriberTally();
    for (const { _id, n } of rows) tally.add(_id.c, _id.s, _id.b, n);
    return tally.list();
  }

  /**
   * A chat belongs to a province through an active link to one of its
   * beneficiaries. The chats are grouped in the database (a chat linked to
   * two people counts once) and looked up a page at a time, so memory stays
   * flat however many chats the province has.
   */
  private async provinceSubscribers(province: string): Promise<DashboardSummary['subscribers']> {
    const tally = new SubscriberTally();
    const cursor = this.models.links
      .aggregate<{ _id: { c: ChannelName; id: string } }>([
        { $match: { status: 'active', provinceCode: province } },
        { $group: { _id: { c: '$channel', id: '$chatId' } } },
      ])
      .cursor({ batchSize: CHAT_PAGE });
    let page: { c: ChannelName; id: string }[] = [];
    const flush = async (): Promise<void> => {
      const channels = [...new Set(page.map((chat) => chat.c))];
      // Per channel, so the unique (channel, chatId) index answers.
      const users = await Promise.all(
        channels.map((channel) =>
          this.models.chatUsers
            .find({ channel, chatId: { $in: page.filter((chat) => chat.c === channel).map((chat) => chat.id) } }, { channel: 1, subscribed: 1, blocked: 1 })
            .lean()
            .exec(),
        ),
      );
      for (const user of users.flat()) tally.add(user.channel, user.subscribed, user.blocked, 1);
      page = [];
    };
    try {
      for await (const row of cursor) {
        page.push(row._id);
        if (page.length >= CHAT_PAGE) await flush();
      }
      if (page.length > 0) await flush();
    } finally {
      await cursor.close();
    }
    return tally.list();
  }
}

class SubscriberTally {
  private readonly platforms = new Map<string, { subscribed: number; blocked: number; unsubscribed: number }>();

  add(platform: string, subscribed: boolean, blocked: boolean, n: number): void {
    const row = this.platforms.get(platform) ?? { subscribed: 0, blocked: 0, unsubscribed: 0 };
    // Blocking wins: a chat that blocked the bot cannot receive anything, subscribed or not.
    if (blocked) row.blocked += n;
    else if (subscribed) row.subscribed += n;
    else row.unsubscribed += n;
    this.platforms.set(platform, row);
  }

  list(): DashboardSummary['subscribers'] {
    return [...this.platforms]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([platform, r]) => ({ platform, ...r, total: r.subscribed + r.blocked + r.unsubscribed }));
  }
}
