import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { isValidObjectId } from 'mongoose';
import { z } from 'zod';
import { parseSlashCommand } from '../../engine/commands.js';
import type { Engine } from '../../engine/engine.js';
import type { Channel, ChannelLimits, PreviewBubble, SendOutcome } from '../../messaging/channel.js';
import type { Inbound, OutMessage } from '../../messaging/types.js';
import { splitText } from '../../messaging/split-text.js';
import type { SimulatorMessageModel } from '../../db/models/simulator-message.js';
import type { Logger } from '../../logger.js';
import { maskDigits } from '../../security/mask.js';
import { errorMessage } from '../../errors.js';

const sendBody = z.object({
  chatId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  kind: z.enum(['text', 'button', 'contact', 'photo']),
  text: z.string().max(4096).optional(),
  payload: z.string().max(64).optional(),
  phone: z.string().max(32).optional(),
  /** What the page shows as the user's bubble (a button's label, say). */
  display: z.string().max(4096).optional(),
});
type SendBody = z.infer<typeof sendBody>;

function toInbound(body: SendBody): Inbound | undefined {
  const base = { id: randomUUID(), channel: 'simulator' as const, chatId: body.chatId, userId: body.chatId };
  switch (body.kind) {
    case 'text': {
      if (body.text === undefined) return undefined;
      const command = parseSlashCommand(body.text);
      if (command) return { ...base, kind: 'command', ...command };
      return { ...base, kind: 'text', text: body.text };
    }
    case 'button':
      return body.payload === undefined ? undefined : { ...base, kind: 'button', payload: body.payload };
    case 'contact':
      return body.phone === undefined ? undefined : { ...base, kind: 'contact', phone: body.phone, ownContact: true };
    case 'photo':
      return { ...base, kind: 'photo', fileRef: `simulator-photo-${randomUUID()}` };
  }
}

/** Masks every run of 6+ digits (spaces, dots, dashes between them allowed), keeping the last few. */
export function maskNumbers(text: string): string {
  return text.replace(/\+?\d(?:[ .-]?\d){5,}/g, (run) => maskDigits(run.replace(/\D/g, '')));
}

/**
 * The browser chat simulator: same engine and flows, no platform. It trusts the
 * chat id the page sends, so it is for development and demos only (off in production
 * unless SIMULATOR_ENABLED=true).
 */
export class SimulatorChannel implements Channel<OutMessage> {
  readonly name = 'simulator' as const;
  readonly limits = SIMULATOR_LIMITS;

  constructor(
    private readonly engine: Pick<Engine, 'handle'>,
    private readonly history: SimulatorMessageModel,
    private readonly logger: Logger,
  ) {}

  render(_chatId: string, message: OutMessage): OutMessage[] {
    return renderSimulator(message);
  }

  async send(chatId: string, message: OutMessage): Promise<SendOutcome> {
    await this.history.create({ chatId, direction: 'out', message, at: new Date() });
    return { kind: 'sent' };
  }

  preview(message: OutMessage): PreviewBubble {
    return previewSimulator(message);
  }

  async start(): Promise<void> {
    await this.history.init();
  }

  async stop(): Promise<void> {
    // Nothing runs between requests.
  }

  routes(): Router {
    const router = express.Router();
    const publicDir = fileURLToPath(new URL('./public/', import.meta.url));
    router.get('/simulator', (_req, res) => res.sendFile('index.html', { root: publicDir }));
    router.use('/simulator/assets', express.static(publicDir, { index: false, maxAge: '1h' }));

    router.post('/simulator/api/send', express.json({ limit: '64kb' }), async (req, res) => {
      const parsed = sendBody.safeParse(req.body);
      const inbound = parsed.success ? toInbound(parsed.data) : undefined;
      if (!parsed.success || !inbound) {
        res.status(400).json({ code: 'bad_message', message: 'chatId and a text, payload or phone are required' });
        return;
      }
      // The history is for the page only: identifiers typed into it (CCCD, phone, account) are kept masked.
      const display = maskNumbers(parsed.data.display ?? parsed.data.text ?? parsed.data.phone ?? '');
      await this.history.create({ chatId: inbound.chatId, direction: 'in', display, at: new Date() });
      try {
        const replies = await this.engine.handle(inbound);
        await this.saveReplies(inbound.chatId, replies);
        res.json({ ok: true });
      } catch (err) {
        this.logger.error({ event: 'simulator_failed', err: errorMessage(err) }, 'simulator message failed');
        res.status(503).json({ code: 'busy', message: 'could not process the message; try again' });
      }
    });

    router.get('/simulator/api/messages', async (req, res) => {
      const chatId = typeof req.query.chatId === 'string' ? req.query.chatId : '';
      const after = typeof req.query.after === 'string' ? req.query.after : '';
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(chatId) || (after !== '' && !isValidObjectId(after))) {
        res.status(400).json({ code: 'bad_query', message: 'chatId (and optional after) required' });
        return;
      }
      const filter = after ? { chatId, _id: { $gt: after } } : { chatId };
      const rows = await this.history.find(filter).sort({ _id: 1 }).limit(200).lean().exec();
      res.json({
        messages: rows.map((r) => ({
          id: String(r._id),
          direction: r.direction,
          display: r.display,
          message: r.message,
          at: r.at,
        })),
      });
    });
    return router;
  }

  /** A turn's replies in one write: the page polls and should see them together. */
  private async saveReplies(chatId: string, messages: OutMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.history.insertMany(messages.map((message) => ({ chatId, direction: 'out', message, at: new Date() })));
  }
}

/** No platform behind it: generous limits, and a pace that keeps demos quick. */
export const SIMULATOR_LIMITS: ChannelLimits = {
  text: 4096,
  caption: 4096,
  buttons: 100,
  buttonTitle: 200,
  ratePerSecond: 200,
  perChatPerSecond: 5,
  night: null,
};

/** The page shows the photo, the text and the link button of a message as they are. */
export function previewSimulator(message: OutMessage): PreviewBubble {
  return { ...(message.photo ? { photo: message.photo } : {}), text: message.text, ...(message.link ? { button: message.link } : {}) };
}

/** The page draws the channel-neutral message itself; only a text over the limit is split: the photo above the first part, buttons under the last. */
export function renderSimulator(message: OutMessage): OutMessage[] {
  const chunks = splitText(message.text, SIMULATOR_LIMITS.text);
  if (chunks.length === 1) return [message];
  const { photo, ...rest } = message;
  return chunks.map((text, i) => (i === chunks.length - 1 ? { ...rest, text } : { text, ...(i === 0 && photo ? { photo } : {}) }));
}
