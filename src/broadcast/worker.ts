import { randomUUID } from 'node:crypto';
import { Types } from 'mongoose';

const { ObjectId } = Types;
import type { Claims, Lease } from '../db/claims.js';
import { isDuplicateKey } from '../db/connect.js';
import type { BroadcastDoc } from '../db/models/broadcast.js';
import { packRecipients, unpackRecipients, type BatchRecipient, type BroadcastBatchDoc } from '../db/models/broadcast-batch.js';
import type { DeliveryDoc, FinalDeliveryState } from '../db/models/delivery.js';
import type { AudienceService } from '../domain/audience.js';
import type { ChannelSender, DeliveryRoute } from '../messaging/channel.js';
import type { Logger } from '../logger.js';
import { limitsFor, type BroadcastConfig } from './config.js';
import { PlatformPacer } from './pacer.js';
import { decided, markAttempted, recordOutcomes, skipWaiting, type Outcome } from './ledger.js';
import { inQuietHours, platformQuietUntil } from '../domain/quiet-hours.js';
import { changeBroadcast, type BroadcastModels } from './service.js';
import { messageFor, noticeFor } from './message.js';
import { errorMessage } from '../errors.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface WorkerDeps {
  models: BroadcastModels;
  /** Who the broadcast reaches, from the domain. */
  audience: Pick<AudienceService, 'stream' | 'unreachable'>;
  config: BroadcastConfig;
  /** The sending half of every running channel; the worker paces their calls. */
  senders: readonly ChannelSender[];
  logger: Logger;
  /** Marks a chat that blocked the bot (domain.chatUsers.markBlocked). */
  markBlocked: (chat: Pick<BatchRecipient, 'channel' | 'chatId'>) => Promise<void>;
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

/**
 * Outcomes are written together, at most this many or this late: each insert
 * has a fixed cost (one transaction on FerretDB), and until written a delivery
 * counts as `sending`, repeated after a crash. 50 ms is 20 sends at 400/s.
 */
const FLUSH_ROWS = 64;
const FLUSH_MS = 50;

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
  private readonly senders: Map<string, ChannelSender>;
  private readonly statusCache = new Map<string, { doc: BroadcastDoc; at: number }>();
  /** Platforms that asked this worker to wait past a lease (a spent daily quota), until when. */
  private readonly heldUntil = new Map<string, Date>();
  private readonly now: () => Date;
  private wake: (() => void) | undefined;
  private pendingFinals: { broadcastId: Types.ObjectId; outcome: Outcome; resolve: () => void; reject: (err: Error) => void }[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: WorkerDeps) {
    this.id = deps.id ?? `bw-${randomUUID()}`;
    this.now = deps.now ?? (() => new Date());
    this.senders = new Map(deps.senders.map((s) => [s.name, s]));
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
        this.deps.logger.error({ event: 'broadcast_queue_error', err: errorMessage(err) }, 'broadcast queueing failed');
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
    const due = await this.deps.models.broadcasts
      .find({ status: { $in: ['approved', 'scheduled'] }, $or: [{ sendAt: null }, { sendAt: { $lte: now } }] }, { status: 1 })
      .lean()
      .exec();
    // A cancel at the same moment must not be overwritten: leaving the status is single-winner.
    for (const b of due) await this.change(b._id, b.status, { status: 'sending', startedAt: now });
  }

  private async claimQueueing(): Promise<{ broadcast: BroadcastDoc; lease: Lease } | null> {
    const { models, config, claims } = this.deps;
    const candidates = await models.broadcasts.find({ status: 'sending', queueComplete: false }, { _id: 1 }).limit(CANDIDATES).lean().exec();
    for (const { _id } of candidates) {
      const lease = await claims.lease(`bcast-queue:${String(_id)}`, this.id, config.leaseMs);
      if (!lease) continue;
      const broadcast = await models.broadcasts.findById(_id).lean().exec();
      if (broadcast?.status === 'sending' && !broadcast.queueComplete) {
        await this.change(_id, null, { queueOwner: this.id, queueLeaseUntil: new Date(lease.validUntil()) });
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
    const fastest = Math.max(0, ...platforms.map((p) => this.limits(p).ratePerSecond));
    const batchSize = Math.max(config.batchSize, Math.min(1000, Math.ceil(fastest / 2)));
    let batchCount = broadcast.batchCount;
    let queued = broadcast.queuedCount;
    for await (const { recipients, lastId } of this.deps.audience.stream(broadcast.audience, config.audienceBatch, broadcast.queueCursor)) {
      if (!this.running) return;
      const rows: DeliveryDoc[] = [];
      const batches: { batchNo: number; rows: DeliveryDoc[] }[] = [];
      for (let i = 0; i < recipients.length; i += batchSize) {
        const batchNo = batchCount + batches.length;
        const slice = recipients.slice(i, i + batchSize).map((r) => ({ _id: new ObjectId(), broadcastId: broadcast._id, batchNo, channel: r.channel, chatId: r.chatId, locale: r.locale }));
        batches.push({ batchNo, rows: slice });
        rows.push(...slice);
      }
      if (rows.length > 0) {
        const repeated = await models.deliveries.insertMany(rows, { ordered: false, lean: true }).then(
          () => false,
          (err: unknown) => {
            if (!isDuplicateKey(err)) throw err;
            return true;
          },
        );
        // A re-queued page (after a crash) collides on the unique (broadcast, chat) index: those recipients stay in their first batch only.
        const kept = repeated ? new Set((await models.deliveries.find({ _id: { $in: rows.map((r) => r._id) } }, { _id: 1 }).lean().exec()).map((r) => String(r._id))) : null;
        await models.batches
          .insertMany(
            batches.map((b) => {
              const mine = kept ? b.rows.filter((r) => kept.has(String(r._id))) : b.rows;
              return {
                broadcastId: broadcast._id,
                batchNo: b.batchNo,
                state: mine.length > 0 ? 'open' : 'done',
                owner: null,
                leaseUntil: null,
                size: mine.length,
                packed: packRecipients(mine),
                takes: 0,
              };
            }),
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
      const status = (await this.change(broadcast._id, null, { queueCursor: lastId, batchCount, queuedCount: queued, queueLeaseUntil: new Date(lease.validUntil()) }))?.status;
      if (status !== 'sending') {
        // Cancelled: skip what this page queued.
        if (status === 'cancelled') await skipWaiting(models, broadcast._id, this.now());
        return;
      }
      this.wake?.();
    }
    const total = await models.deliveries.countDocuments({ broadcastId: broadcast._id }).exec();
    if (!(await lease.held())) return;
    await this.change(broadcast._id, null, { queueComplete: true, queuedCount: total, queueOwner: null, queueLeaseUntil: null });
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
        this.deps.logger.error({ event: 'broadcast_batch_error', err: errorMessage(err) }, 'broadcast batch failed');
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
        await models.batches.updateOne({ _id }, { $set: { owner: this.id, leaseUntil: new Date(now.getTime() + config.leaseMs) }, $inc: { takes: 1 } }).exec();
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
    // Rows of a platform in its night (Zalo), or held by it (a spent quota), stay queued; the batch is parked until the earliest.
    // Set from deliveries' callbacks too, which the compiler's narrowing does not follow.
    let parkUntil = null as Date | null;
    const hold = (until: Date) => {
      if (!parkUntil || until < parkUntil) parkUntil = until;
    };
    try {
      const broadcast = await this.broadcastOf(batch.broadcastId);
      const { rows, attempted } = await this.openRows(batch);
      // Rows given an outcome during this claim; the rest are handed on.
      const settled = new Set<string>();
      const finish = async (some: BatchRecipient[], state: FinalDeliveryState, reason: string) => {
        await this.finishRows(batch.broadcastId, some, state, reason, attempted);
        for (const r of some) settled.add(String(r._id));
      };
      if (!broadcast || broadcast.status === 'cancelled') {
        await finish(rows, 'skipped', 'cancelled');
      } else {
        const gone = await this.deps.audience.unreachable(rows);
        await finish(gone, 'skipped', 'unsubscribed');
        const goneSet = new Set(gone.map((r) => String(r._id)));
        const todo = rows.filter((r) => !goneSet.has(String(r._id)));
        for (let i = 0; i < todo.length; ) {
          if (!this.running || lost) break;
          if ((await this.broadcastOf(batch.broadcastId))?.status !== 'sending') break;
          const channel = todo[i]!.channel;
          const cap = this.inFlightCap(channel);
          // Marked in small groups: one insert per group instead of one write per recipient.
          const size = Math.max(1, Math.min(16, Math.ceil(cap / 4)));
          const group: BatchRecipient[] = [];
          while (i < todo.length && group.length < size && todo[i]!.channel === channel) group.push(todo[i++]!);
          const night = platformQuietUntil(this.senders.get(channel)?.limits.night ?? null, this.now(), { quietHours: config.quietHours, timeZone: config.timeZone, ignoreQuietHours: broadcast.ignoreQuietHours });
          const held = this.heldUntil.get(channel);
          const wait = night ?? (held && held > this.now() ? held : null);
          if (wait) {
            hold(wait);
            continue;
          }
          const sender = this.senders.get(channel);
          if (!sender) {
            await finish(group, 'failed', 'no_channel');
            continue;
          }
          while (inFlight.size > 0 && inFlight.size + group.length > cap) await Promise.race(inFlight);
          // From here a crash may repeat these sends: the attempt rows bound the duplicates.
          await markAttempted(models, batch.broadcastId, group, this.id, this.now());
          for (const row of group) {
            attempted.add(String(row._id));
            const p = this.deliver(row, broadcast, sender, hold).then(
              (done) => void (done && settled.add(String(row._id))),
              (err: unknown) => {
                this.deps.logger.error({ event: 'broadcast_delivery_error', err: errorMessage(err) }, 'delivery failed unexpectedly');
              },
            );
            inFlight.add(p);
            void p.finally(() => inFlight.delete(p));
          }
        }
      }
      await Promise.all(inFlight);
      if (lost || !this.running || !(await lease.held())) return;
      if ((await this.broadcastOf(batch.broadcastId))?.status === 'cancelled') {
        await finish(rows.filter((r) => !settled.has(String(r._id))), 'skipped', 'cancelled');
      }
      const open = rows.filter((r) => !settled.has(String(r._id))).length;
      if (open > 0 && parkUntil && this.running) {
        // Held (not owned by a live worker) until the night ends; then any worker claims it again.
        await models.batches.updateOne({ _id: batch._id }, { $set: { owner: PARKED, leaseUntil: parkUntil } }).exec();
        this.deps.logger.info({ event: 'broadcast_batch_postponed', broadcastId: String(batch.broadcastId), until: parkUntil.toISOString() }, "a platform's night or spent quota: batch postponed");
        return;
      }
      if (open > 0) {
        // Stopped early (shutdown, or a send that failed unexpectedly): hand the rest back.
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

  /**
   * The batch's recipients still without an outcome. Carried on the batch, so
   * a fresh batch costs no read; one taken over, resumed after a night or handed
   * back reads which of its rows are final or were attempted.
   */
  private async openRows(batch: BroadcastBatchDoc): Promise<{ rows: BatchRecipient[]; attempted: Set<string> }> {
    const rows: BatchRecipient[] = batch.packed
      ? unpackRecipients(batch.packed)
      : await this.deps.models.deliveries.find({ broadcastId: batch.broadcastId, batchNo: batch.batchNo }).lean<BatchRecipient[]>().exec();
    if (!batch.takes) return { rows, attempted: new Set() };
    const seen = await decided(this.deps.models, rows.map((r) => r._id));
    return { rows: rows.filter((r) => !seen.final.has(String(r._id))), attempted: seen.attempted };
  }

  /**
   * Deliveries sent at once: about a quarter second of sends, so the HTTP
   * calls overlap, while few rows are in flight if the process dies.
   */
  private inFlightCap(platform: string): number {
    const rate = this.limits(platform).ratePerSecond;
    return Math.min(this.deps.config.maxInFlight, Math.max(4, Math.ceil(rate / 4)));
  }

  private limits(platform: string) {
    return limitsFor(this.deps.config, platform, this.senders.get(platform)?.limits);
  }

  private pacer(platform: string): PlatformPacer {
    let pacer = this.pacers.get(platform);
    if (!pacer) {
      pacer = new PlatformPacer(this.limits(platform), this.deps.config.windowGuardMs);
      this.pacers.set(platform, pacer);
    }
    return pacer;
  }

  /**
   * One marked recipient: each call when the pacer allows; the answer decides the
   * outcome. False when it was left open because the platform asked to wait longer
   * than a lease (a spent daily quota): `hold` then parks the batch until then.
   */
  private async deliver(row: BatchRecipient, broadcast: BroadcastDoc, sender: ChannelSender, hold: (until: Date) => void): Promise<boolean> {
    const { config } = this.deps;
    const calls = sender.render(row.chatId, { ...messageFor(broadcast, row.locale), notice: noticeFor(broadcast, row.locale) }, 'notice');
    const pacer = this.pacer(row.channel);
    let tries = 0;
    let route: DeliveryRoute = 'message';
    let receipt: string | undefined;
    const finish = async (state: FinalDeliveryState, reason?: string): Promise<true> => {
      await this.finishOne(broadcast._id, { row, state, reason, route, receipt, attempted: true, tries });
      return true;
    };
    let attempts = 0;
    let limited = 0;
    for (let i = 0; i < calls.length; ) {
      // Paced right before the call, after the bookkeeping writes, so database latency does not bunch sends up.
      const answered = await pacer.acquire(row.chatId);
      tries++;
      const outcome = await sender.send(row.chatId, calls[i]);
      answered();
      switch (outcome.kind) {
        case 'sent':
          route = outcome.route ?? route;
          receipt = outcome.receipt ?? receipt;
          // One call carried the whole message (a template in its place): the rest is not sent.
          i = outcome.rest === 'skip' ? calls.length : i + 1;
          continue;
        case 'retry_after': {
          const retryAfterMs = outcome.ms ?? config.unknownRetryAfterMs;
          if (retryAfterMs > config.leaseMs) {
            const until = new Date(this.now().getTime() + retryAfterMs);
            this.heldUntil.set(row.channel, until);
            hold(until);
            this.deps.logger.warn({ event: 'broadcast_platform_held', platform: row.channel, until: until.toISOString() }, 'platform asked to wait (daily quota): deliveries wait');
            return false;
          }
          pacer.pause(retryAfterMs + config.windowGuardMs);
          if (++limited > MAX_RATE_LIMITED) return finish('failed', 'rate_limited');
          this.deps.logger.warn({ event: 'broadcast_rate_limited', platform: row.channel, retryAfterMs }, 'platform asked to slow down');
          continue;
        }
        case 'blocked':
          await this.deps.markBlocked(row);
          return finish('blocked');
        case 'outside_window':
          return finish('failed', 'outside_window');
        case 'failed':
          if (!outcome.retryable) return finish('failed', outcome.reason);
          if (++attempts >= config.maxAttempts) return finish('failed', outcome.reason);
          await sleep(config.retryBaseMs * 2 ** (attempts - 1) * (0.5 + Math.random()));
          if ((await this.broadcastOf(broadcast._id))?.status === 'cancelled') return finish('skipped', 'cancelled');
          continue;
      }
    }
    await finish('sent');
    return true;
  }

  /**
   * Records one outcome. Writes are grouped (one insert per few milliseconds);
   * until written the delivery counts as `sending`, so a crash repeats it.
   */
  private finishOne(broadcastId: Types.ObjectId, outcome: Outcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pendingFinals.push({ broadcastId, outcome, resolve, reject });
      if (this.pendingFinals.length >= FLUSH_ROWS) void this.flushFinals();
      else this.flushTimer ??= setTimeout(() => void this.flushFinals(), FLUSH_MS);
    });
  }

  private async flushFinals(): Promise<void> {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const pending = this.pendingFinals.splice(0);
    const byBroadcast = new Map<string, typeof pending>();
    for (const p of pending) {
      const key = String(p.broadcastId);
      const group = byBroadcast.get(key);
      if (group) group.push(p);
      else byBroadcast.set(key, [p]);
    }
    const at = this.now();
    await Promise.all(
      [...byBroadcast.values()].map(async (group) => {
        try {
          await recordOutcomes(this.deps.models, group[0]!.broadcastId, group.map((p) => p.outcome), this.id, at);
          for (const p of group) p.resolve();
        } catch (err) {
          for (const p of group) p.reject(err as Error);
        }
      }),
    );
  }

  /** One outcome for several rows this batch holder owns. */
  private async finishRows(broadcastId: Types.ObjectId, rows: BatchRecipient[], state: FinalDeliveryState, reason: string, attempted: Set<string>): Promise<void> {
    const outcomes = rows.map((row) => ({ row, state, reason, attempted: attempted.has(String(row._id)) }));
    await recordOutcomes(this.deps.models, broadcastId, outcomes, this.id, this.now());
  }

  /** Changes the broadcast document the one way staff changes it too (see changeBroadcast). */
  private change(id: Types.ObjectId, from: BroadcastDoc['status'] | null, set: Partial<BroadcastDoc>): Promise<BroadcastDoc | null> {
    return changeBroadcast(this.deps.models.broadcasts, this.deps.claims, this.id, id, from, set);
  }

  /** The last batch done closes the broadcast. */
  private async finishIfDone(broadcastId: Types.ObjectId): Promise<void> {
    const { models } = this.deps;
    const b = await models.broadcasts.findById(broadcastId, { queueComplete: 1, status: 1 }).lean().exec();
    if (!b || b.status !== 'sending' || !b.queueComplete) return;
    const open = await models.batches.countDocuments({ broadcastId, state: 'open' }).exec();
    if (open > 0) return;
    const done = await this.change(broadcastId, 'sending', { status: 'done', finishedAt: this.now() });
    if (done) this.deps.logger.info({ event: 'broadcast_done', broadcastId: String(broadcastId) }, 'broadcast finished');
  }
}
