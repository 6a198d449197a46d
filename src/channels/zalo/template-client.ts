import { errorMessage } from '../../errors.js';
import { ZaloApiError, ZaloThrottledError } from './zalo-errors.js';

/**
 * Zalo's template messages (ZBS Template Message, which since 1 January 2026
 * unifies the former ZNS and UID messages): a template Zalo approved, with named
 * parameters, sent by phone number or by Zalo user id. Endpoints, bodies and
 * answers as developers.zalo.me documents them (ZBS Template Message → "Gửi tin
 * qua SĐT" → API gửi tin; → "Gửi tin qua UID"; Quản lý template; Quota):
 * - GET  {business}/template/all?offset&limit&status   (status is a number: 1 enabled, 2 pending, 3 rejected, 4 disabled)
 * - GET  {business}/template/info/v2?template_id
 * - POST {business}/message/template      { phone: "84…", template_id, template_data, tracking_id }
 * - POST {oa}/v3.0/oa/message/template     { user_id, template_id, template_data }
 * - GET  {business}/message/quota
 * Every call carries the OA access token in an `access_token` header; errors come
 * back as HTTP 200 with a non-zero `error`.
 */

export type TemplateStatus = 'ENABLE' | 'PENDING_REVIEW' | 'REJECT' | 'DISABLE';

export interface TemplateParam {
  name: string;
  required: boolean;
  /** Zalo's parameter type (STRING, …), as given. */
  type: string;
  minLength: number;
  maxLength: number;
  acceptNull: boolean;
}

export interface ZaloTemplate {
  id: string;
  name: string;
  status: TemplateStatus | string;
  params: TemplateParam[];
  /** Transaction, customer care or promotion (the price and rules differ). */
  tag: string | null;
  /** Price per message in VND as Zalo states it (by phone; by user id when given apart). */
  price: number | null;
  priceByUid: number | null;
  previewUrl: string | null;
}

export interface TemplateQuota {
  daily: number;
  remaining: number;
}

/** What one template send came to; the caller decides what a refusal means for the recipient. */
export type TemplateOutcome =
  | { kind: 'sent'; messageId: string }
  /** Today's quota is spent (-144, -1441, -147, -115, -211): try again after the daily reset. */
  | { kind: 'quota_exhausted'; code: number }
  /** No Zalo account on this phone, or one that cannot receive (-108, -118, -119, -114). */
  | { kind: 'not_on_zalo'; code: number }
  /** The person refused the OA's template messages or blocked it (-139, -141, -213, -244). */
  | { kind: 'refused'; code: number }
  /** The template cannot be used: unknown, not approved, disabled, not allowed, or phone-only (-109, -131, -146, -117, -249, -127). */
  | { kind: 'template_unusable'; code: number; reason: string }
  /** A parameter does not fit the template (-1121 too long, -1122 missing, -1124 format, -111, -112). */
  | { kind: 'bad_params'; code: number; reason: string }
  /** Zalo asked to slow down, or the network or Zalo failed: worth another try. */
  | { kind: 'retry'; code: number; reason: string }
  /** Any other answer: not worth repeating. */
  | { kind: 'failed'; code: number; reason: string };

const QUOTA = new Set([-144, -1441, -147, -115, -211, -126]);
const NOT_ON_ZALO = new Set([-108, -118, -119, -114, -227]);
const REFUSED = new Set([-139, -141, -213, -244]);
const UNUSABLE = new Set([-109, -131, -146, -117, -249, -127, -145]);
/** The unusable-template answers staff must act on, by name (the delivery's reason is `template_<name>`). */
const UNUSABLE_REASON: Record<number, string> = { [-109]: 'unknown', [-131]: 'not_approved', [-146]: 'disabled', [-249]: 'phone_only' };
const BAD_PARAMS = new Set([-1121, -1122, -1124, -111, -112]);
/** Token codes on the business host (-124) and on the OA host (-216, -220): refresh once, then try again. */
export const TEMPLATE_TOKEN_CODES = new Set([-124, -216, -220]);

/** Why a template send did not go. */
export type TemplateRefusal = Exclude<TemplateOutcome, { kind: 'sent' }>;

/** Maps a failed template call to its outcome. */
export function templateOutcome(err: unknown): TemplateRefusal {
  if (err instanceof ZaloThrottledError) return { kind: 'retry', code: err.code, reason: 'throttled' };
  if (!(err instanceof ZaloApiError)) return { kind: 'retry', code: -1, reason: 'network' };
  const { code } = err;
  if (QUOTA.has(code)) return { kind: 'quota_exhausted', code };
  if (NOT_ON_ZALO.has(code)) return { kind: 'not_on_zalo', code };
  if (REFUSED.has(code)) return { kind: 'refused', code };
  if (UNUSABLE.has(code)) return { kind: 'template_unusable', code, reason: UNUSABLE_REASON[code] ?? `zalo_${code}` };
  if (BAD_PARAMS.has(code)) return { kind: 'bad_params', code, reason: `zalo_${code}` };
  // -1 network, -5xx HTTP failures without a Zalo error field, -100 "unknown error, retry later".
  if (code === -1 || code === -100 || (code <= -500 && code > -600)) return { kind: 'retry', code, reason: code === -1 ? 'network' : `zalo_${code}` };
  return { kind: 'failed', code, reason: `zalo_${code}` };
}

export interface TemplateClientOptions {
  /** https://business.openapi.zalo.me in production. */
  businessApiBase: string;
  /** https://openapi.zalo.me in production (sends by user id go through the OA API). */
  apiBase: string;
  timeoutMs?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (v === undefined || v === null || v === '' || Number.isNaN(Number(v)) ? null : Number(v));
const STATUS_CODE: Record<TemplateStatus, number> = { ENABLE: 1, PENDING_REVIEW: 2, REJECT: 3, DISABLE: 4 };

export class TemplateClient {
  constructor(private readonly opts: TemplateClientOptions) {}

  /** Every template of the OA (pages of 100), optionally of one status; ids and names only. */
  async listTemplates(token: string, status?: TemplateStatus): Promise<{ id: string; name: string; status: string }[]> {
    const out: { id: string; name: string; status: string }[] = [];
    for (let offset = 0; ; offset += 100) {
      const query = new URLSearchParams({ offset: String(offset), limit: '100', ...(status ? { status: String(STATUS_CODE[status]) } : {}) });
      const json = await this.call('template/all', `${this.opts.businessApiBase}/template/all?${query}`, token);
      const page = Array.isArray(json.data) ? json.data.filter(isRecord) : [];
      for (const t of page) out.push({ id: String(t.templateId ?? ''), name: String(t.templateName ?? ''), status: String(t.status ?? '') });
      const total = num(isRecord(json.metadata) ? json.metadata.total : undefined) ?? 0;
      if (page.length < 100 || out.length >= total) return out;
    }
  }

  /** One template with its parameters and their limits. */
  async templateInfo(token: string, id: string): Promise<ZaloTemplate> {
    const json = await this.call('template/info', `${this.opts.businessApiBase}/template/info/v2?template_id=${encodeURIComponent(id)}`, token);
    const d = isRecord(json.data) ? json.data : {};
    const params = (Array.isArray(d.listParams) ? d.listParams.filter(isRecord) : []).map((p) => ({
      name: String(p.name ?? ''),
      required: p.require === true,
      type: String(p.type ?? 'STRING'),
      minLength: num(p.minLength) ?? 0,
      maxLength: num(p.maxLength) ?? 0,
      acceptNull: p.acceptNull === true,
    }));
    return {
      id: String(d.templateId ?? id),
      name: String(d.templateName ?? ''),
      status: String(d.status ?? ''),
      params,
      tag: typeof d.templateTag === 'string' ? d.templateTag : null,
      price: num(d.price_sdt) ?? num(d.price),
      priceByUid: num(d.price_uid),
      previewUrl: typeof d.previewUrl === 'string' ? d.previewUrl : null,
    };
  }

  /** Today's quota of template messages for the OA. */
  async quota(token: string): Promise<TemplateQuota> {
    const json = await this.call('message/quota', `${this.opts.businessApiBase}/message/quota`, token);
    const d = isRecord(json.data) ? json.data : {};
    return { daily: num(d.dailyQuota) ?? 0, remaining: num(d.remainingQuota) ?? 0 };
  }

  /**
   * By phone number, `84…` (reaches a Zalo user who never followed the OA).
   * `trackingId` (≤ 48 characters) comes back in the delivery event.
   */
  async sendByPhone(token: string, send: { phone: string; templateId: string; data: Record<string, string>; trackingId: string; development?: boolean }): Promise<string> {
    const json = await this.call('message/template', `${this.opts.businessApiBase}/message/template`, token, {
      phone: send.phone,
      template_id: send.templateId,
      template_data: send.data,
      tracking_id: send.trackingId,
      ...(send.development ? { mode: 'development' } : {}),
    });
    const d = isRecord(json.data) ? json.data : {};
    return String(d.msg_id ?? '');
  }

  /** By Zalo user id, through the OA API (templates approved from 10 December 2025 only). */
  async sendByUid(token: string, send: { userId: string; templateId: string; data: Record<string, string>; development?: boolean }): Promise<string> {
    const json = await this.call('oa/message/template', `${this.opts.apiBase}/v3.0/oa/message/template`, token, {
      user_id: send.userId,
      template_id: send.templateId,
      template_data: send.data,
      ...(send.development ? { mode: 'development' } : {}),
    });
    const d = isRecord(json.data) ? json.data : {};
    return String(d.message_id ?? d.msg_id ?? '');
  }

  private async call(method: string, url: string, token: string, body?: Record<string, unknown>): Promise<Record<string, unknown>> {
    let res: Response;
    try {
      res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        headers: { access_token: token, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ZaloApiError(method, -1, `network: ${errorMessage(err)}`);
    }
    if (res.status === 429) throw new ZaloThrottledError(method, 429, 'HTTP 429');
    const json: unknown = await res.json().catch(() => undefined);
    if (!isRecord(json)) throw new ZaloApiError(method, -res.status, `HTTP ${res.status}, not a JSON object`);
    const error = Number(json.error ?? (res.ok ? 0 : -res.status));
    if (error !== 0) throw new ZaloApiError(method, error, typeof json.message === 'string' ? json.message : `error ${error}`);
    return json;
  }
}

/** Checks template data against the template's parameters before anything is sent; the problems, in order. */
export function checkTemplateData(template: Pick<ZaloTemplate, 'params'>, data: Record<string, string>): { param: string; problem: 'missing' | 'too_long' | 'too_short' | 'unknown'; max?: number }[] {
  const problems: { param: string; problem: 'missing' | 'too_long' | 'too_short' | 'unknown'; max?: number }[] = [];
  for (const p of template.params) {
    const value = data[p.name];
    if (value === undefined || value === '') {
      if (p.required && !p.acceptNull) problems.push({ param: p.name, problem: 'missing' });
      continue;
    }
    if (p.maxLength > 0 && value.length > p.maxLength) problems.push({ param: p.name, problem: 'too_long', max: p.maxLength });
    else if (value.length < p.minLength) problems.push({ param: p.name, problem: 'too_short' });
  }
  for (const name of Object.keys(data)) if (!template.params.some((p) => p.name === name)) problems.push({ param: name, problem: 'unknown' });
  return problems;
}
