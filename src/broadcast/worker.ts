import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';

const { ObjectId } = Types;
import type { Claims, Lease } from '../db/claims.js';
import { isDuplicateKey } from '../db/connect.js';
import { chatUserId } from '../db/models/chat-user.js';
import type { BroadcastDoc } from '../db/models/broadcast.js';
import type { BroadcastBatchDoc } from '../db/models/broadcast-batch.js';
import type { DeliveryDoc, DeliveryState } from '../db/models/delivery.js';
import type { DomainModels } from '../domain/deps.js';
import type { ChatKey, OutMessage } from '../engine/types.js';
import type { Logger } from '../logger.js';
import { streamAudience } from './audience.js';
import { limitsFor, type BroadcastConfig } from './config.js';
import { PlatformPacer } from './pacer.js';
import type { PlatformSender } from './platform-sender.js';
import { inQuietHours, platformQuietUntil } from './quiet-hours.js';
import { skipWaiting, type BroadcastModels } from './service.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WorkerDeps {
  models: BroadcastModels;
  domainModels: Pick<DomainModels, 'chatUsers' | 'links' | 'beneficiaries'>;
  config: BroadcastConfig;
  senders: PlatformSender[];
  logger: Logger;
  /** Marks a chat that blocked the bot (domain.chatUsers.markBlocked). */
  markBlocked: (chat: ChatKey) => Promise<void>;
  /** Leases on the audience stream and on each batch (unique inserts: exclusive on FerretDB too). */
  claims: Claims;
  now?: () => Date;
  /** Identifies this worker in leases; random by default. */
  id?: string;
}

/** Owner shown on a batch postponed by a platform's night; it is not offered again before the morning. */
const PARKED = 'quiet-hours';

/** Bounded wait after a 429 burst: a platform that keeps refusing ends the delivery `failed`. */
const MAX_RATE_LIMITED = 20;

/** Reads by `_id` in flight at once when a batch loads its rows and their users. */
const READ_CONCURRENCY = 16;

/** Batches (or broadcasts to queue) looked at per claim round. */
const CANDIDATES = 8;

/**
 * Sends broadcasts from the outbox. Any number of workers (in any number of
 * instances) may run, each with several lanes: the audience stream of a
 * broadcast and each batch are leased through Claims (one holder at a time,
 * every lane its own owner), and a lease that is not renewed is taken over.
 * The `owner`/`leaseUntil` fields on batches are only hints that keep held or
 * parked batches out of the candidate list; the lease is what excludes.
 */
export class BroadcastWorker {
  readonly id: string;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly pacers = new Map<string, PlatformPacer>();
  private readonly senders: Map<string, PlatformSender>;
  private readonly statusCache = new Map<string, { doc: BroadcastDoc; at: number }>();
  private readonly now: () => Date;
  private wake: (() => void) | undefined;
  private pendingFinals: { id: Types.ObjectId; state: DeliveryState; reason: string | undefined; resolve: () => void; reject: (err: Error) => void }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: WorkerDeps) {
    this.id = deps.id ?? `bw-${randomUUID()}`;
    this.now = deps.now ?? (() => new Date());
    this.senders = new Map(deps.senders.map((s) => [s.platform, s]));
  }

  /** Registers a platform's sender (channels are built after the admin router in startApp). */
  addSender(sender: PlatformSender): void {
    this.senders.set(sender.platform, sender);
  }

  /** The platforms this worker can send to. */
  platforms(): PlatformSender[] {
    return [...this.senders.values()];
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loops = [this.queueLoop(), ...Array.from({ length: this.deps.config.lanes }, (_, lane) => this.laneLoop(`${this.id}#${lane}`))];
  }

  /** Stops claiming work and waits for the sends in flight; unfinished batches are taken over later. */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await Promise.all(this.loops);
    this.loops = [];
  }

  // ------------------------------------------------------------ audience → outbox

  private async queueLoop(): Promise<void> {
    while (this.running) {
      try {
        await this.promoteDue();
        const claimed = await this.claimQueueing();
        if (claimed) {
          try {
            await this.queue(claimed.broadcast, claimed.lease);
          } finally {
            await claimed.lease.release();
          }
          continue;
        }
      } catch (err) {
        this.deps.logger.error({ event: 'broadcast_queue_error', err: (err as Error).message }, 'broadcast queueing failed');
      }
      await this.idle();
    }
  }

  private async idle(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.deps.config.pollMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Approved broadcasts whose time has come start sending. */
  private async promoteDue(): Promise<void> {
    const now = this.now();
    await this.deps.models.broadcasts
      .updateMany(
        { status: { $in: ['approved', 'scheduled'] }, $or: [{ sendAt: null }, { sendAt: { $lte: now } }] },
        { $set: { status: 'sending', startedAt: now } },
      )
      .exec();
  }

  private async claimQueueing(): Promise<{ broadcast: BroadcastDoc; lease: Lease } | null> {
    const { models, config, claims } = this.deps;
    const candidates = await models.broadcasts.find({ status: 'sending', queueComplete: false }, { _id: 1 }).limit(CANDIDATES).lean().exec();
    for (const { _id } of candidates) {
      const lease = await claims.lease(`bcast-queue:${String(_id)}`, this.id, config.leaseMs);
      if (!lease) continue;
      const broadcast = await models.broadcasts.findById(_id).lean().exec();
      if (broadcast?.status === 'sending' && !broadcast.queueComplete) {
        await models.broadcasts.updateOne({ _id }, { $set: { queueOwner: this.id, queueLeaseUntil: new Date(lease.validUntil()) } }).exec();
        return { broadcast, lease };
      }
      await lease.release();
    }
    return null;
  }

  /**
   * Streams the audience into deliveries and batches, page by page, recording the
   * cursor position with each page so a successor resumes where this one stopped.
   * Re-queued pages are harmless: the unique (broadcast, chat) index drops repeats.
   */
  private async queue(broadcast: BroadcastDoc, lease: Lease): Promise<void> {
    const { models, config } = this.deps;
    // At paid-broadcast rates a batch of 100 lasts 0.1 s and the per-batch round trips show: keep a batch at about half a second of sends.
    const platforms = broadcast.audience.platforms.length > 0 ? broadcast.audience.platforms : [...this.senders.keys()];
    const fastest = Math.max(0, ...platforms.map((p) => limitsFor(config, p).ratePerSecond));
    const batchSize = Math.max(config.batchSize, Math.min(1000, Math.ceil(fastest / 2)));
    let batchCount = broadcast.batchCount;
    let queued = broadcast.queuedCount;
    for await (const { recipients, lastId } of streamAudience(this.deps.domainModels, broadcast.audience, config.audienceBatch, broadcast.queueCursor)) {
      if (!this.running) return;
      const rows: DeliveryDoc[] = [];
      const batches: { batchNo: number; size: number; deliveryIds: Types.ObjectId[] }[] = [];
      for (let i = 0; i < recipients.length; i += batchSize) {
        const slice = recipients.slice(i, i + batchSize);
        const batchNo = batchCount + batches.length;
        const deliveryIds = slice.map(() => new ObjectId());
        batches.push({ batchNo, size: slice.length, deliveryIds });
        slice.forEach((r, k) => rows.push({ _id: deliveryIds[k]!, broadcastId: broadcast._id, batchNo, channel: r.channel, chatId: r.chatId, locale: r.locale, state: 'queued', attempts: 0 }));
      }
      if (rows.length > 0) {
        // Re-queued pages collide on the unique (broadcast, chat) index: those rows stay in their first batch.
        await models.deliveries.insertMany(rows, { ordered: false, lean: true }).catch((err: unknown) => {
          if (!isDuplicateKey(err)) throw err;
        });
        await models.batches
          .insertMany(
            batches.map((b) => ({ broadcastId: broadcast._id, batchNo: b.batchNo, state: 'open', owner: null, leaseUntil: null, size: b.size, deliveryIds: b.deliveryIds })),
            { ordered: false, lean: true },
          )
          .catch((err: unknown) => {
            if (!isDuplicateKey(err)) throw err;
          });
      }
      batchCount += batches.length;
      queued += rows.length;
      // The lease went to another worker (this one stalled): it resumes from the last recorded page.
      if (!(await lease.renew())) return;
      await models.broadcasts
        .updateOne({ _id: broadcast._id }, { $set: { queueCursor: lastId, batchCount, queuedCount: queued, queueLeaseUntil: new Date(lease.validUntil()) } })
        .exec();
      const status = (await models.broadcasts.findById(broadcast._id, { status: 1 }).lean().exec())?.status;
      if (status !== 'sending') {
        // Cancelled: skip what this page queued.
        await skipIfCancelled(models, broadcast._id);
        return;
      }
      this.wake?.();
    }
    const total = await models.deliveries.countDocuments({ broadcastId: broadcast._id }).exec();
    if (!(await lease.held())) return;
    await models.broadcasts
      .updateOne({ _id: broadcast._id }, { $set: { queueComplete: true, queuedCount: total, queueOwner: null, queueLeaseUntil: null } })
      .exec();
    this.deps.logger.info({ event: 'broadcast_queued', broadcastId: String(broadcast._id), recipients: total }, 'broadcast audience queued');
    await this.finishIfDone(broadcast._id);
  }

  // ------------------------------------------------------------ sending

  private async laneLoop(owner: string): Promise<void> {
    while (this.running) {
      let batch: BroadcastBatchDoc | null = null;
      try {
        const claimed = await this.claimBatch(owner);
        batch = claimed?.batch ?? null;
        if (claimed) {
          try {
            await this.sendBatch(claimed.batch, claimed.lease);
          } finally {
            await claimed.lease.release();
          }
        }
      } catch (err) {
        this.deps.logger.error({ event: 'broadcast_batch_error', err: (err as Error).message }, 'broadcast batch failed');
      }
      if (!batch) await sleep(this.deps.config.pollMs);
    }
  }

  /** Broadcasts that must wait for the end of quiet hours now. */
  private async quietBroadcastIds(): Promise<Types.ObjectId[]> {
    const { config } = this.deps;
    if (!inQuietHours(this.now(), config.quietHours, config.timeZone)) return [];
    const docs = await this.deps.models.broadcasts.find({ status: 'sending', ignoreQuietHours: false }, { _id: 1 }).lean().exec();
    return docs.map((d) => d._id);
  }

  private async claimBatch(owner: string): Promise<{ batch: BroadcastBatchDoc; lease: Lease } | null> {
    const { models, config, claims } = this.deps;
    const now = this.now();
    const quiet = await this.quietBroadcastIds();
    const filter: Record<string, unknown> = { state: 'open', $or: [{ owner: null }, { leaseUntil: { $lt: now } }] };
    if (quiet.length > 0) filter.broadcastId = { $nin: quiet };
    const candidates = await models.batches.find(filter, { _id: 1 }).limit(CANDIDATES).lean().exec();
    for (const { _id } of candidates) {
      const lease = await claims.lease(`bcast-batch:${String(_id)}`, owner, config.leaseMs);
      if (!lease) continue;
      // Read after winning: the previous holder may have finished or parked it meanwhile.
      const batch = await models.batches.findById(_id).lean().exec();
      const parked = batch?.owner === PARKED && batch.leaseUntil && batch.leaseUntil > this.now();
      if (batch?.state === 'open' && !parked) {
        await models.batches.updateOne({ _id }, { $set: { owner: this.id, leaseUntil: new Date(now.getTime() + config.leaseMs) } }).exec();
        return { batch, lease };
      }
      await lease.release();
    }
    return null;
  }

  /** The broadcast as last read, re-read at most every pollMs (so cancel is seen within about a second). */
  private async broadcastOf(id: Types.ObjectId): Promise<BroadcastDoc | null> {
    const key = String(id);
    const cached = this.statusCache.get(key);
    if (cached && Date.now() - cached.at < this.deps.config.pollMs) return cached.doc;
    const doc = await this.deps.models.broadcasts.findById(id).lean().exec();
    if (doc) this.statusCache.set(key, { doc, at: Date.now() });
    else this.statusCache.delete(key);
    return doc;
  }

  private async sendBatch(batch: BroadcastBatchDoc, lease: Lease): Promise<void> {
    const { models, config } = this.deps;
    let lost = false;
    const renew = setInterval(() => {
      void lease
        .renew()
        .then(async (kept) => {
          if (!kept) lost = true;
          else await models.batches.updateOne({ _id: batch._id }, { $set: { leaseUntil: new Date(this.now().getTime() + config.leaseMs) } }).exec();
        })
        .catch(() => undefined);
    }, Math.max(250, config.leaseMs / 3));
    const inFlight = new Set<Promise<void>>();
    // Rows of a platform in its night (Zalo) stay queued; the batch is parked until the earliest morning.
    let parkUntil: Date | null = null;
    try {
      const broadcast = await this.broadcastOf(batch.broadcastId);
      const rows = (await this.rowsOf(batch)).filter((r) => r.state === 'queued' || r.state === 'sending');
      if (!broadcast || broadcast.status === 'cancelled') {
        await this.finishRows(rows.map((r) => r._id), 'skipped', 'cancelled');
      } else {
        const gone = await this.unsubscribed(rows);
        if (gone.length > 0) await this.finishRows(gone, 'skipped', 'unsubscribed');
        const goneSet = new Set(gone.map(String));
        const todo = rows.filter((r) => !goneSet.has(String(r._id)));
        for (let i = 0; i < todo.length; ) {
          if (!this.running || lost) break;
          if ((await this.broadcastOf(batch.broadcastId))?.status !== 'sending') break;
          const channel = todo[i]!.channel;
          const cap = this.inFlightCap(channel);
          // Claimed in small groups: two database round trips per group instead of one per recipient.
          const size = Math.max(1, Math.min(16, Math.ceil(cap / 4)));
          const group: DeliveryDoc[] = [];
          while (i < todo.length && group.length < size && todo[i]!.channel === channel) group.push(todo[i++]!);
          const wait = platformQuietUntil(channel, this.now(), { quietHours: config.quietHours, timeZone: config.timeZone, ignoreQuietHours: broadcast.ignoreQuietHours });
          if (wait) {
            if (!parkUntil || wait < parkUntil) parkUntil = wait;
            continue;
          }
          const sender = this.senders.get(channel);
          if (!sender) {
            await this.finishRows(group.map((r) => r._id), 'failed', 'no_channel');
            continue;
          }
          while (inFlight.size > 0 && inFlight.size + group.length > cap) await Promise.race(inFlight);
          for (const row of await this.claim(group)) {
            const p = this.deliver(row, broadcast, sender).catch((err: unknown) => {
              this.deps.logger.error({ event: 'broadcast_delivery_error', err: (err as Error).message }, 'delivery failed unexpectedly');
            });
            inFlight.add(p);
            void p.finally(() => inFlight.delete(p));
          }
        }
      }
      await Promise.all(inFlight);
      if ((await this.broadcastOf(batch.broadcastId))?.status === 'cancelled') await skipWaiting(models.deliveries, batch.broadcastId);
      if (lost || !this.running || !(await lease.held())) return;
      const open = (await this.rowsOf(batch)).filter((r) => r.state === 'queued' || r.state === 'sending').length;
      if (open > 0 && parkUntil && this.running) {
        // Held (not owned by a live worker) until the night ends; then any worker claims it again.
        await models.batches.updateOne({ _id: batch._id }, { $set: { owner: PARKED, leaseUntil: parkUntil } }).exec();
        this.deps.logger.info({ event: 'broadcast_batch_postponed', broadcastId: String(batch.broadcastId), until: parkUntil.toISOString() }, 'night on a platform: batch postponed');
        return;
      }
      if (open > 0) {
        // Stopped early (shutdown): hand the rest back.
        await models.batches.updateOne({ _id: batch._id }, { $set: { owner: null, leaseUntil: null } }).exec();
        return;
      }
      await models.batches.updateOne({ _id: batch._id }, { $set: { state: 'done', leaseUntil: null } }).exec();
      await this.finishIfDone(batch.broadcastId);
    } finally {
      clearInterval(renew);
      await Promise.all(inFlight);
    }
  }

  /** Rows whose chat unsubscribed or blocked the bot since the audience was queued (each user read by `_id`). */
  private async unsubscribed(rows: DeliveryDoc[]): Promise<Types.ObjectId[]> {
    const users = await mapLimit(rows, READ_CONCURRENCY, (r) =>
      this.deps.domainModels.chatUsers.findById(chatUserId(r), { subscribed: 1, blocked: 1 }).lean().exec(),
    );
    return rows.filter((_, i) => !users[i]?.subscribed || users[i]?.blocked).map((r) => r._id);
  }

  /**
   * A batch's deliveries, each read by `_id` (listed on the batch when queued):
   * FerretDB reads a whole collection for any other filter, which at a large
   * audience costs more than the sends. Older batches without the list are found by query.
   */
  private async rowsOf(batch: BroadcastBatchDoc): Promise<DeliveryDoc[]> {
    const { deliveries } = this.deps.models;
    if (!batch.deliveryIds) return deliveries.find({ broadcastId: batch.broadcastId, batchNo: batch.batchNo }).lean().exec();
    const rows = await mapLimit(batch.deliveryIds, READ_CONCURRENCY, (id) => deliveries.findById(id).lean<DeliveryDoc>().exec());
    // An id whose insert collided (re-queued page) has no row: its recipient is in an earlier batch.
    return rows.filter((r): r is DeliveryDoc => r !== null && r.batchNo === batch.batchNo);
  }

  /**
   * Deliveries claimed (`sending`) at once: about a quarter second of sends, so
   * the HTTP calls overlap, while few rows are in flight if the process dies.
   */
  private inFlightCap(platform: string): number {
    const rate = limitsFor(this.deps.config, platform).ratePerSecond;
    return Math.min(this.deps.config.maxInFlight, Math.max(4, Math.ceil(rate / 4)));
  }

  private pacer(platform: string): PlatformPacer {
    let pacer = this.pacers.get(platform);
    if (!pacer) {
      pacer = new PlatformPacer(limitsFor(this.deps.config, platform), this.deps.config.windowGuardMs);
      this.pacers.set(platform, pacer);
    }
    return pacer;
  }

  /**
   * Marks rows `sending` (a crash from now on may repeat their send). The batch
   * lease makes this worker the only one on these rows, so each write goes by
   * `_id` alone (the one filter FerretDB answers without reading the collection).
   */
  private async claim(rows: DeliveryDoc[]): Promise<DeliveryDoc[]> {
    if (rows.length === 0) return rows;
    await this.deps.models.deliveries.bulkWrite(
      rows.map((r) => ({ updateOne: { filter: { _id: r._id }, update: { $set: { state: 'sending' as const, owner: this.id }, $inc: { attempts: 1 } } } })),
      { ordered: false },
    );
    return rows;
  }

  /** One claimed recipient: each call when the pacer allows; the answer decides the final state. */
  private async deliver(row: DeliveryDoc, broadcast: BroadcastDoc, sender: PlatformSender): Promise<void> {
    const { config } = this.deps;
    const calls = sender.render(row.chatId, messageFor(broadcast, row.locale));
    const pacer = this.pacer(row.channel);
    let attempts = 0;
    let limited = 0;
    for (let i = 0; i < calls.length; ) {
      // Paced right before the call, after the bookkeeping writes, so database latency does not bunch sends up.
      const answered = await pacer.acquire(row.chatId);
      const outcome = await sender.send(row.chatId, calls[i]);
      answered();
      switch (outcome.kind) {
        case 'ok':
          i++;
          continue;
        case 'rate_limited':
          pacer.pause(outcome.retryAfterMs + config.windowGuardMs);
          if (++limited > MAX_RATE_LIMITED) return this.finishOne(row._id, 'failed', 'rate_limited');
          this.deps.logger.warn({ event: 'broadcast_rate_limited', platform: row.channel, retryAfterMs: outcome.retryAfterMs }, 'platform asked to slow down');
          continue;
        case 'blocked':
          await this.deps.markBlocked({ channel: row.channel as ChatKey['channel'], chatId: row.chatId });
          return this.finishOne(row._id, 'blocked');
        case 'permanent':
          return this.finishOne(row._id, 'failed', outcome.reason);
        case 'transient':
          if (++attempts >= config.maxAttempts) return this.finishOne(row._id, 'failed', outcome.reason);
          await sleep(config.retryBaseMs * 2 ** (attempts - 1) * (0.5 + Math.random()));
          if ((await this.broadcastOf(broadcast._id))?.status === 'cancelled') return this.finishOne(row._id, 'skipped', 'cancelled');
          continue;
      }
    }
    await this.finishOne(row._id, 'sent');
  }

  /**
   * Records one final state. Writes are grouped (one bulkWrite per few
   * milliseconds); until written the row stays `sending`, so a crash repeats it.
   */
  private finishOne(id: Types.ObjectId, state: DeliveryState, reason?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingFinals.push({ id, state, reason, resolve, reject });
      if (this.pendingFinals.length >= 32) void this.flushFinals();
      else this.flushTimer ??= setTimeout(() => void this.flushFinals(), 10);
    });
  }

  private async flushFinals(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const pending = this.pendingFinals.splice(0);
    if (pending.length === 0) return;
    const at = this.now();
    try {
      await this.deps.models.deliveries.bulkWrite(
        pending.map((p) => ({
          updateOne: {
            filter: { _id: p.id },
            update: { $set: { state: p.state, finishedAt: at, ...(p.reason ? { reason: p.reason } : {}) } },
          },
        })),
        { ordered: false },
      );
      for (const p of pending) p.resolve();
    } catch (err) {
      for (const p of pending) p.reject(err as Error);
    }
  }

  /** Final states for rows this batch holder owns, written by `_id`. */
  private async finishRows(ids: Types.ObjectId[], state: DeliveryState, reason: string | undefined): Promise<void> {
    if (ids.length === 0) return;
    const set = { state, finishedAt: this.now(), ...(reason ? { reason } : {}) };
    await this.deps.models.deliveries.bulkWrite(ids.map((id) => ({ updateOne: { filter: { _id: id }, update: { $set: set } } })), { ordered: false });
  }

  /** The last batch done closes the broadcast. */
  private async finishIfDone(broadcastId: Types.ObjectId): Promise<void> {
    const { models } = this.deps;
    const b = await models.broadcasts.findById(broadcastId, { queueComplete: 1, status: 1 }).lean().exec();
    if (!b || b.status !== 'sending' || !b.queueComplete) return;
    const open = await models.batches.countDocuments({ broadcastId, state: 'open' }).exec();
    if (open > 0) return;
    const done = await models.broadcasts.updateOne({ _id: broadcastId, status: 'sending' }, { $set: { status: 'done', finishedAt: this.now() } }).exec();
    if (done.modifiedCount > 0) this.deps.logger.info({ event: 'broadcast_done', broadcastId: String(broadcastId) }, 'broadcast finished');
  }
}

async function skipIfCancelled(models: BroadcastModels, id: Types.ObjectId): Promise<void> {
  const b = await models.broadcasts.findById(id, { status: 1 }).lean().exec();
  if (b?.status === 'cancelled') await skipWaiting(models.deliveries, id);
}

/** The notice in the recipient's language; English falls back to Vietnamese. */
export function messageFor(broadcast: Pick<BroadcastDoc, 'content' | 'imageUrl' | 'linkUrl'>, locale: 'vi' | 'en'): OutMessage {
  const text = (locale === 'en' ? broadcast.content.en : undefined) ?? broadcast.content.vi;
  const linkLabel = text.linkLabel ?? broadcast.content.vi.linkLabel;
  return {
    text: text.text,
    ...(broadcast.imageUrl ? { photo: broadcast.imageUrl } : {}),
    ...(broadcast.linkUrl && linkLabel ? { link: { label: linkLabel, url: broadcast.linkUrl } } : {}),
  };
}

/** `fn` over `items`, at most `limit` at a time, results in order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const run = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}
