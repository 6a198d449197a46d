/**
 * A local stand-in for Zalo: the OA API v3 (`/v3.0/oa/message/cs`, `/v2.0/oa/upload/image`),
 * its OAuth v4 token endpoint (`/v4/oa/access_token`, single-use refresh tokens that fail
 * when reused), and the Bot Platform (`/bot<token>/<method>`). Every call is recorded;
 * access tokens are validated; Zalo's error codes can be injected (expired token -216,
 * -230 outside the 7-day window, -32 throttling). Like Zalo, application errors come
 * back as HTTP 200 with a non-zero `error`.
 *
 * Template messages (ZBS Template Message, formerly ZNS), on the business host
 * (https://business.openapi.zalo.me in production), as Zalo documents them
 * (developers.zalo.me → ZBS Template Message: "API gửi tin qua SĐT", the template
 * list and details, the daily quota): `GET /template/all` (numeric `status`
 * filter, -132 otherwise), `GET /template/info/v2`, `POST /message/template`
 * (by phone, `84…`), `GET /message/quota`; and by Zalo user id on the OA host,
 * `POST /v3.0/oa/message/template`. Parameters are checked against the
 * template (-1122 missing, -1121 too long), templates not ENABLE answer -131
 * (pending/rejected) or -146 (disabled), development mode reaches only admins
 * (-127), the daily quota runs out (-144), unknown phones answer -118, people who
 * refused the OA's messages -141, and a bad business token -124.
 *
 * Also: helpers to build and sign OA webhook events and Bot Platform updates.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ZaloCall {
  api: 'oa' | 'upload' | 'oauth' | 'bot' | 'template';
  path: string;
  /** OA recipient user id, or Bot Platform chat id. */
  to?: string;
  body: Record<string, unknown>;
  /** 0 on success, else the Zalo error code answered. */
  error: number;
  /** What a successful template send answered in `data` (its message id). */
  data?: Record<string, unknown>;
  at: number;
}

/** A template as Zalo describes it (GET /template/info/v2). */
export interface FakeTemplate {
  templateId: string;
  templateName: string;
  status: 'ENABLE' | 'PENDING_REVIEW' | 'REJECT' | 'DISABLE';
  listParams: { name: string; require: boolean; type: string; maxLength: number; minLength: number; acceptNull: boolean }[];
  templateTag: 'TRANSACTION' | 'CUSTOMER_CARE' | 'PROMOTION';
  price: string;
  /** False for templates approved before 10 December 2025 and OTP ones: phone only (-249 by user id). */
  uid: boolean;
}

export interface FakeZaloOptions {
  appId?: string;
  appSecret?: string;
  oaSecretKey?: string;
  botToken?: string;
  /** Delay before answering a refresh, to widen race windows in tests. */
  refreshDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class FakeZalo {
  readonly appId: string;
  readonly appSecret: string;
  readonly oaSecretKey: string;
  readonly botToken: string;
  readonly initialRefreshToken = `rt-initial-${randomBytes(6).toString('hex')}`;
  readonly calls: ZaloCall[] = [];
  /** Refresh tokens that were valid once and have been spent; presenting one again fails. */
  readonly spentRefreshTokens: string[] = [];
  /** Every refresh attempt, successful or not. */
  readonly refreshAttempts: { token: string; ok: boolean }[] = [];
  /** Users outside the 7-day window: a CS message to them answers -230. */
  readonly outsideWindow = new Set<string>();
  refreshDelayMs: number;
  /** Approved (and other) templates; tests add and change them. */
  readonly templates = new Map<string, FakeTemplate>();
  /** Phone numbers (84…) with a Zalo account; others answer -118. */
  readonly zaloPhones = new Set<string>();
  /** Phones or user ids that refused the OA's template messages: -141. */
  readonly refusedTemplates = new Set<string>();
  /** OA admins: the only recipients of development-mode sends. */
  readonly admins = new Set<string>();
  dailyQuota = 500;
  usedToday = 0;
  /**
   * Where Zalo posts its delivery events ("user_received_message", signed like
   * every OA event) after a template message reaches the phone; null: none are posted.
   */
  deliveryWebhook: string | null = null;
  /** Delivery events posted, and what our webhook answered. */
  readonly deliveryReports: { msgId: string; status: number }[] = [];

  private readonly validAccess = new Set<string>();
  private readonly validRefresh = new Set<string>();
  private readonly injected: { code: number; message: string; to?: string }[] = [];
  private counter = 0;

  private constructor(
    private readonly server: Server,
    opts: FakeZaloOptions,
  ) {
    this.appId = opts.appId ?? '1234567890123456789';
    this.appSecret = opts.appSecret ?? 'fake-app-secret-0123';
    this.oaSecretKey = opts.oaSecretKey ?? 'fake-oa-secret-key-0123';
    this.botToken = opts.botToken ?? '99887766:fake-bot-token';
    this.refreshDelayMs = opts.refreshDelayMs ?? 0;
    this.validRefresh.add(this.initialRefreshToken);
  }

  static async start(opts: FakeZaloOptions = {}): Promise<FakeZalo> {
    const holder: { fake?: FakeZalo } = {};
    const server = createServer((req, res) => {
      void holder.fake!.handle(req, res).catch((err: Error) => {
        res.writeHead(500).end(JSON.stringify({ error: -100, message: err.message }));
      });
    });
    const fake = new FakeZalo(server, opts);
    holder.fake = fake;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Environment for the app under test: OA and Bot Platform pointed at this fake. */
  env(parts: { oa?: boolean; bot?: boolean; botSecret?: string } = { oa: true }): Record<string, string> {
    return {
      ...(parts.oa
        ? {
            ZALO_APP_ID: this.appId,
            ZALO_APP_SECRET: this.appSecret,
            ZALO_OA_SECRET_KEY: this.oaSecretKey,
            ZALO_REFRESH_TOKEN: this.initialRefreshToken,
            ZALO_API_BASE: this.url,
            ZALO_OAUTH_BASE: this.url,
            ZALO_BUSINESS_API_BASE: this.url,
          }
        : {}),
      ...(parts.bot ? { ZALO_BOT_TOKEN: this.botToken, ZALO_BOT_WEBHOOK_SECRET: parts.botSecret ?? 'bot-secret-0123456789', ZALO_BOT_API_BASE: this.url } : {}),
    };
  }

  /** Successful OA consultation messages to one user, in order. */
  messagesTo(userId: string): Record<string, unknown>[] {
    return this.calls.filter((c) => c.api === 'oa' && c.to === userId && c.error === 0).map((c) => c.body.message as Record<string, unknown>);
  }

  /** Every OA send attempt to one user (including refused ones). */
  attemptsTo(userId: string): ZaloCall[] {
    return this.calls.filter((c) => c.api === 'oa' && c.to === userId);
  }

  /** Successful Bot Platform sends to one chat. */
  botMessagesTo(chatId: string): ZaloCall[] {
    return this.calls.filter((c) => c.api === 'bot' && c.to === chatId && c.error === 0 && (c.path.endsWith('/sendMessage') || c.path.endsWith('/sendPhoto')));
  }

  /** Makes every access token issued so far invalid (as if expired): the next call answers -216. */
  expireAccessTokens(): void {
    this.validAccess.clear();
  }

  /** The next OA send or template call (to `to`, or to anyone; a template read when `to` is not given) answers this error code. */
  failNext(code: number, message = 'injected', to?: string): void {
    this.injected.push({ code, message, to });
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    };

    if (path === '/v4/oa/access_token') return this.oauth(req, raw, reply);
    if (path === '/v3.0/oa/message/cs') return this.messageCs(req, raw, reply);
    if (path === '/v2.0/oa/upload/image') return this.upload(req, raw, reply);
    if (path === '/template/all' || path === '/template/info/v2' || path === '/message/quota') return this.templateRead(req, path, reply);
    if (path === '/message/template' || path === '/v3.0/oa/message/template') return this.templateSend(req, path, raw, reply);
    const bot = /^\/bot([^/]+)\/(\w+)$/.exec(path);
    if (bot) return this.botCall(bot[1]!, bot[2]!, raw, reply);
    reply(404, { error: -404, message: 'not found' });
  }

  private async oauth(req: IncomingMessage, raw: Buffer, reply: (s: number, b: unknown) => void): Promise<void> {
    const form = new URLSearchParams(raw.toString('utf8'));
    const token = form.get('refresh_token') ?? '';
    const record = (error: number) => this.calls.push({ api: 'oauth', path: '/v4/oa/access_token', body: { grant_type: form.get('grant_type') }, error, at: Date.now() });
    if (req.headers.secret_key !== this.appSecret || form.get('app_id') !== this.appId || form.get('grant_type') !== 'refresh_token') {
      record(-14001);
      this.refreshAttempts.push({ token, ok: false });
      return reply(200, { error: -14001, error_name: 'Invalid app credentials' });
    }
    if (!this.validRefresh.has(token)) {
      record(-14014);
      this.refreshAttempts.push({ token, ok: false });
      return reply(200, { error: -14014, error_name: 'Invalid refresh token', error_reason: this.spentRefreshTokens.includes(token) ? 'refresh token already used' : 'unknown refresh token' });
    }
    // Spent the moment it is presented, like Zalo's single-use rotation.
    this.validRefresh.delete(token);
    this.spentRefreshTokens.push(token);
    if (this.refreshDelayMs > 0) await sleep(this.refreshDelayMs);
    const n = ++this.counter;
    const access = `at-${n}-${randomBytes(4).toString('hex')}`;
    const refresh = `rt-${n}-${randomBytes(4).toString('hex')}`;
    this.validAccess.add(access);
    this.validRefresh.add(refresh);
    this.refreshAttempts.push({ token, ok: true });
    record(0);
    reply(200, { access_token: access, refresh_token: refresh, expires_in: '90000' });
  }

  private messageCs(req: IncomingMessage, raw: Buffer, reply: (s: number, b: unknown) => void): void {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return reply(200, { error: -201, message: 'body is invalid!' });
    }
    const to = String((body.recipient as { user_id?: unknown } | undefined)?.user_id ?? '');
    const answer = (error: number, message: string, data?: unknown) => {
      this.calls.push({ api: 'oa', path: '/v3.0/oa/message/cs', to, body, error, at: Date.now() });
      reply(200, error === 0 ? { error: 0, message: 'Success', data } : { error, message });
    };
    const token = String(req.headers.access_token ?? '');
    if (!this.validAccess.has(token)) return answer(-216, 'Access token is invalid');
    const injected = this.injected.findIndex((i) => i.to === undefined || i.to === to);
    if (injected >= 0) {
      const [err] = this.injected.splice(injected, 1);
      return answer(err!.code, err!.message);
    }
    if (this.outsideWindow.has(to)) return answer(-230, 'User has not interacted with the OA in the past 7 days');
    const error = validateMessage(body.message);
    if (error) return answer(-201, error);
    answer(0, 'Success', { message_id: `mid-${++this.counter}`, user_id: to });
  }

  /** Adds a template with the given parameters (name → max length), approved unless said otherwise. */
  addTemplate(id: string, params: Record<string, number>, more: Partial<FakeTemplate> = {}): FakeTemplate {
    const template: FakeTemplate = {
      templateId: id,
      templateName: `Mẫu ${id}`,
      status: 'ENABLE',
      listParams: Object.entries(params).map(([name, maxLength]) => ({ name, require: true, type: 'STRING', maxLength, minLength: 0, acceptNull: false })),
      templateTag: 'TRANSACTION',
      price: '300',
      uid: true,
      ...more,
    };
    this.templates.set(id, template);
    return template;
  }

  /** Successful template sends, by phone or by user id. */
  templateSends(): ZaloCall[] {
    return this.calls.filter((c) => c.api === 'template' && c.error === 0 && c.path !== '/template/all' && c.path !== '/template/info/v2' && c.path !== '/message/quota');
  }

  private templateRead(req: IncomingMessage, path: string, reply: (s: number, b: unknown) => void): void {
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    const answer = (error: number, body: Record<string, unknown>) => {
      this.calls.push({ api: 'template', path, body: Object.fromEntries(query), error, at: Date.now() });
      reply(200, error === 0 ? { error: 0, message: 'Success', ...body } : { error, message: String(body.message ?? 'error') });
    };
    if (!this.validAccess.has(String(req.headers.access_token ?? ''))) return answer(-124, { message: 'Access token is invalid' });
    const injected = this.injected.findIndex((i) => i.to === undefined);
    if (injected >= 0) {
      const [err] = this.injected.splice(injected, 1);
      return answer(err!.code, { message: err!.message });
    }
    if (path === '/message/quota') return answer(0, { data: { dailyQuota: this.dailyQuota, remainingQuota: Math.max(0, this.dailyQuota - this.usedToday) } });
    if (path === '/template/info/v2') {
      const template = this.templates.get(query.get('template_id') ?? '');
      if (!template) return answer(-109, { message: 'Template ID is invalid' });
      const { uid: _uid, ...info } = template;
      return answer(0, { data: info });
    }
    const status = query.get('status');
    const codes: Record<string, FakeTemplate['status']> = { '1': 'ENABLE', '2': 'PENDING_REVIEW', '3': 'REJECT', '4': 'DISABLE' };
    if (status !== null && status !== '' && !codes[status]) return answer(-132, { message: 'Invalid status' });
    const offset = Number(query.get('offset') ?? 0);
    const limit = Math.min(100, Number(query.get('limit') ?? 100));
    const all = [...this.templates.values()].filter((t) => !status || t.status === codes[status]);
    const page = all.slice(offset, offset + limit).map((t) => ({ templateId: t.templateId, templateName: t.templateName, createdTime: 1764547200000, status: t.status, templateQuality: 'HIGH' }));
    answer(0, { data: page, metadata: { total: all.length } });
  }

  private templateSend(req: IncomingMessage, path: string, raw: Buffer, reply: (s: number, b: unknown) => void): void {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      return reply(200, { error: -122, message: 'Body is not a valid JSON' });
    }
    const byUid = path === '/v3.0/oa/message/template';
    const to = String(byUid ? body.user_id ?? '' : body.phone ?? '');
    const answer = (error: number, message: string, data?: Record<string, unknown>) => {
      this.calls.push({ api: 'template', path, to, body, error, at: Date.now(), ...(data ? { data } : {}) });
      reply(200, error === 0 ? { error: 0, message: 'Success', data } : { error, message });
    };
    if (!this.validAccess.has(String(req.headers.access_token ?? ''))) return answer(byUid ? -216 : -124, 'Access token is invalid');
    const injected = this.injected.findIndex((i) => i.to === undefined || i.to === to);
    if (injected >= 0) {
      const [err] = this.injected.splice(injected, 1);
      return answer(err!.code, err!.message);
    }
    const template = this.templates.get(String(body.template_id ?? ''));
    if (!template) return answer(-109, 'Template ID is invalid');
    if (template.status === 'DISABLE') return answer(-146, 'Template has been disabled due to low quality');
    if (template.status !== 'ENABLE') return answer(-131, 'Template has not been approved');
    if (byUid && !template.uid) return answer(-249, 'Template does not support send via UID');
    if (!byUid && !/^84\d{9,10}$/.test(to)) return answer(-108, 'Phone number is invalid');
    const data = (body.template_data ?? {}) as Record<string, unknown>;
    for (const param of template.listParams) {
      const value = data[param.name];
      if (value === undefined || value === null || value === '') {
        if (param.require) return answer(-1122, `Missing parameter: ${param.name}`);
        continue;
      }
      if (String(value).length > param.maxLength) return answer(-1121, `Parameter ${param.name} exceeds max length`);
    }
    if (body.mode === 'development' && !this.admins.has(to)) return answer(-127, 'Template test can only be sent to admin');
    if (!byUid && !this.zaloPhones.has(to)) return answer(-118, 'Zalo account does not exist or is deactivated');
    if (this.refusedTemplates.has(to)) return answer(byUid ? -244 : -141, 'User refused to receive ZNS');
    if (this.usedToday >= this.dailyQuota) return answer(-144, 'OA has exceeded the daily limit');
    this.usedToday++;
    const quota = { dailyQuota: String(this.dailyQuota), remainingQuota: String(this.dailyQuota - this.usedToday) };
    const msgId = byUid ? `tm-${++this.counter}` : `zns-${++this.counter}`;
    answer(0, 'Success', byUid ? { message_id: msgId, user_id: to, sent_time: String(Date.now()), quota } : { msg_id: msgId, sent_time: String(Date.now()), quota });
    if (this.deliveryWebhook) setTimeout(() => void this.reportDelivery(msgId, to, byUid ? undefined : String(body.tracking_id ?? '')), 20);
  }

  /**
   * Zalo's delivery event for a template message (developers.zalo.me → ZBS
   * Template Message → Webhook → "Sự kiện người dùng nhận tin"): the message id
   * the send answered, the delivery time, and for a send by phone the tracking id it carried.
   */
  private async reportDelivery(msgId: string, to: string, trackingId: string | undefined): Promise<void> {
    const event = oaEvent(this.appId, { kind: 'received', userId: trackingId === undefined ? to : `phone-${to.slice(-4)}`, msgId });
    if (trackingId !== undefined) (event.message as Record<string, unknown>).tracking_id = trackingId;
    const raw = JSON.stringify(event);
    const posted = await postOaWebhook(this.deliveryWebhook!, raw, { appId: this.appId, oaSecretKey: this.oaSecretKey }).catch(() => ({ status: 0 }));
    this.deliveryReports.push({ msgId, status: posted.status });
  }

  private upload(req: IncomingMessage, raw: Buffer, reply: (s: number, b: unknown) => void): void {
    const ok = this.validAccess.has(String(req.headers.access_token ?? ''));
    this.calls.push({ api: 'upload', path: '/v2.0/oa/upload/image', body: { size: raw.length }, error: ok ? 0 : -216, at: Date.now() });
    if (!ok) return reply(200, { error: -216, message: 'Access token is invalid' });
    if (!String(req.headers['content-type'] ?? '').startsWith('multipart/form-data')) return reply(200, { error: -201, message: 'file is invalid!' });
    reply(200, { error: 0, message: 'Success', data: { attachment_id: `att-${++this.counter}` } });
  }

  private botCall(token: string, method: string, raw: Buffer, reply: (s: number, b: unknown) => void): void {
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw.toString('utf8') || '{}') as Record<string, unknown>;
    } catch {
      body = {};
    }
    const to = typeof body.chat_id === 'string' ? body.chat_id : undefined;
    const record = (error: number) => this.calls.push({ api: 'bot', path: `/bot/${method}`, to, body, error, at: Date.now() });
    if (token !== this.botToken) {
      record(401);
      return reply(401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    if (method === 'sendMessage') {
      const text = body.text;
      if (typeof text !== 'string' || text.length === 0 || text.length > 2000 || !to) {
        record(400);
        return reply(400, { ok: false, error_code: 400, description: 'Bad Request: text must be 1-2000 characters' });
      }
    }
    if (method === 'sendPhoto' && (typeof body.photo !== 'string' || !to)) {
      record(400);
      return reply(400, { ok: false, error_code: 400, description: 'Bad Request: photo required' });
    }
    if (method === 'setWebhook' && (typeof body.url !== 'string' || typeof body.secret_token !== 'string')) {
      record(400);
      return reply(400, { ok: false, error_code: 400, description: 'Bad Request: url and secret_token required' });
    }
    record(0);
    reply(200, { ok: true, result: { message_id: `bm-${++this.counter}`, date: Date.now() } });
  }
}

/** The checks Zalo makes on a CS message that our renderer must respect. */
function validateMessage(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return 'message is invalid!';
  const m = message as { text?: unknown; attachment?: { payload?: { buttons?: { title?: string; payload?: unknown }[]; template_type?: string; elements?: unknown[] } } };
  if (typeof m.text === 'string' && (m.text.length === 0 || m.text.length > 2000)) return 'text is invalid!';
  const buttons = m.attachment?.payload?.buttons;
  if (buttons && (buttons.length > 5 || buttons.some((b) => !b.title || b.title.length > 100))) return 'buttons is invalid!';
  if (m.attachment?.payload?.template_type === 'request_user_info' && m.attachment.payload.elements?.length !== 1) return 'elements is invalid!';
  if (m.text === undefined && !m.attachment) return 'message is invalid!';
  return undefined;
}

// ---- webhook helpers ----

/** `mac=` + sha256(appId + rawBody + timestamp + oaSecretKey), as Zalo signs OA webhooks. */
export function signOaBody(rawBody: string, appId: string, oaSecretKey: string, timestamp?: string): string {
  const ts = timestamp ?? String((JSON.parse(rawBody) as { timestamp: string }).timestamp);
  return `mac=${createHash('sha256').update(`${appId}${rawBody}${ts}${oaSecretKey}`, 'utf8').digest('hex')}`;
}

let eventCounter = 0;
/** A unique Zalo-like message id. */
export const newMsgId = (): string => `${Date.now().toString(16)}${(++eventCounter).toString(16).padStart(6, '0')}${randomBytes(3).toString('hex')}`;

export type OaEventInput =
  | { kind: 'text'; userId: string; text: string; msgId?: string }
  | { kind: 'image'; userId: string; url: string; msgId?: string }
  | { kind: 'submit_info'; userId: string; phone: string; name?: string }
  | { kind: 'follow' | 'unfollow'; userId: string }
  | { kind: 'oa_echo'; userId: string; text: string; msgId?: string }
  /** Zalo's delivery event for a message the OA sent (a template): `msg_id` is the id the send answered. */
  | { kind: 'received'; userId: string; msgId: string; deliveredAt?: number };

/** Builds an OA webhook event shaped like Zalo's (all ids and the timestamp as strings). */
export function oaEvent(appId: string, input: OaEventInput, timestamp = Date.now()): Record<string, unknown> {
  const common = { app_id: appId, user_id_by_app: `app-${input.userId}`, timestamp: String(timestamp) };
  const oa = { id: '388613280878808645' };
  switch (input.kind) {
    case 'text':
      return { ...common, event_name: 'user_send_text', sender: { id: input.userId }, recipient: oa, message: { text: input.text, msg_id: input.msgId ?? newMsgId() } };
    case 'image':
      return {
        ...common,
        event_name: 'user_send_image',
        sender: { id: input.userId },
        recipient: oa,
        message: { msg_id: input.msgId ?? newMsgId(), attachments: [{ type: 'image', payload: { url: input.url, thumbnail: input.url } }] },
      };
    case 'submit_info':
      return { ...common, event_name: 'user_submit_info', sender: { id: input.userId }, recipient: oa, info: { name: input.name ?? 'Người dùng', phone: input.phone, address: '', city: '', district: '' } };
    case 'follow':
    case 'unfollow':
      return { ...common, event_name: input.kind, oa_id: oa.id, follower: { id: input.userId }, source: 'oa_profile' };
    case 'received':
      return {
        ...common,
        event_name: 'user_received_message',
        sender: oa,
        recipient: { id: input.userId },
        message: { msg_id: input.msgId, delivery_time: String(input.deliveredAt ?? timestamp) },
      };
    case 'oa_echo':
      return { ...common, event_name: 'oa_send_text', sender: oa, recipient: { id: input.userId }, message: { text: input.text, msg_id: input.msgId ?? newMsgId() } };
  }
}

export interface PostResult {
  status: number;
  body: Record<string, unknown>;
}

/** POSTs a raw JSON body with one optional header (null: none); a non-JSON answer comes back as `{ raw }`. */
async function postRaw(url: string, rawBody: string, headerName: string, header: string | null): Promise<PostResult> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(header === null ? {} : { [headerName]: header }) },
    body: rawBody,
  });
  const text = await res.text();
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { raw: text };
  }
  return { status: res.status, body };
}

/** POSTs a raw body to the OA webhook, signed unless `signature` is given (null: no header). */
export async function postOaWebhook(url: string, rawBody: string, signing: { appId: string; oaSecretKey: string }, signature?: string | null): Promise<PostResult> {
  const header = signature === undefined ? signOaBody(rawBody, signing.appId, signing.oaSecretKey) : signature;
  return postRaw(url, rawBody, 'x-zevent-signature', header);
}

/** A Bot Platform webhook update, wrapped as Zalo sends it. */
export function botUpdate(input: { chatId: string; text?: string; photoUrl?: string; messageId?: string; event?: string; chatType?: string }): Record<string, unknown> {
  const event = input.event ?? (input.photoUrl ? 'message.image.received' : 'message.text.received');
  return {
    ok: true,
    result: {
      event_name: event,
      message: {
        message_id: input.messageId ?? newMsgId(),
        date: Date.now(),
        from: { id: input.chatId, display_name: 'Người dùng', is_bot: false },
        chat: { id: input.chatId, chat_type: input.chatType ?? 'PRIVATE' },
        ...(input.text !== undefined ? { text: input.text } : {}),
        ...(input.photoUrl ? { photo_url: input.photoUrl } : {}),
      },
    },
  };
}

/** POSTs a body to the Bot Platform webhook with the given secret header (null: none). */
export function postBotWebhook(url: string, rawBody: string, secret: string | null): Promise<PostResult> {
  return postRaw(url, rawBody, 'x-bot-api-secret-token', secret);
}
