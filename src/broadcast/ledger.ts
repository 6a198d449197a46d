import type { Model, Types } from 'mongoose';
import { isDuplicateKey } from '../db/connect.js';
import { DELIVERY_STATES, type DeliveryModel, type DeliveryState, type FinalDeliveryState } from '../db/models/delivery.js';
import type { DeliveryAttemptModel } from '../db/models/delivery-attempt.js';
import type { DeliveryOutcomeDoc, DeliveryOutcomeModel } from '../db/models/delivery-outcome.js';

/**
 * Where a broadcast's deliveries stand, kept with inserts only: a delivery row
 * when queued, an attempt row before its first send, an outcome row when final.
 * Each is keyed by the delivery's `_id`, so a repeat is a duplicate key (a
 * successor's attempt, a cancel racing a send) and exactly one outcome stands.
 * States are counted from the three collections, never stored on a row.
 */
export interface LedgerModels {
  deliveries: DeliveryModel;
  attempts: DeliveryAttemptModel;
  outcomes: DeliveryOutcomeModel;
}

export type DeliveryCounts = Record<DeliveryState, number>;

export const emptyCounts = (): DeliveryCounts => Object.fromEntries(DELIVERY_STATES.map((s) => [s, 0])) as DeliveryCounts;

/** A recipient as the ledger names it. */
export interface LedgerRow {
  _id: Types.ObjectId;
  channel: string;
  chatId: string;
}

export interface Outcome {
  row: LedgerRow;
  state: FinalDeliveryState;
  reason?: string | undefined;
  /** How it was sent, when not as a plain message (DeliveryRoute). */
  route?: string | undefined;
  /** The platform's message id for a later delivery receipt. */
  receipt?: string | undefined;
  /** True when an attempt row exists for it (a send may have happened). */
  attempted: boolean;
  tries?: number;
}

/**
 * Delivery counts per state for one broadcast (the dashboard's reach too): two
 * or three reads whatever the audience. `queued` is the total less the rest, so
 * a broadcast whose queueing is complete passes its recorded total and saves
 * counting the deliveries again (the costliest read on FerretDB).
 */
export async function deliveryCounts(models: LedgerModels, broadcast: { _id: Types.ObjectId; queueComplete?: boolean; queuedCount?: number }): Promise<DeliveryCounts> {
  const broadcastId = broadcast._id;
  const [total, attempted, groups] = await Promise.all([
    broadcast.queueComplete && broadcast.queuedCount !== undefined ? broadcast.queuedCount : models.deliveries.countDocuments({ broadcastId }).exec(),
    models.attempts.countDocuments({ broadcastId }).exec(),
    models.outcomes
      .aggregate<{ _id: { s: FinalDeliveryState; a: boolean }; n: number }>([{ $match: { broadcastId } }, { $group: { _id: { s: '$state', a: '$attempted' }, n: { $sum: 1 } } }])
      .exec(),
  ]);
  const counts = emptyCounts();
  let final = 0;
  let attemptedFinal = 0;
  for (const g of groups) {
    counts[g._id.s] += g.n;
    final += g.n;
    if (g._id.a) attemptedFinal += g.n;
  }
  counts.sending = Math.max(0, attempted - attemptedFinal);
  counts.queued = Math.max(0, total - final - counts.sending);
  return counts;
}

/** Marks rows as about to be sent; a row a predecessor already marked keeps its first mark. */
export async function markAttempted(models: LedgerModels, broadcastId: Types.ObjectId, rows: readonly LedgerRow[], owner: string, at: Date): Promise<void> {
  if (rows.length === 0) return;
  await insertAll(models.attempts, rows.map((r) => ({ _id: r._id, broadcastId, owner, at })));
}

/**
 * Records final states. The first outcome of a delivery stands, with one
 * exception: a send that happened beats a skip written meanwhile by a cancel
 * (the message did go out, and the report must say so).
 */
export async function recordOutcomes(models: LedgerModels, broadcastId: Types.ObjectId, outcomes: readonly Outcome[], owner: string | null, at: Date): Promise<void> {
  if (outcomes.length === 0) return;
  const docs: DeliveryOutcomeDoc[] = outcomes.map((o) => ({
    _id: o.row._id,
    broadcastId,
    channel: o.row.channel,
    chatId: o.row.chatId,
    state: o.state,
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.route && o.route !== 'message' ? { route: o.route } : {}),
    ...(o.receipt ? { receipt: o.receipt } : {}),
    attempted: o.attempted,
    owner,
    tries: o.tries ?? 0,
    finishedAt: at,
  }));
  const taken = await insertAll(models.outcomes, docs);
  for (const i of taken) {
    const doc = docs[i]!;
    if (doc.attempted) await models.outcomes.replaceOne({ _id: doc._id, attempted: false }, doc).exec();
  }
}

/** Which of these deliveries already have an attempt or an outcome (a batch taken over from a predecessor). */
export async function decided(models: LedgerModels, ids: readonly Types.ObjectId[]): Promise<{ final: Set<string>; attempted: Set<string> }> {
  const [finals, attempts] = await Promise.all([
    models.outcomes.find({ _id: { $in: ids } }, { _id: 1 }).lean().exec(),
    models.attempts.find({ _id: { $in: ids } }, { _id: 1 }).lean().exec(),
  ]);
  return { final: new Set(finals.map((d) => String(d._id))), attempted: new Set(attempts.map((d) => String(d._id))) };
}

/**
 * Every delivery of a cancelled broadcast not yet attempted ends `skipped`.
 * Attempted ones are left to their worker (or its successor), which knows
 * whether the send went out. Holds the ids decided so far in memory, and
 * streams the deliveries.
 */
export async function skipWaiting(models: LedgerModels, broadcastId: Types.ObjectId, at: Date): Promise<void> {
  const [finals, attempts] = await Promise.all([
    models.outcomes.find({ broadcastId }, { _id: 1 }).lean().exec(),
    models.attempts.find({ broadcastId }, { _id: 1 }).lean().exec(),
  ]);
  const done = new Set([...finals, ...attempts].map((d) => String(d._id)));
  let page: Outcome[] = [];
  const flush = async () => {
    await recordOutcomes(models, broadcastId, page, null, at);
    page = [];
  };
  for await (const row of models.deliveries.find({ broadcastId }, { _id: 1, channel: 1, chatId: 1 }).lean<LedgerRow[]>().cursor()) {
    if (done.has(String(row._id))) continue;
    page.push({ row, state: 'skipped', reason: 'cancelled', attempted: false });
    if (page.length >= 1000) await flush();
  }
  await flush();
}

/** One broadcast's outcomes, optionally of one state (reports and tests: who failed, and why). */
export function outcomesOf(models: LedgerModels, broadcastId: Types.ObjectId, state?: FinalDeliveryState): Promise<DeliveryOutcomeDoc[]> {
  return models.outcomes
    .find({ broadcastId, ...(state ? { state } : {}) })
    .lean<DeliveryOutcomeDoc[]>()
    .exec();
}

/** Outcomes per state, reason and route, for the report. */
export async function reasonCounts(models: LedgerModels, broadcastId: Types.ObjectId): Promise<{ state: FinalDeliveryState; reason: string | null; route: string | null; n: number }[]> {
  const groups = await models.outcomes
    .aggregate<{ _id: { s: FinalDeliveryState; r?: string | null; t?: string | null }; n: number }>([
      { $match: { broadcastId } },
      { $group: { _id: { s: '$state', r: '$reason', t: '$route' }, n: { $sum: 1 } } },
    ])
    .exec();
  return groups.map((g) => ({ state: g._id.s, reason: g._id.r ?? null, route: g._id.t ?? null, n: g.n }));
}

/** Inserts every document it can; returns the positions refused as duplicates (anything else throws). */
async function insertAll<T>(model: Model<T>, docs: T[]): Promise<number[]> {
  try {
    await model.insertMany(docs, { ordered: false, lean: true });
    return [];
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const rows = (err as { writeErrors?: { index?: number; err?: { index?: number } }[] }).writeErrors ?? [];
    if (rows.length === 0) return docs.length === 1 ? [0] : [];
    return rows.map((r) => r.index ?? r.err?.index ?? -1).filter((i) => i >= 0);
  }
}
