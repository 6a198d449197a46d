import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ChatDriver, SeenMessage } from './chat-driver.js';
import type { ChannelHarness, HarnessOptions } from './channels.js';
import { startTestApp, type TestApp } from './app.js';
import { testMongoUri } from './db.js';
import { waitFor } from './wait.js';
import { FakeZalo, botUpdate, newMsgId, oaEvent, postBotWebhook, postOaWebhook, type OaEventInput, type ZaloCall } from './fake-zalo.js';
import { oaEventKey, parseOaEvent } from '../../src/channels/zalo/oa-events.js';

interface OaButtonJson {
  title: string;
  type: string;
  payload: unknown;
}
interface OaMessageJson {
  text?: string;
  attachment?: { payload?: { buttons?: OaButtonJson[]; template_type?: string; elements?: { title?: string }[] } };
}

const NUMBERED_LINE = /^(\d{1,2})\.\s/;

/** What the user sees for one OA message: text, button titles, and whether it asks for the phone. */
export function seenOa(message: Record<string, unknown>): SeenMessage {
  const m = message as OaMessageJson;
  const payload = m.attachment?.payload;
  if (payload?.template_type === 'request_user_info') return { text: payload.elements?.[0]?.title ?? '', buttons: [], requestsContact: true };
  // Options beyond Zalo's button cap are numbered lines of the text: to the user they are the choices.
  const lines = (m.text ?? '').split('\n').filter((l) => NUMBERED_LINE.test(l));
  return { text: m.text ?? '', buttons: [...lines, ...(payload?.buttons ?? []).map((b) => b.title)], requestsContact: false };
}

/** Resolves when the inbox row for `key` is processed (done or failed). */
export async function waitProcessed(app: TestApp, key: string): Promise<void> {
  await waitFor(async () => {
    const row = await app.connection.collection<{ _id: string; status: string }>('zalo_inbox').findOne({ _id: key });
    return row !== null && row.status !== 'pending';
  }, `inbox row ${key} to be processed`);
}

/**
 * Zalo OA: signed webhook events posted to the app; because processing is
 * asynchronous (inbox), each action waits until the event's inbox row is done,
 * then reads the replies the fake OA API received.
 */
export class ZaloOaChatDriver implements ChatDriver {
  readonly channel = 'zalo-oa';

  constructor(
    private readonly fake: FakeZalo,
    private readonly app: () => TestApp,
    readonly chatId: string,
  ) {}

  /** Posts one event and waits until its replies reached the fake. */
  async post(input: OaEventInput): Promise<SeenMessage[]> {
    const before = this.fake.messagesTo(this.chatId).length;
    const raw = JSON.stringify(oaEvent(this.fake.appId, input));
    const res = await postOaWebhook(`${this.app().url}/webhooks/zalo`, raw, this.fake);
    expect(res.status, `webhook answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
    const event = parseOaEvent(JSON.parse(raw));
    if (!event) throw new Error('driver built an unparseable event');
    await waitProcessed(this.app(), oaEventKey(event, raw));
    return this.fake.messagesTo(this.chatId).slice(before).map(seenOa);
  }

  send(text: string): Promise<SeenMessage[]> {
    return this.post({ kind: 'text', userId: this.chatId, text, msgId: newMsgId() });
  }

  async tap(label: string): Promise<SeenMessage[]> {
    const messages = this.fake.messagesTo(this.chatId) as OaMessageJson[];
    for (let i = messages.length - 1; i >= 0; i--) {
      const message = messages[i]!;
      const buttons = message.attachment?.payload?.buttons ?? [];
      const hit = buttons.find((b) => b.title.includes(label) && b.type.startsWith('oa.query') && typeof b.payload === 'string');
      // A tap on an oa.query button comes back as a user_send_text whose text is the payload.
      if (hit) return this.send(hit.payload as string);
      const lines = (message.text ?? '').split('\n').filter((l) => NUMBERED_LINE.test(l));
      const line = lines.find((l) => l.includes(label));
      if (line) return this.send(NUMBERED_LINE.exec(line)![1]!);
      if (buttons.length > 0 || lines.length > 0) break;
    }
    throw new Error(`no option "${label}" in the latest message; history:\n${this.history().map((m) => `${m.text} [${m.buttons.join(' | ')}]`).join('\n')}`);
  }

  shareContact(phone: string): Promise<SeenMessage[]> {
    return this.post({ kind: 'submit_info', userId: this.chatId, phone });
  }

  sendPhoto(): Promise<SeenMessage[]> {
    return this.post({ kind: 'image', userId: this.chatId, url: `https://photo.zalo.example/${newMsgId()}.jpg` });
  }

  history(): SeenMessage[] {
    return this.fake.messagesTo(this.chatId).map(seenOa);
  }

  async allMessages(): Promise<SeenMessage[]> {
    return this.history();
  }
}

const SHARE_LABELS = ['vi', 'en'].map((lng) => (JSON.parse(readFileSync(new URL(`../../locales/${lng}/engine.json`, import.meta.url), 'utf8')) as { sharePhoneButton: string }).sharePhoneButton);
const MENU_LABELS = ['vi', 'en'].map((lng) => (JSON.parse(readFileSync(new URL(`../../locales/${lng}/engine.json`, import.meta.url), 'utf8')) as { menuButton: string }).menuButton);

/** What the user sees for one Bot Platform send: all text; options are lines. */
export function seenBot(call: ZaloCall): SeenMessage {
  const text = typeof call.body.text === 'string' ? call.body.text : '';
  const lines = text.split('\n');
  return {
    text,
    buttons: lines.filter((l) => NUMBERED_LINE.test(l) || MENU_LABELS.includes(l)),
    requestsContact: lines.some((l) => SHARE_LABELS.includes(l)),
  };
}

/** Zalo Bot Platform: no buttons, so a tap types the option's number (or its words). */
export class ZaloBotChatDriver implements ChatDriver {
  readonly channel = 'zalo-bot';

  constructor(
    private readonly fake: FakeZalo,
    private readonly app: () => TestApp,
    private readonly secret: string,
    readonly chatId: string,
  ) {}

  private async post(update: Record<string, unknown>): Promise<SeenMessage[]> {
    const before = this.fake.botMessagesTo(this.chatId).length;
    const res = await postBotWebhook(`${this.app().url}/webhooks/zalo-bot`, JSON.stringify(update), this.secret);
    expect(res.status, `webhook answered ${res.status}: ${JSON.stringify(res.body)}`).toBe(200);
    return this.fake.botMessagesTo(this.chatId).slice(before).map(seenBot);
  }

  send(text: string): Promise<SeenMessage[]> {
    return this.post(botUpdate({ chatId: this.chatId, text }));
  }

  async tap(label: string): Promise<SeenMessage[]> {
    const seen = this.history();
    for (let i = seen.length - 1; i >= 0; i--) {
      const options = seen[i]!.buttons;
      const line = options.find((l) => l.includes(label));
      if (line) {
        const number = NUMBERED_LINE.exec(line);
        return this.send(number ? number[1]! : line);
      }
      // A notification's action is a line to type (no buttons on this platform).
      const typed = seen[i]!.text.split('\n').findLast((l) => l.includes(label));
      if (typed && options.length === 0) return this.send(typed);
      if (options.length > 0) break;
    }
    throw new Error(`no option "${label}" in the latest message; history:\n${seen.map((m) => m.text).join('\n---\n')}`);
  }

  /** No contact sharing on the Bot Platform: the user types the number. */
  shareContact(phone: string): Promise<SeenMessage[]> {
    return this.send(phone);
  }

  sendPhoto(): Promise<SeenMessage[]> {
    return this.post(botUpdate({ chatId: this.chatId, photoUrl: `https://photo.zalo.example/${newMsgId()}.jpg` }));
  }

  history(): SeenMessage[] {
    return this.fake.botMessagesTo(this.chatId).map(seenBot);
  }

  async allMessages(): Promise<SeenMessage[]> {
    return this.history();
  }
}

/** Harness: the app with a Zalo OA pointed at a fake Zalo. */
export async function zaloOaHarness(opts: HarnessOptions): Promise<ChannelHarness & { fake: FakeZalo }> {
  const fake = await FakeZalo.start();
  const env = { MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ...fake.env({ oa: true }), ...opts.env };
  let app = await startTestApp(env);
  return {
    name: 'zalo',
    fake,
    get app() {
      return app;
    },
    chat: (n) => new ZaloOaChatDriver(fake, () => app, `84000${700_000 + n}`),
    chatKey: (n) => ({ channel: 'zalo', chatId: `84000${700_000 + n}` }),
    async restart() {
      await app.stop();
      app = await startTestApp(env);
    },
    async stop() {
      await app.stop();
      await fake.stop();
    },
  };
}

/** Harness: the app with a Zalo Bot Platform bot pointed at a fake Zalo. */
export async function zaloBotHarness(opts: HarnessOptions): Promise<ChannelHarness & { fake: FakeZalo }> {
  const fake = await FakeZalo.start();
  const secret = 'bot-secret-0123456789';
  const env = { MONGODB_URI: testMongoUri(), SIMULATOR_ENABLED: 'false', ...fake.env({ bot: true, botSecret: secret }), ...opts.env };
  let app = await startTestApp(env);
  return {
    name: 'zalo-bot',
    fake,
    get app() {
      return app;
    },
    chat: (n) => new ZaloBotChatDriver(fake, () => app, secret, `bot-chat-${700_000 + n}`),
    chatKey: (n) => ({ channel: 'zalo-bot', chatId: `bot-chat-${700_000 + n}` }),
    async restart() {
      await app.stop();
      app = await startTestApp(env);
    },
    async stop() {
      await app.stop();
      await fake.stop();
    },
  };
}
