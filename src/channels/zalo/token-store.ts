import { randomUUID } from 'node:crypto';
import type { Claims } from '../../db/claims.js';
import { isDuplicateKey } from '../../db/connect.js';
import type { Logger } from '../../logger.js';
import type { ZaloTokenDoc, ZaloTokenModel } from '../../db/models/zalo-token.js';
import type { OaClient } from './oa-client.js';
import { ZaloRefreshFailedError } from './zalo-errors.js';
import { errorMessage } from '../../errors.js';

const DOC_ID = 'oa';
/** Refresh when less than this is left (tokens last 25 h). */
const REFRESH_MARGIN_MS = 3600_000;
/** A refresh claim outlives any sane OAuth call; after this, a silent holder is presumed dead and the next attempt may go. */
const CLAIM_STALE_MS = 30_000;
/** How long a caller waits for another instance's refresh before giving up. */
const WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The OA access token, shared by every app instance through MongoDB. Zalo's refresh
 * tokens are single-use: two instances refreshing with the same one would lose the
 * grant. So a refresh of the pair at `version` is a single-use claim
 * (`zalo-token-refresh:<version>:<attempt>`, a unique insert): one instance wins it
 * and refreshes, the others wait and re-read the new pair. Only a claim left silent
 * for CLAIM_STALE_MS (a dead holder) lets a next attempt through.
 */
export class ZaloTokenStore {
  private readonly owner = randomUUID();

  constructor(
    private readonly model: ZaloTokenModel,
    private readonly claims: Claims,
    private readonly client: OaClient,
    private readonly initialRefreshToken: string,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seeds the store from ZALO_REFRESH_TOKEN, only when the database holds no pair yet. */
  async init(): Promise<void> {
    await this.model
      .create({ _id: DOC_ID, accessToken: null, refreshToken: this.initialRefreshToken, expiresAt: new Date(0), version: 0, refreshedAt: null })
      .catch((err: unknown) => {
        if (!isDuplicateKey(err)) throw err; // seeded before, by us or another instance
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
    const deadline = this.now() + WAIT_MS;
    let attempt = 0;
    for (;;) {
      const doc = await this.read();
      if (doc.version !== staleVersion && doc.accessToken && doc.expiresAt.getTime() > this.now()) {
        return { token: doc.accessToken, version: doc.version };
      }
      const key = `zalo-token-refresh:${doc.version}:${attempt}`;
      if (await this.claims.once(key, 7 * 24 * 3600_000, this.owner)) return this.refreshHolding(doc);
      const claim = await this.claims.claimOf(key);
      if (claim && this.now() - claim.at.getTime() > CLAIM_STALE_MS) {
        attempt++;
        continue;
      }
      if (this.now() > deadline) throw new ZaloRefreshFailedError('oauth/access_token', -1, 'timed out waiting for another instance to refresh');
      await sleep(50 + Math.floor(Math.random() * 50));
    }
  }

  private async refreshHolding(doc: ZaloTokenDoc): Promise<{ token: string; version: number }> {
    let pair;
    try {
      pair = await this.client.refreshAccessToken(doc.refreshToken);
    } catch (err) {
      this.logger.error({ event: 'zalo_token_refresh_failed', err: errorMessage(err) }, 'Zalo OA token refresh failed; an admin may need to re-authorise the app');
      throw err;
    }
    // Zalo has already spent the old refresh token: save the new pair before anything uses it.
    // Only this claim's winner writes version + 1, so a write by _id is enough.
    const version = doc.version + 1;
    await this.model
      .updateOne(
        { _id: DOC_ID },
        {
          $set: {
            accessToken: pair.accessToken,
            refreshToken: pair.refreshToken,
            expiresAt: new Date(this.now() + pair.expiresIn * 1000),
            version,
            refreshedAt: new Date(this.now()),
          },
        },
      )
      .exec();
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
