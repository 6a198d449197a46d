import { ZaloApiError, ZaloRefreshFailedError, ZaloThrottledError, oaError } from './zalo-errors.js';
import type { OaMessage } from './oa-render.js';
import { errorMessage } from '../../errors.js';

export interface OaClientOptions {
  /** https://openapi.zalo.me in production. */
  apiBase: string;
  /** https://oauth.zaloapp.com in production. */
  oauthBase: string;
  appId: string;
  appSecret: string;
  timeoutMs?: number;
}

export interface OaTokenPair {
  accessToken: string;
  refreshToken: string;
  /** Seconds; Zalo gives 90000 (25 h) for an OA access token. */
  expiresIn: number;
}

interface Envelope {
  error?: number;
  message?: string;
  data?: Record<string, unknown>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A small typed client for the Zalo OA API v3 and its OAuth v4 token endpoint, on
 * Node's fetch. Zalo reports application errors as HTTP 200 with a non-zero
 * `error`, so every answer is checked and turned into a typed ZaloApiError.
 * The access token travels in an `access_token` header; the app secret in a
 * `secret_key` header on token requests.
 */
export class OaClient {
  constructor(private readonly opts: OaClientOptions) {}

  /** POST /v3.0/oa/message/cs: a consultation message to a user who talked to the OA within 7 days. */
  async sendMessage(accessToken: string, userId: string, message: OaMessage): Promise<{ messageId?: string }> {
    const envelope = await this.call('message/cs', `${this.opts.apiBase}/v3.0/oa/message/cs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', access_token: accessToken },
      body: JSON.stringify({ recipient: { user_id: userId }, message }),
    });
    const messageId = envelope.data?.message_id;
    return typeof messageId === 'string' ? { messageId } : {};
  }

  /** POST /v2.0/oa/upload/image (multipart, field `file`, jpg/png ≤ 1 MB): returns the attachment_id. */
  async uploadImage(accessToken: string, bytes: Uint8Array, filename: string, contentType: string): Promise<string> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: contentType }), filename);
    const envelope = await this.call('upload/image', `${this.opts.apiBase}/v2.0/oa/upload/image`, {
      method: 'POST',
      headers: { access_token: accessToken },
      body: form,
    });
    const id = envelope.data?.attachment_id;
    if (typeof id !== 'string') throw new ZaloApiError('upload/image', -1, 'no attachment_id in the answer');
    return id;
  }

  /**
   * Trades the single-use refresh token for a new pair (POST /v4/oa/access_token,
   * form refresh_token, app_id, grant_type=refresh_token; header secret_key). The old
   * refresh token is dead once this succeeds: the caller must store the new one.
   */
  async refreshAccessToken(refreshToken: string): Promise<OaTokenPair> {
    const body = new URLSearchParams({ refresh_token: refreshToken, app_id: this.opts.appId, grant_type: 'refresh_token' });
    const json = await this.fetchJson('oauth/access_token', `${this.opts.oauthBase}/v4/oa/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', secret_key: this.opts.appSecret },
      body,
    });
    const access = json.access_token;
    const refresh = json.refresh_token;
    if (typeof access !== 'string' || typeof refresh !== 'string' || access === '' || refresh === '') {
      const code = typeof json.error === 'number' ? json.error : -1;
      const reason = typeof json.error_name === 'string' ? json.error_name : typeof json.message === 'string' ? json.message : 'no token in the answer';
      throw new ZaloRefreshFailedError('oauth/access_token', code, reason);
    }
    const expiresIn = Number(json.expires_in ?? 90_000);
    return { accessToken: access, refreshToken: refresh, expiresIn: Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 90_000 };
  }

  private async call(method: string, url: string, init: RequestInit): Promise<Envelope> {
    const json = await this.fetchJson(method, url, init);
    const envelope: Envelope = {
      error: typeof json.error === 'number' ? json.error : Number(json.error ?? 0),
      message: typeof json.message === 'string' ? json.message : undefined,
      data: isRecord(json.data) ? json.data : undefined,
    };
    if (envelope.error !== 0 && !Number.isNaN(envelope.error)) throw oaError(method, envelope.error!, envelope.message ?? 'error');
    return envelope;
  }

  private async fetchJson(method: string, url: string, init: RequestInit): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000) });
    } catch (err) {
      throw new ZaloApiError(method, -1, `network: ${errorMessage(err)}`);
    }
    if (res.status === 429) throw new ZaloThrottledError(method, 429, 'HTTP 429');
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ZaloApiError(method, -res.status, `HTTP ${res.status}, not JSON`);
    }
    if (!isRecord(json)) throw new ZaloApiError(method, -res.status, `HTTP ${res.status}, not an object`);
    if (res.status >= 400 && json.error === undefined) throw new ZaloApiError(method, -res.status, `HTTP ${res.status}`);
    return json;
  }
}
