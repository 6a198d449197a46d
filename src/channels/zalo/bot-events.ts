import { z } from 'zod';
import { parseSlashCommand } from '../../engine/commands.js';
import type { Inbound } from '../../messaging/types.js';

/**
 * Zalo Bot Platform webhook updates. The body is `{ ok, result: { event_name, message } }`
 * (some deliveries come unwrapped, `{ event_name, message }`); events such as
 * `message.text.received`, `message.image.received`, `message.sticker.received`,
 * `message.unsupported.received`. https://bot.zaloplatforms.com/docs (webhook)
 */
const id = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1).max(128));

const messageSchema = z
  .object({
    message_id: id,
    from: z.object({ id, display_name: z.string().optional(), is_bot: z.boolean().optional() }).passthrough(),
    chat: z.object({ id, chat_type: z.string().max(32).optional() }).passthrough(),
    date: z.number().optional(),
    text: z.string().max(10_000).optional(),
    photo_url: z.string().max(2048).optional(),
    photo: z.string().max(2048).optional(),
    caption: z.string().max(10_000).optional(),
  })
  .passthrough();

const updateSchema = z.object({ event_name: z.string().min(1).max(64), message: messageSchema.optional() }).passthrough();

export type BotUpdate = z.infer<typeof updateSchema>;

/** Parses a webhook body, wrapped or not; undefined when it is not an update. */
export function parseBotUpdate(body: unknown): BotUpdate | undefined {
  const inner = typeof body === 'object' && body !== null && 'result' in body ? (body as { result: unknown }).result : body;
  const parsed = updateSchema.safeParse(inner);
  return parsed.success ? parsed.data : undefined;
}

/** The update's unique key, to process it once. */
export function botUpdateKey(update: BotUpdate): string | undefined {
  return update.message ? `zalo-bot:${update.message.message_id}` : undefined;
}

/** Turns an update into an Inbound; undefined for group chats and non-message events. */
export function botToInbound(update: BotUpdate): Inbound | undefined {
  const message = update.message;
  if (!message) return undefined;
  if (message.chat.chat_type && message.chat.chat_type.toUpperCase() !== 'PRIVATE') return undefined;
  const base = { id: `zalo-bot:${message.message_id}`, channel: 'zalo-bot' as const, chatId: message.chat.id, userId: message.from.id };
  switch (update.event_name) {
    case 'message.text.received': {
      const text = message.text ?? '';
      const command = parseSlashCommand(text);
      if (command) return { ...base, kind: 'command', ...command };
      return { ...base, kind: 'text', text };
    }
    case 'message.image.received': {
      const url = message.photo_url ?? message.photo;
      if (!url) return { ...base, kind: 'unsupported' };
      return { ...base, kind: 'photo', fileRef: url, ...(message.caption ? { caption: message.caption } : {}) };
    }
    default:
      return update.event_name.startsWith('message.') ? { ...base, kind: 'unsupported' } : undefined;
  }
}
