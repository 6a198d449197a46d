import type { Router } from 'express';
import type { ChannelName, OutMessage } from './types.js';
import type { NoticeKind } from '../vocabulary/notices.js';

/**
 * What one platform call came to. The caller decides what happens next: a
 * conversation reply waits out a short `retry_after`, the broadcast worker
 * paces the whole platform and retries `failed` calls marked retryable.
 */
export type SendOutcome =
  /**
   * `route` says how it went when the platform had a choice (a Zalo template
   * beyond the window); `rest: 'skip'` when that one call carried the whole
   * message, so the message's remaining calls are not sent. `receipt` is the
   * platform's message id when it reports delivery later (Zalo templates).
   */
  | { kind: 'sent'; route?: DeliveryRoute; rest?: 'skip'; receipt?: string }
  /** The platform asked to slow down; `ms` is null when it did not say for how long (Zalo). */
  | { kind: 'retry_after'; ms: number | null }
  /** The person blocked the bot or left the Official Account: stop writing to them. */
  | { kind: 'blocked'; code?: number }
  /** Zalo OA: more than 7 days since the person last wrote; a free message cannot reach them. */
  | { kind: 'outside_window'; code?: number }
  /** `retryable` for network trouble and server errors; `code` is the platform's own error code. */
  | { kind: 'failed'; reason: string; retryable: boolean; code?: number };

/** How a notice reached the person: as a message, or as a Zalo template by user id or by phone. */
export type DeliveryRoute = 'message' | 'template_uid' | 'template_phone';

/** What a platform lets one message carry, and how fast it lets us send. */
export interface ChannelLimits {
  /** Characters in one text message; longer texts are split by the renderer. */
  text: number;
  /** Characters of text that may sit under a photo in the same call; 0 when the platform sends them apart. */
  caption: number;
  /** Buttons under one message; beyond it options become numbered lines. 0: no buttons at all. */
  buttons: number;
  /** Characters in a button's label; a longer link label is written into the text. */
  buttonTitle: number;
  /** The platform's documented (or deliberately gentle) sending pace, the default for broadcasts. */
  ratePerSecond: number;
  perChatPerSecond: number;
  /** Local hours when the platform forbids notices (Zalo's night), whatever staff configure; null: none. */
  night: { start: string; end: string } | null;
}

/** One bubble as the recipient's chat shows it, for the console's preview. */
export interface PreviewBubble {
  photo?: string;
  text: string;
  button?: { label: string; url: string };
}

/**
 * `reply`: inside a conversation (keyboards, contact request). `notice`: a message
 * outside one (a broadcast), where a photo and its text may go as one call.
 */
export type RenderMode = 'reply' | 'notice';

/**
 * The sending half of a channel: every reply, notice and broadcast goes through
 * it. `render` is pure; `send` makes exactly one platform call, never retries
 * and never throws for a platform answer (only for a bug).
 */
export interface ChannelSender<Call = unknown> {
  readonly name: ChannelName;
  readonly limits: ChannelLimits;
  /** The calls one message takes on this platform, in order. */
  render(chatId: string, message: OutMessage, mode: RenderMode): Call[];
  send(chatId: string, call: Call): Promise<SendOutcome>;
  /** How the call will look in the chat; null for calls that show nothing of the notice. */
  preview(call: Call): PreviewBubble | null;
  /** The name recipients see messages come from, when the platform tells it. */
  displayName?(): Promise<string | null>;
  /** Present when the platform sends pre-approved template messages where free ones do not reach (Zalo OA). */
  readonly templateMessages?: TemplateMessages;
}

/** The template a kind of notice goes out as, with its tag and the prices the platform states (đồng per message). */
export interface MappedTemplate {
  id: string;
  name: string;
  tag: string | null;
  price: number | null;
  priceByUid: number | null;
}

/** What staff need to know before a notice goes out as template messages: which template, and today's quota. */
export interface TemplateMessages {
  /** The usable template mapped to `kind`; null when none is mapped, or it is no longer approved. */
  mapped(kind: NoticeKind): Promise<MappedTemplate | null>;
  /** Template messages the platform allows per day and still allows today; null when it cannot be asked now. */
  quota(): Promise<{ daily: number; remaining: number } | null>;
}

/** A channel's pure half: its limits and renderer, usable whether or not it runs here (previews). */
export type ChannelRenderer<Call = unknown> = Pick<ChannelSender<Call>, 'name' | 'limits' | 'render' | 'preview'>;

/** A whole platform adapter: receiving (webhook routes, polling), lifecycle and sending. */
export interface Channel<Call = unknown> extends ChannelSender<Call> {
  /** Webhook routes to mount on the app, if the platform pushes updates. */
  routes(): Router | null;
  /** After the HTTP server listens (webhooks need the public URL). */
  start(publicUrl: string | undefined): Promise<void>;
  stop(): Promise<void>;
}

/** Thrown by `deliver` when a reply could not be sent; the inbound update is then retried. */
export class DeliveryFailedError extends Error {
  override name = 'DeliveryFailedError';
  constructor(
    readonly channel: ChannelName,
    readonly reason: string,
    readonly code: number | undefined,
  ) {
    super(`${channel}: reply not delivered (${reason})`);
  }
}

/** How a reply went: all sent, or refused for this person (they are told nothing more). */
export type Delivery = { kind: 'delivered' } | { kind: 'refused'; outcome: 'blocked' | 'outside_window'; code?: number };

/** Waits when asked to slow down, at most this many times per call. */
const RETRIES_AFTER_THROTTLE = 3;
/** A reply or notice waits out a short throttle only; a longer one (a spent daily quota) fails it. */
const LONGEST_WAIT_MS = 30_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends conversation replies or a notice, call by call. A short throttle is
 * waited out (the platform's own delay, else 0.5 s, 1 s, 2 s); a refusal for the
 * person ends the delivery; any other failure throws DeliveryFailedError so the
 * update is redelivered and the engine replays the saved replies.
 */
export async function deliver(sender: ChannelSender, chatId: string, messages: OutMessage[], mode: RenderMode = 'reply'): Promise<Delivery> {
  for (const message of messages) {
    calls: for (const call of sender.render(chatId, message, mode)) {
      for (let attempt = 0; ; attempt++) {
        const outcome = await sender.send(chatId, call);
        if (outcome.kind === 'sent' && outcome.rest === 'skip') break calls;
        if (outcome.kind === 'sent') break;
        if (outcome.kind === 'blocked' || outcome.kind === 'outside_window') return { kind: 'refused', outcome: outcome.kind, ...(outcome.code === undefined ? {} : { code: outcome.code }) };
        if (outcome.kind === 'retry_after' && attempt < RETRIES_AFTER_THROTTLE && (outcome.ms ?? 0) <= LONGEST_WAIT_MS) {
          await sleep(outcome.ms === null ? 500 * 2 ** attempt : outcome.ms + 100);
          continue;
        }
        throw new DeliveryFailedError(sender.name, outcome.kind === 'failed' ? outcome.reason : 'throttled', outcome.kind === 'failed' ? outcome.code : undefined);
      }
    }
  }
  return { kind: 'delivered' };
}

/** The bubbles one message makes on a platform, drawn from the sender's own renderer. */
export function previewOf(sender: Pick<ChannelSender, 'render' | 'preview'>, message: OutMessage): PreviewBubble[] {
  return sender.render('preview', message, 'notice').flatMap((call) => sender.preview(call) ?? []);
}
