import { expect } from 'vitest';
import type { FakeTelegram, RecordedCall } from './fake-telegram.js';
import { callbackUpdate, contactUpdate, photoUpdate, postWebhook, textUpdate } from './telegram-updates.js';

/** A bot message as the user sees it, whatever the platform. */
export interface SeenMessage {
  text: string;
  /** Button labels, in order (inline buttons or reply-keyboard buttons). */
  buttons: string[];
  requestsContact: boolean;
}

/**
 * Drives one chat like a person would: type, tap a button by its label, share a
 * phone number. Each channel implements it; e2e suites are written once against it.
 */
export interface ChatDriver {
  readonly channel: string;
  /** Sends text; resolves with the bot's replies to it. */
  send(text: string): Promise<SeenMessage[]>;
  /** Taps the button whose label contains `label` in the latest bot message that has one. */
  tap(label: string): Promise<SeenMessage[]>;
  shareContact(phone: string): Promise<SeenMessage[]>;
  sendPhoto(): Promise<SeenMessage[]>;
  /** Every bot message in this chat so far. */
  history(): SeenMessage[];
  /** Every bot message so far, including notifications sent outside a turn (the simulator looks for them first). */
  allMessages(): Promise<SeenMessage[]>;
}

interface InlineButton { text: string; callback_data?: string; request_contact?: boolean }

function toSeen(call: RecordedCall): SeenMessage {
  const params = call.params as { text?: string; caption?: string; reply_markup?: { inline_keyboard?: InlineButton[][]; keyboard?: InlineButton[][] } };
  const rows = params.reply_markup?.inline_keyboard ?? params.reply_markup?.keyboard ?? [];
  const flat = rows.flat();
  return {
    text: params.text ?? params.caption ?? '',
    buttons: flat.filter((b) => !b.request_contact).map((b) => b.text),
    requestsContact: flat.some((b) => b.request_contact === true),
  };
}

/** Telegram: real telegraf in the app, updates posted to its webhook, replies read at the fake Bot API. */
export class TelegramChatDriver implements ChatDriver {
  readonly channel = 'telegram';

  constructor(
    private readonly fake: FakeTelegram,
    private readonly webhookUrl: () => string,
    private readonly secret: string,
    readonly chatId: number,
  ) {}

  private async post(update: object, expectStatus = 200): Promise<SeenMessage[]> {
    const before = this.fake.sentMessages(this.chatId).length;
    const res = await postWebhook(this.webhookUrl(), update, this.secret);
    expect(res.status, `webhook answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(expectStatus);
    return this.fake.sentMessages(this.chatId).slice(before).map(toSeen);
  }

  send(text: string): Promise<SeenMessage[]> {
    return this.post(textUpdate(this.chatId, text));
  }

  async tap(label: string): Promise<SeenMessage[]> {
    // Every message sent to this chat, notifications included, newest first.
    const calls = this.fake.sentMessages(this.chatId);
    for (let i = calls.length - 1; i >= 0; i--) {
      const params = calls[i]!.params as { reply_markup?: { inline_keyboard?: InlineButton[][]; keyboard?: InlineButton[][] } };
      const inline = params.reply_markup?.inline_keyboard?.flat() ?? [];
      const hit = inline.find((b) => b.text.includes(label) && b.callback_data);
      if (hit) return this.post(callbackUpdate(this.chatId, hit.callback_data!));
      const reply = params.reply_markup?.keyboard?.flat() ?? [];
      const key = reply.find((b) => b.text.includes(label) && !b.request_contact);
      if (key) return this.send(key.text);
      if (inline.length > 0 || reply.length > 0) break;
    }
    throw new Error(`no button "${label}" in the latest keyboard; history:\n${this.history().map((m) => `${m.text} [${m.buttons.join(' | ')}]`).join('\n')}`);
  }

  shareContact(phone: string): Promise<SeenMessage[]> {
    return this.post(contactUpdate(this.chatId, phone));
  }

  sendPhoto(): Promise<SeenMessage[]> {
    return this.post(photoUpdate(this.chatId, `photo-${Date.now()}`));
  }

  /** Sends a photo whose bytes the fake Bot API serves when the bot downloads it (the real getFile path). */
  sendImage(bytes: Buffer): Promise<SeenMessage[]> {
    const fileId = `img-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    this.fake.setFile(fileId, bytes);
    return this.post(photoUpdate(this.chatId, fileId));
  }

  history(): SeenMessage[] {
    return this.fake.sentMessages(this.chatId).map(toSeen);
  }

  async allMessages(): Promise<SeenMessage[]> {
    return this.history();
  }
}

/** Concatenated text of replies, for readable assertions. */
export const textOf = (messages: SeenMessage[]): string => messages.map((m) => m.text).join('\n---\n');
export const buttonsOf = (messages: SeenMessage[]): string[] => messages.flatMap((m) => m.buttons);

interface SimMessage {
  id: string;
  direction: 'in' | 'out';
  message?: { text: string; buttons?: { label: string; payload: string }[]; requestContact?: { label: string } };
}

/** The browser simulator's JSON API, driven without a browser. */
export class SimulatorChatDriver implements ChatDriver {
  readonly channel = 'simulator';
  private lastId = '';
  private seen: { seen: SeenMessage; payloads: Map<string, string> }[] = [];

  constructor(
    private readonly baseUrl: () => string,
    readonly chatId: string,
  ) {}

  private async post(body: Record<string, string>): Promise<SeenMessage[]> {
    const res = await fetch(`${this.baseUrl()}/simulator/api/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chatId: this.chatId, ...body }),
    });
    expect(res.status, `simulator answered ${res.status}`).toBe(200);
    return this.fetchNew();
  }

  /** Bot messages that arrived since the last look (replies and notifications). */
  async fetchNew(): Promise<SeenMessage[]> {
    const query = new URLSearchParams({ chatId: this.chatId, ...(this.lastId ? { after: this.lastId } : {}) });
    const res = await fetch(`${this.baseUrl()}/simulator/api/messages?${query}`);
    const { messages } = (await res.json()) as { messages: SimMessage[] };
    const out: SeenMessage[] = [];
    for (const row of messages) {
      this.lastId = row.id;
      if (row.direction !== 'out' || !row.message) continue;
      const buttons = row.message.buttons ?? [];
      const seen = { text: row.message.text, buttons: buttons.map((b) => b.label), requestsContact: row.message.requestContact !== undefined };
      this.seen.push({ seen, payloads: new Map(buttons.map((b) => [b.label, b.payload])) });
      out.push(seen);
    }
    return out;
  }

  send(text: string): Promise<SeenMessage[]> {
    return this.post({ kind: 'text', text });
  }

  async tap(label: string): Promise<SeenMessage[]> {
    for (let i = this.seen.length - 1; i >= 0; i--) {
      const { payloads } = this.seen[i]!;
      const hit = [...payloads].find(([l]) => l.includes(label));
      if (hit) return this.post({ kind: 'button', payload: hit[1], display: hit[0] });
      if (payloads.size > 0) break;
    }
    throw new Error(`no button "${label}" in the latest message; history:\n${this.history().map((m) => `${m.text} [${m.buttons.join(' | ')}]`).join('\n')}`);
  }

  shareContact(phone: string): Promise<SeenMessage[]> {
    return this.post({ kind: 'contact', phone });
  }

  sendPhoto(): Promise<SeenMessage[]> {
    return this.post({ kind: 'photo' });
  }

  history(): SeenMessage[] {
    return this.seen.map((s) => s.seen);
  }

  async allMessages(): Promise<SeenMessage[]> {
    await this.fetchNew();
    return this.history();
  }
}
