import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import express, { type Router } from 'express';
import type { Config } from '../../config.js';
import { deliver, type Channel, type ChannelLimits, type PreviewBubble, type SendOutcome, type TemplateMessages } from '../../messaging/channel.js';
import type { OutMessage } from '../../messaging/types.js';
import type { ChannelContext } from '../context.js';
import type { ZaloInboxModel } from '../../db/models/zalo-inbox.js';
import type { ZaloTokenModel } from '../../db/models/zalo-token.js';
import type { ZaloTemplateModel } from '../../db/models/zalo-template.js';
import { TemplateClient, templateOutcome, type TemplateRefusal } from './template-client.js';
import { ZaloTemplateRegistry } from './template-registry.js';
import { ZaloNoticeTemplates } from './notice-templates.js';
import type { ZaloNoticeTemplateModel } from '../../db/models/zalo-notice-template.js';
import { OaClient } from './oa-client.js';
import { OA_LIMITS, previewOa, renderOa, type OaMessage, type OaOutgoing } from './oa-render.js';
import { verifyOaSignature } from './oa-signature.js';
import { HANDLED_EVENTS, oaEventKey, parseOaEvent, toOaAction } from './oa-events.js';
import { ZaloInbox } from './inbox.js';
import { ZaloTokenStore } from './token-store.js';
import { DeliveryFailedError } from '../../messaging/channel.js';
import { ZaloApiError, ZaloOutsideWindowError, ZaloThrottledError, ZaloTokenExpiredError, ZaloUnreachableUserError } from './zalo-errors.js';
import { errorMessage } from '../../errors.js';
import { beneficiaryOfAddress } from '../../vocabulary/channels.js';

export type ZaloOaChannelOptions = Pick<ChannelContext, 'engine' | 'claims' | 'logger' | 'metrics' | 'reach' | 'delivered' | 'phoneOf'> & {
  config: NonNullable<Config['zaloOa']>;
  inboxModel: ZaloInboxModel;
  tokenModel: ZaloTokenModel;
  templateModel: ZaloTemplateModel;
  noticeTemplateModel: ZaloNoticeTemplateModel;
  /** How often pending rows left by a crash or a failure are picked up (ms). */
  pollMs?: number;
};

/**
 * OA consultation messages: limits in oa-render.ts. Zalo counts OA quotas per
 * day and does not publish a per-second rate, so broadcasts go gently. Zalo does
 * not allow an OA to send notices at night (22:00-06:00), whatever staff set.
 */
export const ZALO_OA_LIMITS: ChannelLimits = {
  text: OA_LIMITS.text,
  caption: 0,
  buttons: OA_LIMITS.buttons,
  buttonTitle: OA_LIMITS.buttonTitle,
  ratePerSecond: 10,
  perChatPerSecond: 1,
  night: { start: '22:00', end: '06:00' },
};

export type WebhookAnswer = { status: number; body: Record<string, unknown> };

const IMAGE_TYPES: Record<string, string> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png' };

/**
 * Zalo Official Account (OA API v3) adapter. The webhook verifies the signature,
 * saves the event to the durable inbox and answers at once (Zalo allows 2 s);
 * processing (engine → replies → OA API) happens right after, or later from the
 * inbox if this instance dies first.
 */
export class ZaloOaChannel implements Channel<OaOutgoing> {
  readonly name = 'zalo' as const;
  readonly limits = ZALO_OA_LIMITS;
  private readonly owner = randomUUID();
  private readonly client: OaClient;
  readonly tokens: ZaloTokenStore;
  readonly inbox: ZaloInbox;
  /** The OA's approved template messages (ZBS), for notices beyond the 7-day window. */
  readonly templates: ZaloTemplateRegistry;
  private readonly templateClient: TemplateClient;
  /** Which template carries each kind of notice beyond the window. */
  readonly notices: ZaloNoticeTemplates;
  /** For staff estimating a broadcast: the template mapped to a notice and today's quota (null when Zalo cannot be asked). */
  readonly templateMessages: TemplateMessages = {
    mapped: (kind) => this.notices.mapped(kind),
    quota: () => this.templates.quota().catch(() => null),
  };
  private timer: NodeJS.Timeout | undefined;
  private purgeTimer: NodeJS.Timeout | undefined;
  private tokenTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private draining = false;
  private readonly inflight = new Set<Promise<unknown>>();

  constructor(private readonly opts: ZaloOaChannelOptions) {
    this.client = new OaClient(opts.config);
    this.tokens = new ZaloTokenStore(opts.tokenModel, opts.claims, this.client, opts.config.refreshToken, opts.logger);
    this.inbox = new ZaloInbox(opts.inboxModel, opts.claims);
    this.templateClient = new TemplateClient({ businessApiBase: opts.config.businessApiBase, apiBase: opts.config.apiBase });
    this.templates = new ZaloTemplateRegistry(opts.templateModel, this.templateClient, this.tokens);
    this.notices = new ZaloNoticeTemplates(opts.noticeTemplateModel, this.templates);
  }

  /** POST /webhooks/zalo, reading the raw body: the signature covers its exact bytes. */
  routes(): Router | null {
    const router = express.Router();
    router.post('/webhooks/zalo', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
      const raw = Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '';
      const answer = await this.receive(raw, req.get('x-zevent-signature'));
      res.status(answer.status).json(answer.body);
    });
    return router;
  }

  /** Verifies and stores one delivery; nothing is written unless it is genuine and fresh. */
  async receive(rawBody: string, signature: string | undefined): Promise<WebhookAnswer> {
    const check = verifyOaSignature({ header: signature, rawBody, appId: this.opts.config.appId, oaSecretKey: this.opts.config.oaSecretKey, now: Date.now() });
    if (!check.ok) {
      this.opts.metrics.updates.inc({ channel: 'zalo', outcome: 'rejected' });
      this.opts.logger.warn({ event: 'zalo_webhook_rejected', reason: check.reason }, 'Zalo webhook refused');
      return check.reason === 'malformed'
        ? { status: 400, body: { code: 'bad_event', message: 'body is not a Zalo event' } }
        : { status: 401, body: { code: 'unauthorized', message: 'bad, missing or stale signature' } };
    }
    const event = parseOaEvent(check.body);
    if (!event) return { status: 400, body: { code: 'bad_event', message: 'body is not a Zalo event' } };
    if (!HANDLED_EVENTS.has(event.event_name)) {
      this.opts.metrics.updates.inc({ channel: 'zalo', outcome: 'ignored' });
      return { status: 200, body: { ok: true, ignored: true } };
    }
    const key = oaEventKey(event, rawBody);
    try {
      const fresh = await this.inbox.accept(key, check.body);
      if (!fresh) {
        this.opts.metrics.updates.inc({ channel: 'zalo', outcome: 'duplicate' });
        return { status: 200, body: { ok: true, duplicate: true } };
      }
    } catch (err) {
      this.opts.logger.error({ event: 'zalo_inbox_write_failed', err: errorMessage(err) }, 'could not save the event; Zalo will retry');
      return { status: 500, body: { code: 'internal', message: 'not saved; retry' } };
    }
    // Acknowledged now; processed just after the answer is on its way.
    setImmediate(() => this.track(this.processOne(key)));
    return { status: 200, body: { ok: true } };
  }

  /** Drains what is pending (left by a crash), then keeps polling for retries. */
  async start(): Promise<void> {
    await Promise.all([this.opts.inboxModel.init(), this.opts.tokenModel.init(), this.opts.templateModel.init(), this.opts.noticeTemplateModel.init()]);
    await this.tokens.init();
    this.stopped = false;
    this.track(this.drain());
    this.timer = setInterval(() => this.track(this.drain()), this.opts.pollMs ?? 2000);
    this.timer.unref();
    // Processed rows are the dedupe record; Zalo stops retrying after hours, so days are plenty.
    this.purgeTimer = setInterval(() => this.track(this.inbox.purge()), 10 * 60_000);
    this.purgeTimer.unref();
    // Keeps the pair fresh while the OA is quiet: each refresh also renews the refresh
    // token, which Zalo lets lapse after about three months unused. Leased across instances.
    this.tokenTimer = setInterval(() => this.track(this.tokens.accessToken()), 30 * 60_000);
    this.tokenTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    if (this.purgeTimer) clearInterval(this.purgeTimer);
    if (this.tokenTimer) clearInterval(this.tokenTimer);
    await Promise.allSettled([...this.inflight]);
  }

  /** Processes pending rows until none is free. */
  async drain(): Promise<void> {
    if (this.draining || this.stopped) return;
    this.draining = true;
    try {
      while (!this.stopped && (await this.processOne())) {
        // next row
      }
    } catch (err) {
      this.opts.logger.error({ event: 'zalo_drain_failed', err: errorMessage(err) }, 'inbox drain failed');
    } finally {
      this.draining = false;
    }
  }

  /** Claims one row (a given one, or the oldest free one) and handles it; false when none was free. */
  async processOne(key?: string): Promise<boolean> {
    if (this.stopped) return false;
    const row = await this.inbox.claim(this.owner, key);
    if (!row) return false;
    try {
      const outcome = await this.handle(row.key, row.event);
      await this.inbox.complete(row, outcome);
      this.opts.metrics.updates.inc({ channel: 'zalo', outcome: outcome ? outcome.outcome : 'handled' });
    } catch (err) {
      const code = err instanceof ZaloApiError || err instanceof DeliveryFailedError ? err.code : undefined;
      const result = await this.inbox.release(row, code);
      this.opts.metrics.updates.inc({ channel: 'zalo', outcome: 'error' });
      this.opts.logger.error({ event: 'zalo_event_failed', key: row.key, code, attempts: row.attempts, result, err: errorMessage(err) }, 'Zalo event processing failed');
    }
    return true;
  }

  private async handle(key: string, body: Record<string, unknown>): Promise<{ outcome: string; errorCode?: number } | undefined> {
    const event = parseOaEvent(body);
    if (!event) return { outcome: 'ignored' };
    const action = toOaAction(event, key);
    if (action.type === 'ignore') return { outcome: 'ignored' };
    if (action.type === 'receipt') {
      await this.opts.delivered?.(action.messageId, action.deliveredAt);
      return { outcome: 'receipt' };
    }
    if (action.type === 'unfollow') {
      await this.opts.reach.setSubscribed({ channel: 'zalo', chatId: action.chatId }, false);
      this.opts.logger.info({ event: 'zalo_unfollow' }, 'user unfollowed the OA; unsubscribed');
      return undefined;
    }
    const inbound = action.inbound;
    // A follow arrives as /start, which subscribes the user again (engine.ts).
    const replies = await this.opts.engine.handle(inbound);
    const delivery = await deliver(this, inbound.chatId, replies);
    if (delivery.kind === 'refused') {
      const outcome = delivery.outcome === 'outside_window' ? 'outside_window' : 'unreachable';
      this.opts.logger.warn({ event: 'zalo_send_refused', outcome, code: delivery.code }, 'Zalo refused the reply to this user');
      this.opts.metrics.errors.inc({ where: `zalo_${outcome}` });
      return { outcome, ...(delivery.code === undefined ? {} : { errorCode: delivery.code }) };
    }
    return undefined;
  }

  render(_chatId: string, message: OutMessage): OaOutgoing[] {
    const steps = renderOa(message);
    if (message.notice && steps[0]) steps[0] = { ...steps[0], notice: message.notice };
    return steps;
  }

  /**
   * One OA call (an image is uploaded first when it is a local file). Only an
   * expired token is retried here, once after a refresh; throttling, the 7-day
   * window and other failures are answered for the caller to decide.
   */
  async send(chatId: string, step: OaOutgoing): Promise<SendOutcome> {
    // Someone in the register with no chat: only a template to their phone reaches them.
    if (beneficiaryOfAddress(chatId) !== null) {
      return step.notice ? this.sendTemplate(chatId, step.notice, { kind: 'failed', reason: 'no_template', retryable: false }) : { kind: 'failed', reason: 'no_notice', retryable: false };
    }
    try {
      const message = step.kind === 'message' ? step.message : await this.imageMessage(step.source);
      await this.withToken((token) => this.client.sendMessage(token, chatId, message));
      return { kind: 'sent' };
    } catch (err) {
      const outcome = zaloOaOutcome(err);
      return outcome.kind === 'outside_window' && step.notice ? this.sendTemplate(chatId, step.notice, outcome) : outcome;
    }
  }

  /**
   * Beyond the window, a notice goes as the template staff mapped to its kind,
   * in place of the whole message: by the person's Zalo user id, or by the
   * register's phone when Zalo lets the template go by phone only (-249) or the
   * person has no chat. Unmapped, it stays `unmapped`; a template that cannot
   * carry it is a failure with the reason.
   */
  private async sendTemplate(chatId: string, notice: NonNullable<OaOutgoing['notice']>, unmapped: SendOutcome): Promise<SendOutcome> {
    const prepared = await this.notices.dataFor(notice.kind, notice.fields);
    if (prepared.kind === 'unmapped') return unmapped;
    if (prepared.kind === 'unusable') return { kind: 'failed', reason: prepared.reason, retryable: false };
    if (beneficiaryOfAddress(chatId) !== null) return this.sendByPhone(chatId, prepared.templateId, prepared.data);
    try {
      const messageId = await this.templates.withToken((token) => this.templateClient.sendByUid(token, { userId: chatId, templateId: prepared.templateId, data: prepared.data }));
      return { kind: 'sent', route: 'template_uid', rest: 'skip', ...(messageId ? { receipt: messageId } : {}) };
    } catch (err) {
      const outcome = templateOutcome(err);
      // A template Zalo lets go by phone only (-249: approved before 10 December 2025, or OTP): the register's number.
      if (outcome.kind === 'template_unusable' && outcome.code === -249) return this.sendByPhone(chatId, prepared.templateId, prepared.data, outcome.code);
      return templateRefusalOutcome(outcome);
    }
  }

  /** A template to the register's phone of the person behind `chatId`; the number is read now and goes nowhere else. */
  private async sendByPhone(chatId: string, templateId: string, data: Record<string, string>, code?: number): Promise<SendOutcome> {
    const found = (await this.opts.phoneOf?.({ channel: 'zalo', chatId })) ?? { missing: 'no_phone_in_register' as const };
    if ('missing' in found) return { kind: 'failed', reason: found.missing, retryable: false, ...(code === undefined ? {} : { code }) };
    try {
      // Zalo hands the tracking id back in the delivery event (at most 48 characters).
      const trackingId = `n${Date.now().toString(36)}${chatId.slice(-12)}`;
      const messageId = await this.templates.withToken((token) => this.templateClient.sendByPhone(token, { phone: found.phone, templateId, data, trackingId }));
      return { kind: 'sent', route: 'template_phone', rest: 'skip', ...(messageId ? { receipt: messageId } : {}) };
    } catch (err) {
      return templateRefusalOutcome(templateOutcome(err));
    }
  }

  preview(step: OaOutgoing): PreviewBubble | null {
    return previewOa(step);
  }

  async displayName(): Promise<string | null> {
    return null;
  }

  private async imageMessage(source: string): Promise<OaMessage> {
    if (/^https?:\/\//.test(source)) {
      return { attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', url: source }] } } };
    }
    const contentType = IMAGE_TYPES[extname(source).toLowerCase()] ?? 'image/png';
    const bytes = await readFile(source);
    const attachmentId = await this.withToken((token) => this.client.uploadImage(token, bytes, `image${extname(source) || '.png'}`, contentType));
    return { attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: attachmentId }] } } };
  }

  /** Runs a call with the current token; on an expired-token error, refreshes and retries once. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    const current = await this.tokens.accessToken();
    try {
      return await call(current.token);
    } catch (err) {
      if (!(err instanceof ZaloTokenExpiredError)) throw err;
      this.opts.logger.info({ event: 'zalo_token_rejected', code: err.code }, 'access token refused; refreshing once');
      const fresh = await this.tokens.refresh(current.version);
      return call(fresh.token);
    }
  }

  private track(promise: Promise<unknown>): void {
    const p = promise.catch((err: Error) => this.opts.logger.error({ event: 'zalo_task_failed', err: err.message }, 'Zalo background task failed'));
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}

/**
 * Maps a Zalo OA failure (codes: zalo-errors.ts). Zalo does not say how long to
 * wait after throttling, unlike Telegram's retry_after. An expired token still
 * refused after the one refresh needs re-authorising; a later try may find a fresh one.
 */
export function zaloOaOutcome(err: unknown): SendOutcome {
  if (err instanceof ZaloThrottledError) return { kind: 'retry_after', ms: null };
  if (err instanceof ZaloOutsideWindowError) return { kind: 'outside_window', code: err.code };
  if (err instanceof ZaloUnreachableUserError) return { kind: 'blocked', code: err.code };
  if (err instanceof ZaloTokenExpiredError) return { kind: 'failed', reason: 'zalo_token', retryable: true, code: err.code };
  if (err instanceof ZaloApiError) {
    // OaClient codes: -1 network, -status for HTTP failures without a Zalo error field.
    if (err.code === -1) return { kind: 'failed', reason: 'network', retryable: true, code: err.code };
    if (err.code <= -500 && err.code > -600) return { kind: 'failed', reason: `http_${-err.code}`, retryable: true, code: err.code };
    return { kind: 'failed', reason: `zalo_${err.code}`, retryable: false, code: err.code };
  }
  return { kind: 'failed', reason: 'network', retryable: true };
}

/**
 * Milliseconds until Zalo renews the OA's daily template quota. Zalo counts the
 * quota per day (GET /message/quota: dailyQuota, remainingQuota) without saying
 * when the day turns; we take midnight in Vietnam, plus a minute's margin.
 */
export function untilQuotaReset(now: number): number {
  const DAY = 24 * 3600_000;
  const vietnam = 7 * 3600_000;
  return DAY - ((now + vietnam) % DAY) + 60_000;
}

/** What a template that did not go means for the delivery. */
function templateRefusalOutcome(outcome: TemplateRefusal): SendOutcome {
  switch (outcome.kind) {
    case 'retry':
      return { kind: 'failed', reason: outcome.reason, retryable: true, code: outcome.code };
    case 'refused':
      return { kind: 'blocked', code: outcome.code };
    case 'quota_exhausted':
      // Nothing is lost: the caller waits until the daily quota is renewed.
      return { kind: 'retry_after', ms: untilQuotaReset(Date.now()) };
    case 'not_on_zalo':
      return { kind: 'failed', reason: 'not_on_zalo', retryable: false, code: outcome.code };
    default:
      return { kind: 'failed', reason: `template_${outcome.reason}`, retryable: false, code: outcome.code };
  }
}
