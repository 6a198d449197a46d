import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseSlashCommand } from '../../engine/commands.js';
import type { Inbound } from '../../messaging/types.js';

/**
 * Zalo OA webhook events, as documented under developers.zalo.me → Official Account →
 * Webhook. All ids and the timestamp are strings (they exceed 2^53). User → OA events
 * carry `sender.id` = the user; follow/unfollow carry `follower.id`; OA → user echoes
 * (`oa_send_*`) swap sender and recipient and are ignored.
 */
const id = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(64));
const party = z.object({ id });

const attachment = z.object({
  type: z.string().max(32),
  payload: z.object({ url: z.string().max(2048).optional(), thumbnail: z.string().max(2048).optional() }).passthrough().optional(),
});

const eventSchema = z
  .object({
    event_name: z.string().min(1).max(64),
    app_id: id.optional(),
    timestamp: id,
    sender: party.optional(),
    recipient: party.optional(),
    follower: party.optional(),
    user_id_by_app: id.optional(),
    message: z
      .object({
        msg_id: id.optional(),
        text: z.string().max(10_000).optional(),
        attachments: z.array(attachment).max(20).optional(),
      })
      .passthrough()
      .optional(),
    info: z
      .object({ phone: z.union([z.string(), z.number()]).transform(String).optional(), name: z.string().optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export type OaEvent = z.infer<typeof eventSchema>;

/** What to do with one verified event. */
export type OaAction =
  | { type: 'inbound'; inbound: Inbound }
  | { type: 'unfollow'; chatId: string }
  /** Zalo's delivery event for a message we sent (a template): the OA is the sender. */
  | { type: 'receipt'; messageId: string; deliveredAt: Date }
  | { type: 'ignore'; reason: string };

/** Parses a verified webhook body; undefined when it is not an OA event at all. */
export function parseOaEvent(body: unknown): OaEvent | undefined {
  const parsed = eventSchema.safeParse(body);
  return parsed.success ? parsed.data : undefined;
}

/** Events the channel stores and processes; anything else is acknowledged and dropped. */
export const HANDLED_EVENTS = new Set(['user_received_message', 'user_send_text', 'user_send_image', 'user_submit_info', 'follow', 'unfollow', 'user_send_sticker', 'user_send_audio', 'user_send_video', 'user_send_file', 'user_send_location', 'user_send_link', 'user_send_gif']);

/**
 * The unique key of an event, used to process it once: Zalo retries a delivery
 * (30 s, 5 min, 15 min, ...) with the same `msg_id`; events without one (follow,
 * user_submit_info) are keyed by a hash of the exact raw body, which a retry repeats.
 */
export function oaEventKey(event: OaEvent, rawBody: string): string {
  const msgId = event.message?.msg_id;
  if (msgId) return `zalo:${msgId}`;
  return `zalo:h:${createHash('sha256').update(rawBody, 'utf8').digest('hex').slice(0, 40)}`;
}

/** The user a user → OA event comes from. */
function userOf(event: OaEvent): string | undefined {
  return event.follower?.id ?? event.sender?.id;
}

/**
 * Turns a verified event into what the engine understands. Button taps come back as
 * `user_send_text` whose text is the button's `oa.query.*` payload (our payloads all
 * start with `c:`, `g:` or `a:`), so such text becomes a button Inbound.
 */
export function toOaAction(event: OaEvent, key: string): OaAction {
  const name = event.event_name;
  if (name.startsWith('oa_send_')) return { type: 'ignore', reason: 'echo' };
  if (name === 'user_received_message') {
    // developers.zalo.me, ZBS Template Message → Webhook → "Sự kiện người dùng nhận tin": message.msg_id, message.delivery_time (ms).
    const messageId = event.message?.msg_id;
    const at = Number((event.message as { delivery_time?: unknown } | undefined)?.delivery_time ?? event.timestamp);
    return messageId ? { type: 'receipt', messageId, deliveredAt: new Date(Number.isFinite(at) ? at : Date.now()) } : { type: 'ignore', reason: 'no_message_id' };
  }
  const userId = userOf(event);
  if (!userId) return { type: 'ignore', reason: 'no_user' };
  const base = { id: key, channel: 'zalo' as const, chatId: userId, userId };
  switch (name) {
    case 'user_send_text': {
      const text = event.message?.text ?? '';
      if (BUTTON_PAYLOAD.test(text)) return { type: 'inbound', inbound: { ...base, kind: 'button', payload: text } };
      const command = parseSlashCommand(text);
      if (command) return { type: 'inbound', inbound: { ...base, kind: 'command', ...command } };
      return { type: 'inbound', inbound: { ...base, kind: 'text', text } };
    }
    case 'user_send_image': {
      const image = event.message?.attachments?.find((a) => a.type === 'image' && a.payload?.url);
      if (!image?.payload?.url) return { type: 'inbound', inbound: { ...base, kind: 'unsupported' } };
      const caption = event.message?.text;
      return { type: 'inbound', inbound: { ...base, kind: 'photo', fileRef: image.payload.url, ...(caption ? { caption } : {}) } };
    }
    case 'user_submit_info': {
      const phone = event.info?.phone?.trim();
      if (!phone) return { type: 'inbound', inbound: { ...base, kind: 'unsupported' } };
      // Zalo only lets a user submit their own profile's number.
      return { type: 'inbound', inbound: { ...base, kind: 'contact', phone, ownContact: true } };
    }
    case 'follow':
      return { type: 'inbound', inbound: { ...base, kind: 'command', command: 'start', args: '' } };
    case 'unfollow':
      return { type: 'unfollow', chatId: userId };
    default:
      if (name.startsWith('user_send_')) return { type: 'inbound', inbound: { ...base, kind: 'unsupported' } };
      return { type: 'ignore', reason: 'unhandled_event' };
  }
}

/** Payloads we put on buttons: choice, global command, or notification action. */
export const BUTTON_PAYLOAD = /^(c|g|a):[\w:.-]{1,200}$/;
