/**
 * A small, local stand-in for the Telegram Bot API (https://core.telegram.org/bots/api).
 *
 * Point telegraf at it with `new Telegraf(token, { telegram: { apiRoot: fake.apiRoot } })`
 * (or `new Telegram(token, { apiRoot })`, or env TELEGRAM_API_ROOT in the app). Every call is
 * recorded; Telegram's documented limits can be enforced so pacing and error handling are
 * exercised against real HTTP answers:
 *
 * - 401 for a wrong token, 404 for unknown methods;
 * - 400 validation Telegram really does (empty / over-long text, 64-byte callback_data,
 *   HTML / MarkdownV2 entity parsing, "message is not modified", answering a query twice …);
 * - 403 "bot was blocked by the user" for blocked chats;
 * - 429 + parameters.retry_after for the global and per-chat send rate, for injected
 *   random flood waits (which, like Telegram, keep answering 429 until retry_after elapses),
 *   and for `failNext`.
 *
 * Deliberate simplifications: the fake never calls a webhook URL itself (tests POST updates
 * with `postWebhook` from telegram-updates.ts); messages it did not send itself (e.g. the bot
 * message inside a hand-built callback_query) are assumed to exist when edited/deleted;
 * MarkdownV2 text is checked for unescaped reserved characters but not otherwise parsed.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export const DEFAULT_TOKEN = '123456:TEST-TOKEN';
export const DEFAULT_BOT_USERNAME = 'luong_huu_test_bot';
export const DEFAULT_BOT_FIRST_NAME = 'Lương Hưu (test)';

export interface RecordedCall {
  /** Canonical Bot API method name, e.g. `sendMessage`. */
  method: string;
  token: string;
  /** Parameters as Telegram reads them: JSON fields parsed, integer ids as numbers, uploads as {@link UploadedFile}. */
  params: Record<string, unknown>;
  /** performance.now() when the request arrived (ms). */
  at: number;
  /** HTTP status answered (200 on success, else the error_code). */
  status: number;
}

/** What a multipart file part is recorded as in {@link RecordedCall.params}. */
export interface UploadedFile {
  uploaded: true;
  filename: string;
  size: number;
  contentType?: string;
}

export interface FakeTelegramOptions {
  /** Default '123456:TEST-TOKEN'; any other token → 401 Unauthorized. */
  token?: string;
  /** Overall send rate (sliding 1 s window over sendMessage/sendPhoto); exceeding → 429. */
  globalRatePerSecond?: number;
  /** Per chat_id send rate (Telegram: about 1/s in one chat); exceeding → 429. */
  perChatRatePerSecond?: number;
  /** send* to these chats → 403 'Forbidden: bot was blocked by the user'. */
  blockedChatIds?: Iterable<number | string>;
  /** Upper bound on how long getUpdates holds a long poll (default 1000 ms), to keep tests quick. */
  longPollCapMs?: number;
  /** getMe username (default 'luong_huu_test_bot'). */
  botUsername?: string;
  /** getMe first_name. */
  botFirstName?: string;
  /** Random source for randomRetryAfter (default Math.random); inject for reproducible runs. */
  random?: () => number;
}

export interface InjectedError {
  status: number;
  description: string;
  retryAfter?: number;
}

type Params = Record<string, unknown>;
type Answer =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; status: number; description: string; retryAfter?: number };

interface StoredMessage {
  text?: string;
  caption?: string;
  markup: string;
  deleted: boolean;
}

interface PendingPoll {
  wake(): void;
  finish(answer: Answer | null): void;
}

interface Waiter {
  check(): boolean;
}

const KNOWN_METHODS = [
  'getMe',
  'setWebhook',
  'deleteWebhook',
  'getWebhookInfo',
  'getUpdates',
  'sendMessage',
  'sendPhoto',
  'sendChatAction',
  'answerCallbackQuery',
  'editMessageText',
  'editMessageReplyMarkup',
  'deleteMessage',
  'getFile',
  'setMyCommands',
  'getMyCommands',
  'deleteMyCommands',
] as const;
const CANONICAL = new Map<string, string>(KNOWN_METHODS.map((m) => [m.toLowerCase(), m]));

/** Methods that deliver a message and count against Telegram's message rate limits. */
const MESSAGE_SENDS = new Set(['sendMessage', 'sendPhoto']);

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const JSON_FIELDS = new Set([
  'reply_markup',
  'allowed_updates',
  'commands',
  'scope',
  'entities',
  'caption_entities',
  'link_preview_options',
  'reply_parameters',
  'media',
  'results',
]);
const INT_FIELDS = new Set([
  'chat_id',
  'message_id',
  'offset',
  'limit',
  'timeout',
  'max_connections',
  'reply_to_message_id',
  'message_thread_id',
  'cache_time',
  'from_chat_id',
  'user_id',
]);
const BOOL_FIELDS = new Set([
  'drop_pending_updates',
  'disable_notification',
  'protect_content',
  'show_alert',
  'disable_web_page_preview',
  'allow_sending_without_reply',
]);

const HTML_TAGS = new Set([
  'b',
  'strong',
  'i',
  'em',
  'u',
  'ins',
  's',
  'strike',
  'del',
  'span',
  'tg-spoiler',
  'a',
  'tg-emoji',
  'code',
  'pre',
  'blockquote',
]);
const MDV2_RESERVED = new Set(['_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!']);
const MDV2_FORMATTING = new Set(['_', '*', '[', ']', '~', '|']);

/**
 * What a file download serves: a real 160×120 JPEG (a few coloured shapes, 837 bytes) that a
 * browser decodes, so a page showing an evidence photo can be checked to have drawn it.
 */
const FAKE_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAA0JCgsKCA0LCgsODg0PEyAVExISEyccHhcgLikxMC4pLSwzOko+MzZGNywtQFdBRkxO' +
  'UlNSMj5aYVpQYEpRUk//2wBDAQ4ODhMREyYVFSZPNS01T09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09PT09P' +
  'T09PT09PT0//wAARCAB4AKADASIAAhEBAxEB/8QAGAABAQEBAQAAAAAAAAAAAAAAAAcGBQP/xAAiEAEAAgICAAcBAAAAAAAAAAAA' +
  'AQMCBBEhBTFCYZGx4RL/xAAaAQEAAwEBAQAAAAAAAAAAAAAAAwQFAgEG/8QAJhEBAAAGAgEDBQEAAAAAAAAAAAECAxESFARhBRMV' +
  'gSExMlFxQf/aAAwDAQACEQMRAD8AoACdEAAAAAAAAAAAAAAAAAAAAioDTQAAAAAAAAAAAAAALUAzE4ACKgNNAAAAAAAAAAAAAAAt' +
  'QDMTgAIqLULWx0jwRUWoNjowRUWoNjowRUWoNjowRUWoNjowRUWoNjowRUWoNjowRUWoNjowAFVIAACMjnNV2elmEZDM2elmEZDM' +
  '2elmEZDM2elmEZWZ7CN0tOpnf6AONv72Vuc1VZcVx1Mx6vxX5XKk48mU3xBbo0Zqs1oOlZua1c8ZXY8+3f0V7mtZPGNuPPv19s8M' +
  'b3mrf8YWX/b5LfeLUDjeH72VWcVW5c1z1Ez6fx2WzxeVJyJMpfmChWozUprRAFlCAAjICJmAAAAAACzIyszuRZ43+vDdzmvTtyjz' +
  '/nj56Z5od3CbNO3GPPjn47Z5geZv6sv6s3/H2wj/AEAY6+NDpZzZqVZT3P8APHx0zzQ6WE16dWM+fHPz22PDX9Wb9WUPIWwh/XuA' +
  '+hZQACMizDnBV1u0ZFmDA1u0ZFmDA1u0ZFmDA1u0ZWYHsIWS06eF/qONv6OVWc21RzXPcxHp/HZFflcWTkSYzfEVujWmpTXgy40N' +
  'mnrWTzlVjz7dfRXp61c84048+/f2xvZqt/yhZf8AcJLfaLm+H6OVucW248Vx3ET6vx2QbPF4snHkxl+YqFatNVmvEAWUIAAAAAAA' +
  'AAAAAAAAAAAAD//Z',
  'base64',
);

const ok = (result: unknown, description?: string): Answer =>
  description === undefined ? { ok: true, result } : { ok: true, result, description };
const fail = (status: number, description: string, retryAfter?: number): Answer =>
  retryAfter === undefined ? { ok: false, status, description } : { ok: false, status, description, retryAfter };
const badRequest = (what: string): Answer => fail(400, `Bad Request: ${what}`);

export class FakeTelegram {
  readonly apiRoot: string;
  readonly token: string;
  calls: RecordedCall[] = [];

  private readonly server: Server;
  private readonly opts: FakeTelegramOptions;
  private readonly botId: number;
  private readonly blocked = new Set<string>();
  private readonly faults = new Map<string, Array<{ remaining: number; error: InjectedError }>>();
  private readonly holds = new Map<string, Promise<void>[]>();
  private randomFlood: { probability: number; seconds: number } | undefined;
  private floodUntil = 0;
  private globalSends: number[] = [];
  private chatSends = new Map<string, number[]>();

  private updates: Array<Record<string, unknown>> = [];
  private lastUpdateId = 0;
  private allowedUpdates: string[] | undefined;
  private pendingPoll: PendingPoll | undefined;
  private webhookState: { url: string; secretToken?: string; allowedUpdates?: string[]; maxConnections: number } | undefined;

  private nextMessageId = 1;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly answeredQueries = new Set<string>();
  private readonly knownChats = new Map<string, Record<string, unknown>>();
  private readonly files = new Map<string, string>(); // file_path -> file_id
  /** Bytes served for a file id (a photo a test draws); others get a tiny JPEG. */
  private readonly fileBytes = new Map<string, Buffer>();
  private readonly commands = new Map<string, unknown[]>();
  private waiters: Waiter[] = [];
  private stopped = false;

  private constructor(server: Server, port: number, opts: FakeTelegramOptions) {
    this.server = server;
    this.opts = opts;
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.token = opts.token ?? DEFAULT_TOKEN;
    this.botId = Number(this.token.split(':')[0]) || 123456;
    for (const id of opts.blockedChatIds ?? []) this.blocked.add(String(id));
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      this.onRequest(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          const description = `Internal Server Error: fake-telegram: ${err instanceof Error ? err.message : String(err)}`;
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: false, error_code: 500, description }));
        }
      });
    });
  }

  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new FakeTelegram(server, (server.address() as AddressInfo).port, opts);
  }

  // ---------------------------------------------------------------- inspection

  callsTo(method: string): RecordedCall[] {
    const m = canonical(method);
    return this.calls.filter((c) => c.method === m);
  }

  /** Successful sendMessage / sendPhoto calls, optionally to one chat. */
  sentMessages(chatId?: number | string): RecordedCall[] {
    return this.calls.filter(
      (c) =>
        c.status === 200 &&
        MESSAGE_SENDS.has(c.method) &&
        (chatId === undefined || String(c.params.chat_id) === String(chatId)),
    );
  }

  /** Resolves once at least `count` successful calls to `method` were answered. */
  waitForCalls(method: string, count: number, timeoutMs = 2000): Promise<RecordedCall[]> {
    const m = canonical(method);
    const matching = (): RecordedCall[] => this.calls.filter((c) => c.method === m && c.status === 200);
    const already = matching();
    if (already.length >= count) return Promise.resolve(already);
    return new Promise<RecordedCall[]>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const found = matching();
          if (found.length < count) return false;
          clearTimeout(timer);
          resolve(found);
          return true;
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `FakeTelegram.waitForCalls: timed out after ${timeoutMs} ms waiting for ${count} successful ` +
              `${m} call(s), got ${matching().length}. Recorded calls:\n${this.describeCalls()}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Number of 429 and 403 answers since start / the last reset(). */
  stats(): { rateLimited: number; blocked: number } {
    let rateLimited = 0;
    let blocked = 0;
    for (const c of this.calls) {
      if (c.status === 429) rateLimited++;
      else if (c.status === 403) blocked++;
    }
    return { rateLimited, blocked };
  }

  /** As last set by setWebhook (undefined when none is set). */
  webhook(): { url: string; secretToken?: string } | undefined {
    if (!this.webhookState) return undefined;
    const { url, secretToken } = this.webhookState;
    return secretToken === undefined ? { url } : { url, secretToken };
  }

  // ---------------------------------------------------------------- control

  /** The next `times` calls to `method` (after the token check) are answered with `error`. */
  failNext(method: string, times: number, error: InjectedError): void {
    const m = canonical(method);
    const queue = this.faults.get(m) ?? [];
    queue.push({ remaining: times, error });
    this.faults.set(m, queue);
  }

  /**
   * The next call to `method` waits, unanswered, until the returned function is
   * called: a slow Bot API, to catch what happens meanwhile.
   */
  holdNext(method: string): () => void {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const m = canonical(method);
    this.holds.set(m, [...(this.holds.get(m) ?? []), gate]);
    return release;
  }

  /**
   * With the given probability a sendMessage/sendPhoto is answered 429 retry_after=`seconds`;
   * like Telegram, further sends are then refused until the wait has elapsed.
   * `randomRetryAfter(0, 0)` turns it off.
   */
  randomRetryAfter(probability: number, seconds: number): void {
    this.randomFlood = probability > 0 ? { probability, seconds: Math.max(1, Math.ceil(seconds)) } : undefined;
  }

  /** The image served for a file id, as the user's photo (the largest size of a photoUpdate uses the id as given). */
  setFile(fileId: string, bytes: Buffer): void {
    this.fileBytes.set(fileId, bytes);
  }

  blockChat(chatId: number | string): void {
    this.blocked.add(String(chatId));
  }

  /** Queue an update for getUpdates; wakes a pending long poll. update_id is assigned if missing. */
  pushUpdate(update: object): void {
    const u = { ...(update as Record<string, unknown>) };
    if (typeof u.update_id !== 'number') u.update_id = this.lastUpdateId + 1;
    this.lastUpdateId = Math.max(this.lastUpdateId, u.update_id as number);
    this.learnChats(u);
    this.updates.push(u);
    this.pendingPoll?.wake();
  }

  /** Clears recorded calls (and so stats) and all faults: failNext, randomRetryAfter, flood waits, rate windows. */
  reset(): void {
    this.calls = [];
    this.faults.clear();
    this.randomFlood = undefined;
    this.floodUntil = 0;
    this.globalSends = [];
    this.chatSends.clear();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pendingPoll?.finish(ok([]));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---------------------------------------------------------------- HTTP

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake-telegram');
    const body = await readBody(req);

    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (download) {
      const [, token = '', filePath = ''] = download;
      if (decodeURIComponent(token) === this.token && this.files.has(decodeURIComponent(filePath))) {
        const bytes = this.fileBytes.get(this.files.get(decodeURIComponent(filePath))!) ?? FAKE_JPEG;
        res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': bytes.length });
        res.end(bytes);
      } else {
        sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      }
      return;
    }

    const route = /^\/bot([^/]*)\/(?:test\/)?([^/]+)$/.exec(url.pathname);
    if (!route) {
      sendJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const token = decodeURIComponent(route[1] ?? '');
    const method = canonical(route[2] ?? '');

    let params: Params = {};
    let parseError: string | undefined;
    try {
      params = parseParams(req.headers['content-type'], body, url.searchParams);
    } catch (err) {
      parseError = err instanceof Error ? err.message : String(err);
    }
    const gate = this.holds.get(method)?.shift();
    if (gate) await gate;
    const answer =
      parseError === undefined ? await this.answer(method, token, params, at, res) : badRequest(`can't parse request: ${parseError}`);
    if (answer === null) return; // client went away during a long poll

    const status = answer.ok ? 200 : answer.status;
    this.calls.push({ method, token, params, at, status });
    this.waiters = this.waiters.filter((w) => !w.check());

    if (answer.ok) {
      sendJson(res, 200, answer.description === undefined
        ? { ok: true, result: answer.result }
        : { ok: true, result: answer.result, description: answer.description });
    } else {
      sendJson(res, answer.status, {
        ok: false,
        error_code: answer.status,
        description: answer.description,
        ...(answer.retryAfter === undefined ? {} : { parameters: { retry_after: answer.retryAfter } }),
      });
    }
  }

  private answer(method: string, token: string, p: Params, now: number, res: ServerResponse): Answer | Promise<Answer | null> {
    if (token !== this.token) return fail(401, 'Unauthorized');

    const queue = this.faults.get(method);
    const fault = queue?.[0];
    if (queue && fault) {
      fault.remaining--;
      if (fault.remaining <= 0) queue.shift();
      return fail(fault.error.status, fault.error.description, fault.error.retryAfter);
    }

    switch (method) {
      case 'getMe':
        return ok(this.botUser(true));
      case 'setWebhook':
        return this.setWebhook(p);
      case 'deleteWebhook':
        if (p.drop_pending_updates === true) this.updates = [];
        if (!this.webhookState) return ok(true, 'Webhook is already deleted');
        this.webhookState = undefined;
        return ok(true, 'Webhook was deleted');
      case 'getWebhookInfo':
        return ok(this.webhookInfo());
      case 'getUpdates':
        return this.getUpdates(p, res);
      case 'sendMessage':
        return this.sendMessage(p, now);
      case 'sendPhoto':
        return this.sendPhoto(p, now);
      case 'sendChatAction':
        return this.sendChatAction(p, now);
      case 'answerCallbackQuery':
        return this.answerCallbackQuery(p);
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return this.editMessage(method, p);
      case 'deleteMessage':
        return this.deleteMessage(p);
      case 'getFile':
        return this.getFile(p);
      case 'setMyCommands':
        return this.setMyCommands(p);
      case 'getMyCommands':
        return ok(this.commands.get(commandsKey(p)) ?? []);
      case 'deleteMyCommands':
        this.commands.delete(commandsKey(p));
        return ok(true);
      default:
        return fail(404, 'Not Found: method not found');
    }
  }

  // ---------------------------------------------------------------- updates & webhook

  private setWebhook(p: Params): Answer {
    const url = typeof p.url === 'string' ? p.url : '';
    if (p.drop_pending_updates === true) this.updates = [];
    if (url === '') {
      const had = this.webhookState !== undefined;
      this.webhookState = undefined;
      return ok(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
    }
    let parsed: URL | undefined;
    try {
      parsed = new URL(url);
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.protocol !== 'https:') return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = p.secret_token;
    if (secret !== undefined) {
      if (typeof secret !== 'string' || !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
        return badRequest('secret token contains unallowed characters');
      }
    }
    const maxConnections = typeof p.max_connections === 'number' ? p.max_connections : 40;
    if (maxConnections < 1 || maxConnections > 100) return badRequest('bad webhook: max_connections must be between 1 and 100');
    const allowed = Array.isArray(p.allowed_updates) ? p.allowed_updates.map(String) : this.webhookState?.allowedUpdates;
    const alreadySet = this.webhookState?.url === url;
    this.webhookState = {
      url,
      maxConnections,
      ...(typeof secret === 'string' ? { secretToken: secret } : {}),
      ...(allowed && allowed.length > 0 ? { allowedUpdates: allowed } : {}),
    };
    return ok(true, alreadySet ? 'Webhook is already set' : 'Webhook was set');
  }

  private webhookInfo(): Record<string, unknown> {
    const w = this.webhookState;
    const info: Record<string, unknown> = {
      url: w?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.updates.length,
    };
    if (w) {
      info.max_connections = w.maxConnections;
      info.ip_address = '127.0.0.1';
      if (w.allowedUpdates) info.allowed_updates = w.allowedUpdates;
    }
    return info;
  }

  private getUpdates(p: Params, res: ServerResponse): Answer | Promise<Answer | null> {
    if (this.webhookState) {
      return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = typeof p.offset === 'number' ? p.offset : 0;
    const limit = Math.min(100, Math.max(1, typeof p.limit === 'number' ? p.limit : 100));
    const timeout = typeof p.timeout === 'number' ? p.timeout : 0;
    if (Array.isArray(p.allowed_updates)) {
      this.allowedUpdates = p.allowed_updates.length > 0 ? p.allowed_updates.map(String) : undefined;
    }

    // Telegram: an update is confirmed (forgotten) once getUpdates is called with a higher offset;
    // a negative offset keeps only the last |offset| updates.
    if (offset > 0) this.updates = this.updates.filter((u) => (u.update_id as number) >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);

    this.pendingPoll?.finish(
      fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'),
    );

    const ready = this.takeUpdates(limit);
    if (ready.length > 0 || timeout <= 0 || this.stopped) return ok(ready);

    return new Promise<Answer | null>((resolve) => {
      let done = false;
      const finish = (answer: Answer | null): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        if (this.pendingPoll === poll) this.pendingPoll = undefined;
        resolve(answer);
      };
      const poll: PendingPoll = { wake: () => finish(ok(this.takeUpdates(limit))), finish };
      const timer = setTimeout(() => finish(ok(this.takeUpdates(limit))), Math.min(timeout * 1000, this.opts.longPollCapMs ?? 1000));
      this.pendingPoll = poll;
      res.on('close', () => {
        if (!res.writableEnded) finish(null);
      });
    });
  }

  private takeUpdates(limit: number): Array<Record<string, unknown>> {
    const allowed = this.allowedUpdates;
    if (allowed) this.updates = this.updates.filter((u) => allowed.includes(updateType(u)));
    return this.updates.slice(0, limit);
  }

  private learnChats(u: Record<string, unknown>): void {
    const visit = (msg: unknown): void => {
      const chat = isRecord(msg) ? msg.chat : undefined;
      if (isRecord(chat) && (typeof chat.id === 'number' || typeof chat.id === 'string')) this.knownChats.set(String(chat.id), chat);
    };
    visit(u.message);
    visit(u.edited_message);
    if (isRecord(u.callback_query)) visit(u.callback_query.message);
  }

  // ---------------------------------------------------------------- sending

  /** Shared checks for message sends: blocked chat, then flood wait, rate windows, random 429. */
  private gateSend(method: string, chatKey: string, now: number): Answer | undefined {
    if (this.blocked.has(chatKey)) return fail(403, 'Forbidden: bot was blocked by the user');
    if (!MESSAGE_SENDS.has(method)) return undefined;

    if (now < this.floodUntil) return tooMany(this.floodUntil - now);
    const windowStart = now - 1000;
    this.globalSends = this.globalSends.filter((t) => t > windowStart);
    const chatTimes = (this.chatSends.get(chatKey) ?? []).filter((t) => t > windowStart);
    this.chatSends.set(chatKey, chatTimes);
    const globalLimit = this.opts.globalRatePerSecond;
    if (globalLimit !== undefined && this.globalSends.length >= globalLimit) {
      return tooMany((this.globalSends[0] ?? now) + 1000 - now);
    }
    const chatLimit = this.opts.perChatRatePerSecond;
    if (chatLimit !== undefined && chatTimes.length >= chatLimit) {
      return tooMany((chatTimes[0] ?? now) + 1000 - now);
    }
    const flood = this.randomFlood;
    if (flood && (this.opts.random ?? Math.random)() < flood.probability) {
      this.floodUntil = now + flood.seconds * 1000;
      return fail(429, `Too Many Requests: retry after ${flood.seconds}`, flood.seconds);
    }
    this.globalSends.push(now);
    chatTimes.push(now);
    return undefined;
  }

  private sendMessage(p: Params, now: number): Answer {
    const chatId = p.chat_id;
    if (chatId === undefined || chatId === '') return badRequest('chat_id is empty');
    const text = checkText(p.text, p.parse_mode, 4096, 'message text is empty', 'message is too long');
    if ('error' in text) return badRequest(text.error);
    const markup = checkReplyMarkup(p.reply_markup);
    if (markup) return markup;
    const gate = this.gateSend('sendMessage', String(chatId), now);
    if (gate) return gate;
    const message = this.newMessage(chatId as number | string, { text: text.plain }, p.reply_markup);
    return ok(message);
  }

  private sendPhoto(p: Params, now: number): Answer {
    const chatId = p.chat_id;
    if (chatId === undefined || chatId === '') return badRequest('chat_id is empty');
    const photo = p.photo;
    const isUpload = isUploadedFile(photo);
    if (!isUpload && (typeof photo !== 'string' || photo.trim() === '')) return badRequest('there is no photo in the request');
    let caption: string | undefined;
    if (p.caption !== undefined && p.caption !== '') {
      const c = checkText(p.caption, p.parse_mode, 1024, '', 'message caption is too long');
      if ('error' in c) return badRequest(c.error);
      caption = c.plain;
    }
    const markup = checkReplyMarkup(p.reply_markup);
    if (markup) return markup;
    const gate = this.gateSend('sendPhoto', String(chatId), now);
    if (gate) return gate;
    const baseId = isUpload ? `AgACAgIAAxkDAAI${this.nextMessageId}fake` : (photo as string);
    const sizes = [
      { suffix: '-s', width: 90, height: 68, file_size: 1200 },
      { suffix: '-m', width: 320, height: 240, file_size: 14000 },
      { suffix: '', width: 800, height: 600, file_size: 61000 },
    ].map(({ suffix, ...size }) => ({
      file_id: `${baseId}${suffix}`,
      file_unique_id: `AQAD${Buffer.from(baseId + suffix).toString('base64url').slice(0, 10)}`,
      ...size,
    }));
    const fields: Record<string, unknown> = { photo: sizes };
    if (caption !== undefined) fields.caption = caption;
    return ok(this.newMessage(chatId as number | string, fields, p.reply_markup));
  }

  private sendChatAction(p: Params, now: number): Answer {
    const chatId = p.chat_id;
    if (chatId === undefined || chatId === '') return badRequest('chat_id is empty');
    if (typeof p.action !== 'string' || !CHAT_ACTIONS.has(p.action)) return badRequest('wrong parameter action in request');
    const gate = this.gateSend('sendChatAction', String(chatId), now);
    return gate ?? ok(true);
  }

  private newMessage(chatId: number | string, fields: Record<string, unknown>, replyMarkup: unknown): Record<string, unknown> {
    const messageId = this.nextMessageId++;
    const chat = this.chatFor(chatId);
    const message: Record<string, unknown> = {
      message_id: messageId,
      from: this.botUser(false),
      chat,
      date: Math.floor(Date.now() / 1000),
      ...fields,
    };
    // Telegram only reports inline keyboards back in Message.reply_markup.
    if (isRecord(replyMarkup) && Array.isArray(replyMarkup.inline_keyboard)) message.reply_markup = replyMarkup;
    this.messages.set(`${String(chat.id)}:${messageId}`, {
      markup: markupKey(message.reply_markup),
      deleted: false,
      ...(typeof fields.text === 'string' ? { text: fields.text } : {}),
      ...(typeof fields.caption === 'string' ? { caption: fields.caption } : {}),
    });
    return message;
  }

  // ---------------------------------------------------------------- other methods

  private answerCallbackQuery(p: Params): Answer {
    const id = p.callback_query_id;
    if (typeof id !== 'string' || id === '' || this.answeredQueries.has(id)) {
      return badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    if (typeof p.text === 'string' && p.text.length > 200) return badRequest('MESSAGE_TOO_LONG');
    this.answeredQueries.add(id);
    return ok(true);
  }

  private editMessage(method: 'editMessageText' | 'editMessageReplyMarkup', p: Params): Answer {
    const inline = typeof p.inline_message_id === 'string' && p.inline_message_id !== '';
    if (!inline) {
      if (p.chat_id === undefined || p.chat_id === '') return badRequest('chat_id is empty');
      if (typeof p.message_id !== 'number') return badRequest('message identifier is not specified');
    }
    let text: string | undefined;
    if (method === 'editMessageText') {
      const t = checkText(p.text, p.parse_mode, 4096, 'message text is empty', 'MESSAGE_TOO_LONG');
      if ('error' in t) return badRequest(t.error);
      text = t.plain;
    }
    const markupError = checkReplyMarkup(p.reply_markup, true);
    if (markupError) return markupError;
    if (inline) return ok(true);

    const chatId = p.chat_id as number | string;
    const messageId = p.message_id as number;
    const key = `${String(this.chatFor(chatId).id)}:${messageId}`;
    const stored = this.messages.get(key);
    const newMarkup = markupKey(p.reply_markup);
    if (stored) {
      if (stored.deleted) return badRequest('message to edit not found');
      if (method === 'editMessageText' && stored.text === undefined) return badRequest('there is no text in the message to edit');
      const sameText = method === 'editMessageReplyMarkup' || stored.text === text;
      if (sameText && stored.markup === newMarkup) {
        return badRequest(
          'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
        );
      }
      if (text !== undefined) stored.text = text;
      stored.markup = newMarkup;
    } else {
      // Not sent through this fake (e.g. from a hand-built update): assume it exists.
      this.messages.set(key, { markup: newMarkup, deleted: false, ...(text !== undefined ? { text } : {}) });
    }
    const current = this.messages.get(key);
    const result: Record<string, unknown> = {
      message_id: messageId,
      from: this.botUser(false),
      chat: this.chatFor(chatId),
      date: Math.floor(Date.now() / 1000),
      edit_date: Math.floor(Date.now() / 1000),
    };
    if (current?.text !== undefined) result.text = current.text;
    if (current?.caption !== undefined) result.caption = current.caption;
    if (isRecord(p.reply_markup) && Array.isArray(p.reply_markup.inline_keyboard)) result.reply_markup = p.reply_markup;
    return ok(result);
  }

  private deleteMessage(p: Params): Answer {
    if (p.chat_id === undefined || p.chat_id === '') return badRequest('chat_id is empty');
    if (typeof p.message_id !== 'number') return badRequest('message identifier is not specified');
    const key = `${String(this.chatFor(p.chat_id as number | string).id)}:${p.message_id}`;
    const stored = this.messages.get(key);
    if (stored?.deleted) return badRequest('message to delete not found');
    if (stored) stored.deleted = true;
    else this.messages.set(key, { markup: '', deleted: true });
    return ok(true);
  }

  private getFile(p: Params): Answer {
    const fileId = p.file_id;
    if (typeof fileId !== 'string' || fileId.trim() === '') return badRequest('invalid file_id');
    let filePath = [...this.files.entries()].find(([, id]) => id === fileId)?.[0];
    if (!filePath) {
      filePath = `photos/file_${this.files.size}.jpg`;
      this.files.set(filePath, fileId);
    }
    return ok({
      file_id: fileId,
      file_unique_id: `AQAD${Buffer.from(fileId).toString('base64url').slice(0, 10)}`,
      file_size: FAKE_JPEG.length,
      file_path: filePath,
    });
  }

  private setMyCommands(p: Params): Answer {
    const commands = p.commands;
    if (!Array.isArray(commands)) return badRequest("can't parse commands JSON object");
    if (commands.length > 100) return badRequest('too many commands');
    for (const c of commands) {
      if (!isRecord(c) || typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        return badRequest('BOT_COMMAND_INVALID');
      }
      if (typeof c.description !== 'string' || c.description.trim() === '' || c.description.length > 256) {
        return badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    this.commands.set(commandsKey(p), commands);
    return ok(true);
  }

  // ---------------------------------------------------------------- helpers

  private botUser(full: boolean): Record<string, unknown> {
    const user: Record<string, unknown> = {
      id: this.botId,
      is_bot: true,
      first_name: this.opts.botFirstName ?? DEFAULT_BOT_FIRST_NAME,
      username: this.opts.botUsername ?? DEFAULT_BOT_USERNAME,
    };
    if (full) {
      Object.assign(user, {
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      });
    }
    return user;
  }

  private chatFor(chatId: number | string): Record<string, unknown> {
    const known = this.knownChats.get(String(chatId));
    if (known) return known;
    if (typeof chatId === 'string' && chatId.startsWith('@')) {
      return { id: -1001000000000, title: chatId.slice(1), username: chatId.slice(1), type: 'channel' };
    }
    const id = Number(chatId);
    if (id > 0) return { id, first_name: 'Người dùng', type: 'private' };
    if (String(id).startsWith('-100')) return { id, title: 'Nhóm', type: 'supergroup' };
    return { id, title: 'Nhóm', type: 'group' };
  }

  private describeCalls(): string {
    if (this.calls.length === 0) return '  (none)';
    return this.calls
      .map((c, i) => {
        const bits = [`${i + 1}. ${c.method} → ${c.status}`];
        if (c.params.chat_id !== undefined) bits.push(`chat_id=${String(c.params.chat_id)}`);
        if (typeof c.params.text === 'string') bits.push(`text=${JSON.stringify(c.params.text.slice(0, 60))}`);
        return `  ${bits.join(' ')}`;
      })
      .join('\n');
  }
}

// -------------------------------------------------------------------- free helpers

function canonical(method: string): string {
  return CANONICAL.get(method.toLowerCase()) ?? method;
}

function tooMany(waitMs: number): Answer {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return fail(429, `Too Many Requests: retry after ${seconds}`, seconds);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function isUploadedFile(v: unknown): v is UploadedFile {
  return isRecord(v) && v.uploaded === true && typeof v.filename === 'string';
}

function updateType(u: Record<string, unknown>): string {
  return Object.keys(u).find((k) => k !== 'update_id') ?? '';
}

function markupKey(markup: unknown): string {
  return isRecord(markup) && Array.isArray(markup.inline_keyboard) ? JSON.stringify(markup.inline_keyboard) : '';
}

function commandsKey(p: Params): string {
  return JSON.stringify([p.scope ?? { type: 'default' }, p.language_code ?? '']);
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks);
}

/** JSON, urlencoded, multipart and query-string parameters, normalised the way Telegram reads them. */
function parseParams(contentType: string | undefined, body: Buffer, query: URLSearchParams): Params {
  const raw: Params = Object.fromEntries(query.entries());
  const type = (contentType ?? '').toLowerCase();
  if (body.length > 0) {
    if (type.startsWith('application/json')) {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (!isRecord(parsed)) throw new Error('body is not a JSON object');
      Object.assign(raw, parsed);
    } else if (type.startsWith('multipart/form-data')) {
      const boundary = /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
      if (!boundary) throw new Error('multipart body without boundary');
      Object.assign(raw, parseMultipart(body, boundary));
    } else {
      Object.assign(raw, Object.fromEntries(new URLSearchParams(body.toString('utf8')).entries()));
    }
  }
  // telegraf puts the method name into multipart bodies
  delete raw.method;
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') continue;
    if (JSON_FIELDS.has(key)) {
      try {
        raw[key] = JSON.parse(value) as unknown;
      } catch {
        // left as a string; the method's validation reports it
      }
    } else if (INT_FIELDS.has(key) && /^-?\d+$/.test(value)) {
      raw[key] = Number(value);
    } else if (BOOL_FIELDS.has(key) && (value === 'true' || value === 'false')) {
      raw[key] = value === 'true';
    }
  }
  return raw;
}

function parseMultipart(body: Buffer, boundary: string): Params {
  const out: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (body[start] === 0x2d && body[start + 1] === 0x2d) break; // closing "--boundary--"
    if (body[start] === 0x0d && body[start + 1] === 0x0a) start += 2;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    let part = body.subarray(start, next);
    if (part.length >= 2 && part[part.length - 2] === 0x0d && part[part.length - 1] === 0x0a) {
      part = part.subarray(0, part.length - 2);
    }
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/i.exec(headers)?.[1];
      const filename = /filename="([^"]*)"/i.exec(headers)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
      if (name !== undefined) {
        out[name] =
          filename !== undefined
            ? ({ uploaded: true, filename, size: content.length, ...(contentType ? { contentType } : {}) } satisfies UploadedFile)
            : content.toString('utf8');
      }
    }
    pos = next;
  }
  return out;
}

/** Text checks Telegram applies: entity parsing for parse_mode, emptiness and length after parsing. */
function checkText(
  value: unknown,
  parseMode: unknown,
  max: number,
  emptyMessage: string,
  tooLongMessage: string,
): { plain: string } | { error: string } {
  if (value === undefined || value === null) return { error: emptyMessage };
  const text = String(value);
  let plain = text;
  if (parseMode === 'HTML') {
    const parsed = parseHtml(text);
    if ('error' in parsed) return { error: `can't parse entities: ${parsed.error}` };
    plain = parsed.plain;
  } else if (parseMode === 'MarkdownV2') {
    const error = checkMarkdownV2(text);
    if (error) return { error: `can't parse entities: ${error}` };
  }
  if (plain.trim() === '') return { error: emptyMessage };
  if (plain.length > max) return { error: tooLongMessage };
  return { plain };
}

function parseHtml(text: string): { plain: string } | { error: string } {
  const stack: string[] = [];
  let plain = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (ch !== '<') {
      plain += ch;
      i++;
      continue;
    }
    const byteOffset = Buffer.byteLength(text.slice(0, i));
    const tag = /^<(\/?)([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*)?>/.exec(text.slice(i));
    if (!tag) return { error: `Unsupported start tag "" at byte offset ${byteOffset}` };
    const [whole, slash, rawName = ''] = tag;
    const name = rawName.toLowerCase();
    if (slash) {
      const open = stack.pop();
      if (open !== name) {
        return { error: `Unmatched end tag at byte offset ${byteOffset}, expected "</${open ?? ''}>", found "</${name}>"` };
      }
    } else {
      if (!HTML_TAGS.has(name)) return { error: `Unsupported start tag "${name}" at byte offset ${byteOffset}` };
      stack.push(name);
    }
    i += whole.length;
  }
  const unclosed = stack.pop();
  if (unclosed !== undefined) return { error: `Can't find end tag corresponding to start tag "${unclosed}"` };
  plain = plain.replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);/g, (_, entity: string) => {
    if (entity === 'lt') return '<';
    if (entity === 'gt') return '>';
    if (entity === 'amp') return '&';
    if (entity === 'quot') return '"';
    const code = entity.startsWith('#x') ? parseInt(entity.slice(2), 16) : parseInt(entity.slice(1), 10);
    return String.fromCodePoint(code);
  });
  return { plain };
}

/** Reports the first reserved character that is not escaped (outside code spans and link URLs). */
function checkMarkdownV2(text: string): string | undefined {
  let inPre = false;
  let inCode = false;
  let inUrl = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (inPre) {
      if (text.startsWith('```', i)) {
        inPre = false;
        i += 2;
      }
      continue;
    }
    if (inCode) {
      if (ch === '`') inCode = false;
      continue;
    }
    if (inUrl) {
      if (ch === ')') inUrl = false;
      continue;
    }
    if (text.startsWith('```', i)) {
      inPre = true;
      i += 2;
      continue;
    }
    if (ch === '`') {
      inCode = true;
      continue;
    }
    if (ch === ']' && text[i + 1] === '(') {
      inUrl = true;
      i++;
      continue;
    }
    if (MDV2_FORMATTING.has(ch)) continue;
    if (ch === '>' && (i === 0 || text[i - 1] === '\n')) continue; // block quotation
    if (MDV2_RESERVED.has(ch)) return `Character '${ch}' is reserved and must be escaped with the preceding '\\'`;
  }
  return undefined;
}

/** Inline keyboard checks: callback_data 1-64 bytes, every button needs exactly an action. */
function checkReplyMarkup(markup: unknown, inlineOnly = false): Answer | undefined {
  if (markup === undefined) return undefined;
  if (!isRecord(markup)) return badRequest("can't parse reply keyboard markup JSON object");
  if (!('inline_keyboard' in markup)) {
    if (inlineOnly) return badRequest('inline keyboard expected');
    return undefined;
  }
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || !rows.every((r) => Array.isArray(r))) return badRequest('field "inline_keyboard" of the InlineKeyboardMarkup should be an Array of Arrays');
  for (const row of rows as unknown[][]) {
    for (const button of row) {
      if (!isRecord(button) || typeof button.text !== 'string') return badRequest("can't parse inline keyboard button: Text is not specified");
      if (button.text.trim() === '') return badRequest('BUTTON_TEXT_INVALID');
      const actions = Object.keys(button).filter((k) => k !== 'text');
      if (actions.length === 0) return badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      if ('callback_data' in button) {
        const data = button.callback_data;
        const bytes = typeof data === 'string' ? Buffer.byteLength(data, 'utf8') : 0;
        if (bytes < 1 || bytes > 64) return badRequest('BUTTON_DATA_INVALID');
      }
      if ('url' in button) {
        let valid = false;
        try {
          valid = ['http:', 'https:', 'tg:'].includes(new URL(String(button.url)).protocol);
        } catch {
          valid = false;
        }
        if (!valid) return badRequest('BUTTON_URL_INVALID');
      }
    }
  }
  return undefined;
}
