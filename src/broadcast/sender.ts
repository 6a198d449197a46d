import type { OutMessage } from '../messaging/types.js';

/** What one single-attempt platform call came to; the worker decides about retries. */
export type SendOutcome =
  | { kind: 'ok' }
  | { kind: 'rate_limited'; retryAfterMs: number }
  | { kind: 'blocked' }
  | { kind: 'transient'; reason: string }
  | { kind: 'permanent'; reason: string };

/**
 * Sends one rendered call, once, without retrying or waiting: pacing and retries
 * belong to the broadcast worker, which sees every platform answer.
 */
export interface PlatformSender {
  readonly platform: string;
  /** The calls a message takes on this platform, in order (each is paced separately). */
  render(chatId: string, message: OutMessage): unknown[];
  send(chatId: string, call: unknown): Promise<SendOutcome>;
  /** The name recipients see the notice come from (the bot's name), for the console's preview; null when unknown. */
  displayName?(): Promise<string | null>;
}
