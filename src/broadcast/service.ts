import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';
import { oneAtATime } from '../db/one-at-a-time.js';
import type { AudienceFilter, BroadcastDoc, BroadcastModel, BroadcastStatus, BroadcastText } from '../db/models/broadcast.js';
import type { BroadcastBatchModel } from '../db/models/broadcast-batch.js';
import type { NoticeTemplateModel } from '../db/models/notice-template.js';
import type { Claims } from '../db/claims.js';
import { DELIVERY_STATES, type DeliveryModel, type FinalDeliveryState } from '../db/models/delivery.js';
import type { DeliveryAttemptModel } from '../db/models/delivery-attempt.js';
import type { DeliveryOutcomeModel } from '../db/models/delivery-outcome.js';
import { needsLinks, type AudienceRoutes, type AudienceService } from '../domain/audience.js';
import type { MappedTemplate, TemplateMessages } from '../messaging/channel.js';
import { daysWithinQuota, pricesFor, templateCost, type RoutePrices } from './cost.js';
import type { BroadcastConfig } from './config.js';
import { deliveryCounts, emptyCounts, reasonCounts, skipWaiting, type DeliveryCounts } from './ledger.js';
import { contentProblems } from './links.js';
import type { ChannelName } from '../vocabulary/channels.js';
import type { DeliveryReceipts } from './receipts.js';
import { BroadcastError, type BroadcastActor } from './errors.js';
import { fillTemplate } from './templates.js';

export { BroadcastError, type BroadcastActor } from './errors.js';
import type { TemplateStore } from './template-store.js';

export interface BroadcastInput {
  title: string;
  content: { vi: BroadcastText; en?: BroadcastText };
  imageUrl?: string;
  linkUrl?: string;
  audience: Partial<AudienceFilter>;
  sendAt?: Date | null;
  ignoreQuietHours?: boolean;
  /** The template (and its version) the content was filled from. */
  template?: { id: string; version: number };
}

export type { DeliveryCounts } from './ledger.js';

/** A broadcast as staff see it, with progress. */
export interface BroadcastView {
  id: string;
  title: string;
  status: BroadcastStatus;
  content: { vi: BroadcastText; en?: BroadcastText };
  imageUrl: string | null;
  linkUrl: string | null;
  audience: AudienceFilter;
  sendAt: Date | null;
  ignoreQuietHours: boolean;
  needsApproval: boolean;
  estimatedRecipients: number | null;
  estimatedCost: number | null;
  template: { id: string; version: number } | null;
  createdBy: string;
  submittedBy: string | null;
  approvedBy: string | null;
  /** Set when a second admin refused it (status `rejected`). */
  rejectedBy: string | null;
  rejectionReason: string | null;
  cancelledBy: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  progress: {
    queued: number;
    queueComplete: boolean;
    counts: DeliveryCounts;
    /** Recipients expected: those queued, or the estimate while the audience is still being queued. */
    total: number;
    /** Recipients not final yet (queued, sending, or not queued yet). */
    pending: number;
    /** Final deliveries per second since sending started. */
    ratePerSecond: number;
    /** Seconds until every recipient is final at the current rate; null when unknown. */
    etaSeconds: number | null;
  };
}

/** What a filter's audience would take now, for staff before they submit. */
export interface BroadcastEstimate {
  recipients: number;
  routes: AudienceRoutes;
  /** The Zalo template broadcasts go out as beyond the window (GET /zalo/notice-templates); null when none is mapped. */
  template: Pick<MappedTemplate, 'id' | 'name' | 'tag'> | null;
  prices: RoutePrices | null;
  /** Đồng for the template messages; 0 when none is needed, null when a price is unknown. */
  cost: number | null;
  /** Zalo's daily quota and what is left of it today; null without a Zalo OA or when Zalo cannot be asked. */
  quota: { daily: number; remaining: number } | null;
  /** Days the template messages take within the quota, today counted; null when unknown. */
  days: number | null;
  /** Recipients only a template reaches while none is mapped: they would be listed undeliverable. */
  withoutTemplate: number;
  /** A second admin must approve: more recipients than the threshold, or a cost above the limit (links and quiet hours are judged at submit). */
  needsApproval: boolean;
}

/** The final account of a broadcast (GET /broadcasts/:id/report). */
export interface BroadcastReport {
  id: string;
  title: string;
  status: BroadcastStatus;
  /** True when no delivery can change any more. */
  final: boolean;
  recipients: number;
  counts: DeliveryCounts;
  /** Failed deliveries per reason code (`outside_window`, `http_500`, …). */
  failureReasons: Record<string, number>;
  /** Skipped deliveries per reason (`unsubscribed`, `cancelled`). */
  skipReasons: Record<string, number>;
  /** Sent deliveries by how they went: `message`, or `template_uid` (a Zalo template beyond the window). */
  sentByRoute: Record<string, number>;
  /** Of those, how many the platform reported delivered to the phone (Zalo templates report it). */
  deliveredByRoute: Record<string, number>;
  startedAt: Date | null;
  finishedAt: Date | null;
  firstSentAt: Date | null;
  lastSentAt: Date | null;
  achievedRatePerSecond: number | null;
  template: { id: string; version: number } | null;
  /** Đồng for template messages: estimated at submit, and as sent (sends by route × the same prices). */
  cost: { estimated: number | null; recorded: number | null };
}

export interface BroadcastModels {
  broadcasts: BroadcastModel;
  deliveries: DeliveryModel;
  attempts: DeliveryAttemptModel;
  outcomes: DeliveryOutcomeModel;
  batches: BroadcastBatchModel;
  templates: NoticeTemplateModel;
}

/**
 * Staff broadcasts: drafts, the four-eyes rule, the link allow-list, cancel,
 * progress. The only writer of broadcasts outside the sending worker.
 */
export class BroadcastService {
  constructor(
    private readonly models: BroadcastModels,
    private readonly audience: Pick<AudienceService, 'peopleOf' | 'routes'>,
    private readonly config: BroadcastConfig,
    /** Built-in and staff-written templates. */
    private readonly templateStore: TemplateStore,
    /** Makes each status change single-winner (FerretDB does not apply a conditional update atomically). */
    private readonly claims: Claims,
    private readonly now: () => Date = () => new Date(),
    /** Platforms' delivery receipts, for "delivered" in the report. */
    private readonly receipts?: Pick<DeliveryReceipts, 'byRoute'>,
    /** The Zalo OA's template messages, when it runs here: the template broadcasts go as, and the quota. */
    private readonly templateMessages?: TemplateMessages,
  ) {}

  /** Names this instance in broadcast leases. */
  private readonly owner = `broadcasts-${randomUUID()}`;

  /** Content from a template (built-in or stored; current version unless one is named), fields filled in. */
  async fromTemplate(
    id: string,
    fields: Record<string, string>,
    version?: number,
  ): Promise<{ content: { vi: BroadcastText; en?: BroadcastText }; template: { id: string; version: number } }> {
    const template = await this.templateStore.resolve(id, version);
    const vi = fillTemplate(template.text.vi, fields);
    if (!vi.ok) throw new BroadcastError('template_fields', `missing template fields: ${vi.missing.join(', ')}`, 'template.fields');
    const content: { vi: BroadcastText; en?: BroadcastText } = { vi: { text: vi.text } };
    if (template.text.en !== undefined) {
      const en = fillTemplate(template.text.en, fields);
      if (!en.ok) throw new BroadcastError('template_fields', `missing template fields: ${en.missing.join(', ')}`, 'template.fields');
      content.en = { text: en.text };
    }
    return { content, template: { id: template.id, version: template.version } };
  }

  /** A new draft. Links are checked against the allow-list now, not only at approval. */
  async create(input: BroadcastInput, actor: BroadcastActor): Promise<BroadcastView> {
    this.checkContent(input);
    if (input.audience.source === 'register') await this.phoneTemplate();
    const requested = input.audience.provinces ?? [];
    if (actor.province !== null && requested.some((p) => p !== actor.province)) {
      throw new BroadcastError('province_scope', `this key is limited to province ${actor.province}`, 'audience.provinces');
    }
    // A province office only ever writes to its own province's linked chats.
    const audience = normaliseAudience(actor.province === null ? input.audience : { ...input.audience, provinces: [actor.province] });
    const doc = await this.models.broadcasts.create({
      title: input.title,
      content: input.content,
      imageUrl: input.imageUrl,
      linkUrl: input.linkUrl,
      audience,
      ownerProvince: actor.province,
      status: 'draft',
      sendAt: input.sendAt ?? null,
      ignoreQuietHours: input.ignoreQuietHours ?? false,
      createdBy: actor.keyId,
      ...(input.template ? { templateId: input.template.id, templateVersion: input.template.version } : {}),
    });
    return this.view(doc.toObject());
  }

  /** How a filter's audience would be reached now: by message, on Zalo by template to the user id or to the register's phone. */
  estimateRoutes(filter: Partial<AudienceFilter>): Promise<AudienceRoutes> {
    return this.audience.routes(normaliseAudience(filter), this.now());
  }

  /** The audience by route, what its template messages cost, how long the quota makes them take, and whether approval is needed. */
  async estimateAll(filter: Partial<AudienceFilter>): Promise<BroadcastEstimate> {
    const routes = await this.estimateRoutes(filter);
    const recipients = routes.message + routes.zaloTemplate + routes.zaloPhone;
    const templated = routes.zaloTemplate + routes.zaloPhone;
    const mapped = (await this.templateMessages?.mapped('broadcast')) ?? null;
    const prices = mapped ? pricesFor(mapped, this.config.templatePrices) : null;
    const cost = templated === 0 ? 0 : prices ? templateCost({ uid: routes.zaloTemplate, phone: routes.zaloPhone }, prices) : null;
    const quota = templated > 0 && this.templateMessages ? await this.templateMessages.quota() : null;
    return {
      recipients,
      routes,
      template: mapped ? { id: mapped.id, name: mapped.name, tag: mapped.tag } : null,
      prices,
      cost,
      quota,
      days: mapped ? daysWithinQuota(templated, quota) : null,
      withoutTemplate: mapped ? 0 : templated,
      needsApproval: recipients > this.config.approvalThreshold || (cost ?? 0) > this.config.costApprovalVnd,
    };
  }

  /** The register audience reaches people by phone: refused without a Zalo OA and a template mapped to broadcasts. */
  private async phoneTemplate(): Promise<MappedTemplate> {
    const mapped = await this.templateMessages?.mapped('broadcast');
    if (!mapped) {
      throw new BroadcastError(
        'no_phone_template',
        'everyone in the register is reached by a Zalo template to their phone: connect the Zalo OA and map an approved template to "broadcast" first (PUT /zalo/notice-templates/broadcast)',
        'audience.source',
      );
    }
    return mapped;
  }

  /**
   * Draft → ready to send, or → pending_approval when it is large, carries a
   * link, or asks to ignore quiet hours.
   */
  async submit(id: string, actor: BroadcastActor): Promise<BroadcastView> {
    const doc = await this.load(id, actor.province);
    if (doc.status !== 'draft') throw new BroadcastError('invalid_state', `broadcast is ${doc.status}, not draft`);
    if (doc.audience.source === 'register') await this.phoneTemplate();
    const estimate = await this.estimateAll(doc.audience);
    const needsApproval = estimate.needsApproval || Boolean(doc.linkUrl) || doc.ignoreQuietHours;
    const next: BroadcastStatus = needsApproval ? 'pending_approval' : this.readyStatus(doc.sendAt);
    return this.transition(doc._id, 'draft', next, {
      needsApproval,
      estimatedRecipients: estimate.recipients,
      submittedBy: actor.keyId,
      estimatedCost: estimate.cost,
      prices: estimate.prices,
    });
  }

  /** A second key with role admin, not the author nor the submitter, releases the broadcast. */
  async approve(id: string, actor: BroadcastActor): Promise<BroadcastView> {
    const doc = await this.awaitingSecondAdmin(id, actor, 'approve', 'a broadcast must be approved by a different key than the one that wrote or submitted it');
    return this.transition(doc._id, 'pending_approval', this.readyStatus(doc.sendAt), { approvedBy: actor.keyId, approvedAt: this.now() });
  }

  /**
   * A second admin refuses a broadcast waiting for approval; it ends `rejected`
   * with the reason. The author withdraws their own with cancel instead.
   */
  async reject(id: string, actor: BroadcastActor, reason: string): Promise<BroadcastView> {
    const doc = await this.awaitingSecondAdmin(
      id,
      actor,
      'reject',
      'the approval step belongs to a different key than the one that wrote or submitted it; cancel it instead',
    );
    const at = this.now();
    return this.transition(doc._id, 'pending_approval', 'rejected', { rejectedBy: actor.keyId, rejectedAt: at, rejectionReason: reason, finishedAt: at });
  }

  /** Stops a broadcast: nothing more is sent, waiting deliveries end `skipped`. */
  async cancel(id: string, actor: BroadcastActor): Promise<BroadcastView> {
    const open: BroadcastStatus[] = ['draft', 'pending_approval', 'approved', 'scheduled', 'sending'];
    // The status may move on (sent, approved) between reading and leaving it: read again, a few times.
    for (let round = 0; round < 3; round++) {
      const doc = await this.load(id, actor.province);
      if (!open.includes(doc.status)) break;
      const at = this.now();
      const updated = await this.leave(doc._id, doc.status, 'cancelled', { cancelledBy: actor.keyId, cancelledAt: at, finishedAt: at });
      if (!updated) continue;
      await skipWaiting(this.models, doc._id, at);
      return this.view(updated);
    }
    const doc = await this.load(id, actor.province);
    throw new BroadcastError('invalid_state', `broadcast is ${doc.status}; it can no longer be cancelled`);
  }

  async get(id: string, province: string | null): Promise<BroadcastView> {
    return this.view(await this.load(id, province));
  }

  async list(province: string | null, limit = 50): Promise<BroadcastView[]> {
    const filter = province === null ? {} : { ownerProvince: province };
    const docs = await this.models.broadcasts.find(filter).sort({ createdAt: -1 }).limit(limit).lean().exec();
    return Promise.all(docs.map((d) => this.view(d)));
  }

  /**
   * The final account of a broadcast: recipients per state, failures and skips
   * per reason, first and last successful send, and the rate achieved between them.
   */
  /**
   * The people a broadcast did not reach (failed or blocked), with the reason and,
   * when the chat is a beneficiary's own, who they are: for the office to write
   * to them or tell them at their next visit. A scoped key sees its province's broadcasts only.
   */
  async undeliverable(id: string, province: string | null): Promise<{ channel: string; chatId: string; reason: string; bhxhCode: string; fullName: string; districtCode: string; communeCode: string }[]> {
    const doc = await this.load(id, province);
    const rows = await this.models.outcomes
      .find({ broadcastId: doc._id, state: { $in: ['failed', 'blocked'] } }, { channel: 1, chatId: 1, state: 1, reason: 1 })
      .sort({ _id: 1 })
      .lean()
      .exec();
    const people = await this.audience.peopleOf(rows.map((r) => ({ channel: r.channel as ChannelName, chatId: r.chatId })));
    return rows.map((r) => {
      const person = people.get(`${r.channel}:${r.chatId}`);
      return { channel: r.channel, chatId: r.chatId, reason: r.state === 'blocked' ? 'blocked' : (r.reason ?? 'unknown'), bhxhCode: person?.bhxhCode ?? '', fullName: person?.fullName ?? '', districtCode: person?.districtCode ?? '', communeCode: person?.communeCode ?? '' };
    });
  }

  /** Sent deliveries whose platform reported them delivered, by route (only routes that report receipts). */
  private async deliveredByRoute(broadcastId: Types.ObjectId): Promise<Record<string, number>> {
    if (!this.receipts) return {};
    const byRoute = await this.receipts.byRoute(this.models.outcomes, broadcastId);
    return Object.fromEntries(Object.entries(byRoute).map(([route, n]) => [route, n.delivered]));
  }

  async report(id: string, province: string | null): Promise<BroadcastReport> {
    const doc = await this.load(id, province);
    const { outcomes } = this.models;
    const [counts, reasons] = await Promise.all([deliveryCounts(this.models, doc), reasonCounts(this.models, doc._id)]);
    const tally = (rows: typeof reasons, key: (r: (typeof reasons)[number]) => string): Record<string, number> => {
      const sums = new Map<string, number>();
      for (const r of rows) sums.set(key(r), (sums.get(key(r)) ?? 0) + r.n);
      return Object.fromEntries([...sums].sort(([a], [b]) => a.localeCompare(b)));
    };
    const byReason = (state: FinalDeliveryState) => tally(reasons.filter((r) => r.state === state), (r) => r.reason ?? 'unknown');
    const edge = async (order: 1 | -1): Promise<Date | null> =>
      (await outcomes.findOne({ broadcastId: doc._id, state: 'sent' }, { finishedAt: 1 }).sort({ finishedAt: order }).lean().exec())?.finishedAt ?? null;
    const [firstSentAt, lastSentAt] = await Promise.all([edge(1), edge(-1)]);
    const failureReasons = byReason('failed');
    const skipReasons = byReason('skipped');
    const span = firstSentAt && lastSentAt ? (lastSentAt.getTime() - firstSentAt.getTime()) / 1000 : 0;
    const total = DELIVERY_STATES.reduce((sum, s) => sum + counts[s], 0);
    const sentByRoute = tally(reasons.filter((r) => r.state === 'sent'), (r) => r.route ?? 'message');
    const recorded = doc.prices ? templateCost({ uid: sentByRoute.template_uid ?? 0, phone: sentByRoute.template_phone ?? 0 }, doc.prices) : null;
    return {
      id: String(doc._id),
      title: doc.title,
      status: doc.status,
      final: doc.status === 'done' || (doc.status === 'cancelled' && counts.queued + counts.sending === 0),
      recipients: total,
      counts,
      failureReasons,
      skipReasons,
      sentByRoute,
      deliveredByRoute: await this.deliveredByRoute(doc._id),
      startedAt: doc.startedAt ?? null,
      finishedAt: doc.finishedAt ?? null,
      firstSentAt,
      lastSentAt,
      // Sends per second between the first and the last one; null with fewer than two distinct send times.
      achievedRatePerSecond: span > 0 ? Math.round(((counts.sent - 1) / span) * 100) / 100 : null,
      template: doc.templateId ? { id: doc.templateId, version: doc.templateVersion ?? 1 } : null,
      cost: { estimated: doc.estimatedCost ?? null, recorded },
    };
  }

  /**
   * The guards of the approval step (approve and reject): an admin key, a
   * broadcast waiting for approval, and not the key that wrote or submitted it.
   */
  private async awaitingSecondAdmin(id: string, actor: BroadcastActor, verb: 'approve' | 'reject', fourEyes: string): Promise<BroadcastDoc> {
    if (actor.role !== 'admin') throw new BroadcastError('forbidden', `only an admin key may ${verb} a broadcast`);
    const doc = await this.load(id, actor.province);
    if (doc.status !== 'pending_approval') throw new BroadcastError('invalid_state', `broadcast is ${doc.status}, not pending_approval`);
    if (doc.createdBy === actor.keyId || doc.submittedBy === actor.keyId) throw new BroadcastError('four_eyes', fourEyes);
    return doc;
  }

  private readyStatus(sendAt: Date | null): BroadcastStatus {
    return sendAt && sendAt.getTime() > this.now().getTime() ? 'scheduled' : 'approved';
  }

  private checkContent(input: BroadcastInput): void {
    const [problem] = contentProblems(input, this.config.allowedLinkDomains);
    if (problem) throw new BroadcastError(problem.code, problem.message, problem.field);
  }

  private async load(id: string, province: string | null): Promise<BroadcastDoc> {
    if (!Types.ObjectId.isValid(id)) throw new BroadcastError('not_found', 'no such broadcast');
    const filter: Record<string, unknown> = { _id: new Types.ObjectId(id) };
    if (province !== null) filter.ownerProvince = province;
    const doc = await this.models.broadcasts.findOne(filter).lean().exec();
    if (!doc) throw new BroadcastError('not_found', 'no such broadcast');
    return doc;
  }

  private async transition(id: Types.ObjectId, from: BroadcastStatus, to: BroadcastStatus, set: Partial<BroadcastDoc>): Promise<BroadcastView> {
    const doc = await this.leave(id, from, to, set);
    // Someone else moved it first (two staff clicking at once).
    if (!doc) throw new BroadcastError('invalid_state', `broadcast is no longer ${from}`);
    return this.view(doc);
  }

  /** Moves a broadcast out of `from`, or returns null when another caller did first. */
  private leave(id: Types.ObjectId, from: BroadcastStatus, to: BroadcastStatus, set: Partial<BroadcastDoc>): Promise<BroadcastDoc | null> {
    return changeBroadcast(this.models.broadcasts, this.claims, this.owner, id, from, { ...set, status: to });
  }

  private async view(doc: BroadcastDoc): Promise<BroadcastView> {
    // Deliveries are queued only once the worker has started the broadcast (promoteDue sets startedAt with `sending`).
    const counts = doc.startedAt ? await deliveryCounts(this.models, doc) : emptyCounts();
    const final = counts.sent + counts.blocked + counts.failed + counts.skipped;
    const elapsed = doc.startedAt ? ((doc.finishedAt ?? this.now()).getTime() - doc.startedAt.getTime()) / 1000 : 0;
    const rate = elapsed > 0 ? final / elapsed : 0;
    const notQueuedYet = doc.queueComplete || isClosed(doc.status) ? 0 : Math.max(0, (doc.estimatedRecipients ?? 0) - doc.queuedCount);
    const remaining = counts.queued + counts.sending + notQueuedYet;
    return {
      id: String(doc._id),
      title: doc.title,
      status: doc.status,
      content: doc.content,
      imageUrl: doc.imageUrl ?? null,
      linkUrl: doc.linkUrl ?? null,
      audience: doc.audience,
      sendAt: doc.sendAt,
      ignoreQuietHours: doc.ignoreQuietHours,
      needsApproval: doc.needsApproval,
      estimatedRecipients: doc.estimatedRecipients,
      estimatedCost: doc.estimatedCost ?? null,
      template: doc.templateId ? { id: doc.templateId, version: doc.templateVersion ?? 1 } : null,
      createdBy: doc.createdBy,
      submittedBy: doc.submittedBy ?? null,
      approvedBy: doc.approvedBy ?? null,
      rejectedBy: doc.rejectedBy ?? null,
      rejectionReason: doc.rejectionReason ?? null,
      cancelledBy: doc.cancelledBy ?? null,
      createdAt: doc.createdAt,
      startedAt: doc.startedAt ?? null,
      finishedAt: doc.finishedAt ?? null,
      progress: {
        queued: doc.queuedCount,
        queueComplete: doc.queueComplete,
        counts,
        total: final + remaining,
        pending: remaining,
        ratePerSecond: Math.round(rate * 100) / 100,
        etaSeconds: remaining === 0 ? 0 : rate > 0 ? Math.ceil(remaining / rate) : null,
      },
    };
  }
}

/** Statuses after which no delivery is added or sent. */
function isClosed(status: BroadcastStatus): boolean {
  return status === 'done' || status === 'cancelled' || status === 'rejected';
}

/**
 * The one way a broadcast document changes after it is created, by staff or
 * worker alike: under the broadcast's lease, so each change reads the one
 * before it. FerretDB 1.24 writes an updated document back whole with nothing
 * held between read and write, so without it a worker recording its queue
 * cursor could put back `sending` over a cancel made a moment earlier, and two
 * approvals could both win. With `from`, changes only a broadcast still in
 * that status; null when it was not.
 */
export function changeBroadcast(
  broadcasts: BroadcastModel,
  claims: Claims,
  owner: string,
  id: Types.ObjectId,
  from: BroadcastStatus | null,
  set: Partial<BroadcastDoc>,
): Promise<BroadcastDoc | null> {
  return oneAtATime(claims, `broadcast:${String(id)}`, owner, () =>
    broadcasts.findOneAndUpdate({ _id: id, ...(from ? { status: from } : {}) }, { $set: set }, { returnDocument: 'after', lean: true }).exec(),
  );
}

/** Fills in the filter's defaults; province/benefit filters imply linked chats only. */
export function normaliseAudience(filter: Partial<AudienceFilter>): AudienceFilter {
  if (filter.source === 'register') {
    // Everyone in the register: through their own chat or their phone, whatever the platform or language.
    return { source: 'register', platforms: [], provinces: filter.provinces ?? [], languages: [], linkedOnly: false, benefitTypes: filter.benefitTypes ?? [], districts: filter.districts ?? [] };
  }
  const audience: AudienceFilter = {
    source: 'chats',
    platforms: filter.platforms ?? [],
    provinces: filter.provinces ?? [],
    languages: filter.languages ?? [],
    linkedOnly: filter.linkedOnly ?? false,
    benefitTypes: filter.benefitTypes ?? [],
    districts: filter.districts ?? [],
  };
  audience.linkedOnly = needsLinks(audience);
  return audience;
}
