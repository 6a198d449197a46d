import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../../db/connect.js';
import type { Logger } from '../../logger.js';
import type { ZaloTokenDoc, ZaloTokenModel } from '../../db/models/zalo-token.js';
import type { OaClient } from './oa-client.js';
import { ZaloRefreshFailedError } from './zalo-errors.js';

const DOC_ID = 'oa';
/** Refresh when less than this is left (tokens last 25 h). */
const REFRESH_MARGIN_MS = 3600_000;
/** A refresh lease outlives any sane OAuth call; a crashed holder frees it by expiry. */
const LEASE_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The OA access token, shared by every app instance through MongoDB. Zalo's refresh
 * tokens are single-use: two instances refreshing with the same one would lose the
 * grant. So an instance refreshes only after winning a lease with findOneAndUpdate
 * on the current `version`; the others wait and re-read the new pair.
 */
export class ZaloTokenStore {
  private readonly owner = randomUUID();

  constructor(
    private readonly model: ZaloTokenModel,
    private readonly client: OaClient,
    private readonly initialRefreshToken: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seeds the store from ZALO_REFRESH_TOKEN, only when the database holds no pair yet. */
  async init(): Promise<void> {
    await this.model
      .updateOne(
        { _id: DOC_ID },
        {
          $setOnInsert: { accessToken: null, refreshToken: this.initialRefreshToken, expiresAt: new Date(0), version: 0, leaseOwner: null, leaseUntil: null, refreshedAt: null },
        },
        { upsert: true },
      )
      .exec()
      .catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err; // another instance seeded it first
      });
  }

  /** A usable access token, refreshed first when it expires within the hour. */
  async accessToken(): Promise<{ token: string; version: number }> {
    const doc = await this.read();
    if (doc.accessToken && doc.expiresAt.getTime() - this.now() > REFRESH_MARGIN_MS) return { token: doc.accessToken, version: doc.version };
    return this.refresh(doc.version);
  }

  /**
   * Gets a new pair because the one at `staleVersion` was refused (expired token error)
   * or is about to expire. If another instance already replaced it, uses theirs.
   */
  async refresh(staleVersion: number): Promise<{ token: string; version: number }> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const doc = await this.read();
      if (doc.version !== staleVersion && doc.accessToken && doc.expiresAt.getTime() > this.now()) {
        return { token: doc.accessToken, version: doc.version };
      }
      const now = new Date(this.now());
      const leased = await this.model
        .findOneAndUpdate(
          { _id: DOC_ID, version: doc.version, $or: [{ leaseUntil: null }, { leaseUntil: { $lt: now } }] },
          { $set: { leaseOwner: this.owner, leaseUntil: new Date(this.now() + LEASE_MS) } },
          { returnDocument: 'after' },
        )
        .lean<ZaloTokenDoc>()
        .exec();
      if (!leased) {
        await sleep(50 + Math.floor(Math.random() * 50));
        continue;
      }
      return this.refreshHolding(leased);
    }
    throw new ZaloRefreshFailedError('oauth/access_token', -1, 'timed out waiting for another instance to refresh');
  }

  private async refreshHolding(doc: ZaloTokenDoc): Promise<{ token: string; version: number }> {
    let pair;
    try {
      pair = await this.client.refreshAccessToken(doc.refreshToken);
    } catch (err) {
      await this.model.updateOne({ _id: DOC_ID, leaseOwner: this.owner }, { $set: { leaseOwner: null, leaseUntil: null } }).exec();
      this.logger.error({ event: 'zalo_token_refresh_failed', err: (err as Error).message }, 'Zalo OA token refresh failed; an admin may need to re-authorise the app');
      throw err;
    }
    // Zalo has already spent the old refresh token: save the new pair before anything uses it.
    const version = doc.version + 1;
    const saved = await this.model
      .updateOne(
        { _id: DOC_ID, leaseOwner: this.owner, version: doc.version },
        {
          $set: {
            accessToken: pair.accessToken,
            refreshToken: pair.refreshToken,
            expiresAt: new Date(this.now() + pair.expiresIn * 1000),
            version,
            leaseOwner: null,
            leaseUntil: null,
            refreshedAt: new Date(this.now()),
          },
        },
      )
      .exec();
    if (saved.modifiedCount !== 1) {
      // Our lease expired mid-call; the pair is still the newest one Zalo issued, so keep it anyway.
      this.logger.error({ event: 'zalo_token_lease_lost' }, 'refresh lease expired during the call; saving the new pair regardless');
      await this.model
        .updateOne(
          { _id: DOC_ID },
          { $set: { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresAt: new Date(this.now() + pair.expiresIn * 1000), leaseOwner: null, leaseUntil: null, refreshedAt: new Date(this.now()) }, $inc: { version: 1 } },
        )
        .exec();
      const fresh = await this.read();
      return { token: pair.accessToken, version: fresh.version };
    }
    this.logger.info({ event: 'zalo_token_refreshed', version }, 'Zalo OA access token refreshed');
    return { token: pair.accessToken, version };
  }

  private async read(): Promise<ZaloTokenDoc> {
    const doc = await this.model.findById(DOC_ID).lean<ZaloTokenDoc>().exec();
    if (doc) return doc;
    await this.init();
    const seeded = await this.model.findById(DOC_ID).lean<ZaloTokenDoc>().exec();
    if (!seeded) throw new Error('zalo token store: no token document');
    return seeded;
  }
}
