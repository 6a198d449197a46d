import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Zalo OA webhook signature. Zalo sends `X-ZEvent-Signature: mac=<hex>` where
 * hex = SHA-256 (a plain digest, not an HMAC) of
 * `appId + rawBody + timestamp + oaSecretKey`, `timestamp` being the body's own
 * `timestamp` field and the secret the OA secret key (not the app secret).
 * Source: Zalo's webhook docs (developers.zalo.me, Official Account → Webhook),
 * as restated in https://hainh.me/zalo-api-php-webhook-callback-official-account.html
 * (order: app id, JSON body, timestamp taken from the body, OA secret key — "không
 * phải khóa bí mật của ứng dụng"), and implemented the same way in production by
 * Chatwoot's Zalo OA integration (chatwoot/chatwoot app/jobs/webhooks/zalo_events_job.rb:
 * SHA-256 hex of app_id + post body + timestamp + ZALO_OA_SECRET_KEY, compared to
 * "mac=<hex>"). Zalo wants a 200 within 2 s and retries otherwise.
 */
export function oaMac(appId: string, rawBody: string, timestamp: string, oaSecretKey: string): string {
  return createHash('sha256').update(`${appId}${rawBody}${timestamp}${oaSecretKey}`, 'utf8').digest('hex');
}

export type SignatureCheck =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; reason: 'malformed' | 'missing_signature' | 'bad_signature' | 'stale' };

export interface SignatureInput {
  header: string | undefined;
  rawBody: string;
  appId: string;
  oaSecretKey: string;
  now: number;
  /** Allowed clock difference either way; a replay older than this is refused. */
  maxSkewMs?: number;
}

const MAX_SKEW_MS = 5 * 60_000;

/**
 * Verifies a webhook delivery. Pure: reads nothing but its input, so the route can
 * refuse a bad delivery before touching the database.
 */
export function verifyOaSignature(input: SignatureInput): SignatureCheck {
  let body: unknown;
  try {
    body = JSON.parse(input.rawBody);
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: 'malformed' };
  const record = body as Record<string, unknown>;
  const timestamp = record.timestamp;
  if (typeof timestamp !== 'string' && typeof timestamp !== 'number') return { ok: false, reason: 'malformed' };
  const ts = String(timestamp);
  if (!/^\d{1,16}$/.test(ts)) return { ok: false, reason: 'malformed' };

  const header = input.header?.trim();
  if (!header) return { ok: false, reason: 'missing_signature' };
  const given = header.startsWith('mac=') ? header.slice(4) : header;
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return { ok: false, reason: 'bad_signature' };
  const expected = oaMac(input.appId, input.rawBody, ts, input.oaSecretKey);
  if (!timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), Buffer.from(expected, 'hex'))) {
    return { ok: false, reason: 'bad_signature' };
  }
  // Zalo timestamps are epoch milliseconds, as a string.
  if (Math.abs(input.now - Number(ts)) > (input.maxSkewMs ?? MAX_SKEW_MS)) return { ok: false, reason: 'stale' };
  return { ok: true, body: record };
}
