import { ZaloApiError, ZaloThrottledError } from './zalo-errors.js';
import { errorMessage } from '../../errors.js';

export interface BotClientOptions {
  /** https://bot-api.zaloplatforms.com in production. */
  apiBase: string;
  token: string;
  timeoutMs?: number;
}

/**
 * Typed client for the Zalo Bot Platform (Telegram-like): POST
 * `{apiBase}/bot<TOKEN>/<method>` with a JSON body; answers `{ ok, result }` or
 * `{ ok: false, error_code, description }`. https://bot.zaloplatforms.com/docs
 */
export class BotClient {
  constructor(private readonly opts: BotClientOptions) {}

  /** Text up to 2000 characters (longer text must be split by the caller). */
  async sendMessage(chatId: string, text: string): Promise<void> {
    await this.call('sendMessage', { chat_id: chatId, text });
  }

  async sendPhoto(chatId: string, photo: string, caption?: string): Promise<void> {
    await this.call('sendPhoto', { chat_id: chatId, photo, ...(caption ? { caption } : {}) });
  }

  /** Registers the webhook; Zalo then sends the secret in X-Bot-Api-Secret-Token. */
  async setWebhook(url: string, secretToken: string): Promise<void> {
    await this.call('setWebhook', { url, secret_token: secretToken });
  }

  private async call(method: string, params: Record<string, string>): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.opts.apiBase}/bot${this.opts.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ZaloApiError(method, -1, `network: ${errorMessage(err)}`);
    }
    const json = (await res.json().catch(() => undefined)) as { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown } | undefined;
    if (json?.ok === true) return json.result;
    const code = typeof json?.error_code === 'number' ? json.error_code : res.status;
    const description = typeof json?.description === 'string' ? json.description : `HTTP ${res.status}`;
    if (code === 429 || res.status === 429) throw new ZaloThrottledError(method, code, description);
    throw new ZaloApiError(method, code, description);
  }
}
