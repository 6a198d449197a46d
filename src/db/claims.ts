import { isDuplicateKey } from './connect.js';
import type { ClaimDoc, ClaimModel } from './models/claim.js';

/**
 * The one way any part of the app takes a lease, a single-use claim or a
 * bounded number of attempts, across processes and instances.
 *
 * Why unique inserts and not conditional updates: FerretDB 1.24 (SQLite)
 * applies `findOneAndUpdate({ _id, owner: null }, …)` as "read, then write by
 * _id" with nothing in between held (FerretDB issue #3040), so two callers can
 * both win. A unique-key insert is atomic on FerretDB and MongoDB alike. So
 * every claim here is an insert of a document whose `_id` names the thing
 * claimed: a chain `<scope>#1`, `<scope>#2`, … where taking position n+1 is
 * allowed only by the rule of the chain (the lease at n is over; fewer than
 * `limit` attempts in the window), and the unique `_id` lets exactly one
 * caller take it. A head hint (`<scope>#head`) saves probing the chain from 1;
 * it may lag, never lead, and readers probe forward from it.
 *
 * Every lookup is by `_id`: FerretDB's SQLite handler reads the whole
 * collection for any other filter.
 */

/** A lease held on one resource. `token` grows with every new holder (a fencing token). */
export interface Lease {
  readonly resource: string;
  readonly owner: string;
  readonly token: number;
  /** Until when this holder may act (the stored expiry less the clock-skew margin). */
  validUntil(): number;
  /** Extends the lease; false (and lost for good) when it ended first or was taken over. */
  renew(): Promise<boolean>;
  /** Still ours: not released, not expired, no successor. One or two lookups by `_id`. */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

export type AttemptResult = { ok: true; used: number; remaining: number } | { ok: false; retryAt: Date };

/** Links of a chain outlive their expiry by this much before the clean-up removes them. */
const PURGE_GRACE_MS = 24 * 3600_000;
/** Rounds of "read the head, try the next position" before giving up on a busy chain. */
const APPEND_TRIES = 20;

const linkId = (scope: string, n: number) => `${scope}#${n}`;
const headId = (scope: string) => `${scope}#head`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ClaimBusyError extends Error {
  override name = 'ClaimBusyError';
}

export class Claims {
  constructor(
    private readonly model: ClaimModel,
    private readonly now: () => number = Date.now,
    /** Holders stop this long before the stored expiry, takers wait this long after it: covers clock drift between instances. */
    private readonly skewMs = 1000,
  ) {}

  // ----------------------------------------------------------- single use

  /** True for the one caller, ever, whose claim of `key` came first (until `forget` or the clean-up after `keepMs`). */
  async once(key: string, keepMs: number | null = null, owner: string | null = null): Promise<boolean> {
    const at = this.now();
    try {
      await this.model.create({ _id: key, owner, at: new Date(at), expiresAt: keepMs === null ? null : new Date(at + keepMs) });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Who holds a single-use claim, if anyone. */
  async claimOf(key: string): Promise<ClaimDoc | null> {
    return this.model.findById(key).lean<ClaimDoc>().exec();
  }

  /** Gives up a single-use claim, so the next `once(key)` succeeds (e.g. the claimed work failed before doing anything). */
  async forget(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key }).exec();
  }

  // ----------------------------------------------------------- leases

  /** Takes the lease on `resource` for `ttlMs` if nobody holds it; null when held. */
  async lease(resource: string, owner: string, ttlMs: number): Promise<Lease | null> {
    for (let i = 0; i < APPEND_TRIES; i++) {
      const { n, link } = await this.head(resource);
      const now = this.now();
      if (link && !link.releasedAt && link.expiresAt && link.expiresAt.getTime() + this.skew(ttlMs) >= now) return null;
      const expiresAt = new Date(now + ttlMs);
      if (await this.append(resource, n + 1, { owner, at: new Date(now), expiresAt })) {
        return new ChainLease(this.model, resource, owner, n + 1, ttlMs, expiresAt.getTime(), this.now, this.skew(ttlMs));
      }
    }
    throw new ClaimBusyError(`lease ${resource}: too much contention`);
  }

  /** Waits up to `waitMs` for the lease, backing off between tries; null if it stayed held. */
  async waitForLease(resource: string, owner: string, ttlMs: number, waitMs: number): Promise<Lease | null> {
    const deadline = this.now() + waitMs;
    for (let attempt = 0; ; attempt++) {
      const lease = await this.lease(resource, owner, ttlMs).catch((err: unknown) => {
        if (err instanceof ClaimBusyError) return null;
        throw err;
      });
      if (lease) return lease;
      if (this.now() > deadline) return null;
      await sleep(Math.min(20 * 2 ** Math.min(attempt, 5), 400) * (0.5 + Math.random()));
    }
  }

  /** Whether `resource` is leased right now (by anyone). */
  async isLeased(resource: string): Promise<boolean> {
    const { link } = await this.head(resource);
    return !!link && !link.releasedAt && !!link.expiresAt && link.expiresAt.getTime() >= this.now();
  }

  // ----------------------------------------------------------- attempts

  /**
   * Takes one of at most `limit` attempts on `scope` within any `windowMs`. Each
   * link carries the times of the latest `limit` attempts, so the window is read
   * from the head alone and enforced by the unique insert of the next position.
   */
  async take(scope: string, limit: number, windowMs: number): Promise<AttemptResult> {
    for (let i = 0; i < APPEND_TRIES; i++) {
      const { n, link } = await this.head(scope);
      const now = this.now();
      const recent = inWindow(link, now, windowMs);
      if (recent.length >= limit) return { ok: false, retryAt: new Date(recent[recent.length - limit]!.getTime() + windowMs) };
      const next = [...recent, new Date(now)].slice(-limit);
      if (await this.append(scope, n + 1, { at: new Date(now), expiresAt: new Date(now + windowMs), recent: next })) {
        return { ok: true, used: next.length, remaining: limit - next.length };
      }
    }
    throw new ClaimBusyError(`attempts ${scope}: too much contention`);
  }

  /** Attempts used on `scope` within the window, without taking one. */
  async used(scope: string, windowMs: number): Promise<number> {
    const { link } = await this.head(scope);
    return inWindow(link, this.now(), windowMs).length;
  }

  /** Starts the count of `scope` afresh (e.g. after a success), as a new link with no recent attempts. */
  async resetAttempts(scope: string, windowMs: number): Promise<void> {
    for (let i = 0; i < APPEND_TRIES; i++) {
      const { n } = await this.head(scope);
      const now = this.now();
      if (await this.append(scope, n + 1, { at: new Date(now), expiresAt: new Date(now + windowMs), recent: [] })) return;
    }
    throw new ClaimBusyError(`attempts ${scope}: too much contention`);
  }

  // ----------------------------------------------------------- sequences

  /** The next number of a gap-free sequence (case numbers): each number is handed to exactly one caller. */
  async next(scope: string): Promise<number> {
    for (let i = 0; i < APPEND_TRIES; i++) {
      const { n } = await this.head(scope);
      if (await this.append(scope, n + 1, { at: new Date(this.now()), expiresAt: null })) return n + 1;
    }
    throw new ClaimBusyError(`sequence ${scope}: too much contention`);
  }

  // ----------------------------------------------------------- clean-up

  /** Removes links, hints and single-use claims well past their expiry (no TTL index on FerretDB). Run periodically. */
  async purge(): Promise<number> {
    const res = await this.model.deleteMany({ expiresAt: { $lt: new Date(this.now() - PURGE_GRACE_MS) } }).exec();
    return res.deletedCount;
  }

  // ----------------------------------------------------------- chain

  /** The latest position of a chain and its link (null when none, or purged long after it ended). */
  private async head(scope: string): Promise<{ n: number; link: ClaimDoc | null }> {
    const hint = await this.model.findById(headId(scope)).lean<ClaimDoc>().exec();
    let n = hint?.n ?? 0;
    let [link, next] = await Promise.all([n > 0 ? this.link(scope, n) : null, this.link(scope, n + 1)]);
    while (next) {
      n += 1;
      link = next;
      next = await this.link(scope, n + 1);
    }
    return { n, link };
  }

  private link(scope: string, n: number): Promise<ClaimDoc | null> {
    return this.model.findById(linkId(scope, n)).lean<ClaimDoc>().exec();
  }

  /** Inserts position `n`; false when another caller took it first. Then moves the hint forward. */
  private async append(scope: string, n: number, fields: Omit<ClaimDoc, '_id' | 'scope' | 'n'>): Promise<boolean> {
    try {
      await this.model.create({ _id: linkId(scope, n), scope, n, ...fields });
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
    await moveHint(this.model, scope, n, fields.expiresAt);
    return true;
  }

  private skew(ttlMs: number): number {
    return Math.min(this.skewMs, Math.floor(ttlMs / 10));
  }
}

/** The head hint only ever helps a reader start probing late in the chain; $max keeps a slow writer from moving it back. */
async function moveHint(model: ClaimModel, scope: string, n: number, expiresAt: Date | null): Promise<void> {
  const update = { $max: { n, ...(expiresAt ? { expiresAt } : {}) }, $setOnInsert: { at: new Date() } };
  try {
    await model.updateOne({ _id: headId(scope) }, update, { upsert: true }).exec();
  } catch (err) {
    // Two first links at once both upserted the hint: the other insert won, apply ours to it.
    if (!isDuplicateKey(err)) throw err;
    await model.updateOne({ _id: headId(scope) }, { $max: update.$max }).exec();
  }
}

function inWindow(link: ClaimDoc | null, now: number, windowMs: number): Date[] {
  return (link?.recent ?? []).filter((t) => new Date(t).getTime() > now - windowMs).map((t) => new Date(t));
}

class ChainLease implements Lease {
  private lost = false;

  constructor(
    private readonly model: ClaimModel,
    readonly resource: string,
    readonly owner: string,
    readonly token: number,
    private readonly ttlMs: number,
    private expiresAt: number,
    private readonly now: () => number,
    private readonly skewMs: number,
  ) {}

  validUntil(): number {
    return this.lost ? 0 : this.expiresAt - this.skewMs;
  }

  /**
   * A renewal counts only if it is stored before this holder's own deadline:
   * a taker moves in only after the stored expiry plus the margin, so a
   * renewal that lands in time is always seen by the next would-be taker.
   */
  async renew(): Promise<boolean> {
    if (this.now() >= this.validUntil()) return this.lose();
    const expiresAt = this.now() + this.ttlMs;
    const res = await this.model.updateOne({ _id: linkId(this.resource, this.token) }, { $set: { expiresAt: new Date(expiresAt) } }).exec();
    if (res.matchedCount !== 1 || this.now() >= this.validUntil()) return this.lose();
    if (await this.model.exists({ _id: linkId(this.resource, this.token + 1) }).exec()) return this.lose();
    this.expiresAt = expiresAt;
    await moveHint(this.model, this.resource, this.token, new Date(expiresAt));
    return true;
  }

  async held(): Promise<boolean> {
    if (this.now() >= this.validUntil()) return this.lose();
    const [mine, next] = await Promise.all([
      this.model.findById(linkId(this.resource, this.token)).lean<ClaimDoc>().exec(),
      this.model.exists({ _id: linkId(this.resource, this.token + 1) }).exec(),
    ]);
    if (!mine || mine.releasedAt || next) return this.lose();
    return true;
  }

  async release(): Promise<void> {
    if (this.lost) return;
    this.lost = true;
    await this.model.updateOne({ _id: linkId(this.resource, this.token) }, { $set: { releasedAt: new Date(this.now()) } }).exec();
  }

  private lose(): false {
    this.lost = true;
    return false;
  }
}
