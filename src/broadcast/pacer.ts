import type { PlatformLimits } from './config.js';

/** A send counts from its answer, but never later than this after it started (slow platforms would halve the rate). */
const MAX_ANSWER_SKEW_MS = 150;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Paces the sends of one platform in this process: a token bucket (capacity 1,
 * so no bursts) at the configured rate, a sliding one-second window that never
 * lets more than `rate` sends start within 1 s + guard, a per-chat minimum gap,
 * and a pause the platform asked for (429 retry_after). Callers queue in order.
 */
export class PlatformPacer {
  private nextSlot = 0;
  private readonly recent: { t: number }[] = [];
  private pausedUntil = 0;
  private readonly lastByChat = new Map<string, number>();
  private tail: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;
  private readonly chatGapMs: number;
  /** Slots a late timer may catch up on; 1 at Telegram's 30/s, 10 at 1 000/s (the window still caps each second). */
  private readonly catchUp: number;

  constructor(
    private readonly limits: PlatformLimits,
    private readonly guardMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.intervalMs = 1000 / limits.ratePerSecond;
    this.chatGapMs = 1000 / limits.perChatPerSecond + guardMs;
    this.catchUp = Math.max(1, Math.floor(limits.ratePerSecond / 100));
  }

  /** Stops all sends of this platform until `ms` from now (429 retry_after). */
  pause(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
  }

  /**
   * Resolves when one send to `chatId` may start; the slot is taken on resolve.
   * Call the returned `done` when the platform answered: the send then counts in
   * the window from its answer (capped), since it reached the platform at some
   * point before that, and a slow first connection must not bunch sends up there.
   */
  acquire(chatId: string): Promise<() => void> {
    const turn = this.tail.then(() => this.waitTurn(chatId));
    this.tail = turn.then(() => undefined, () => undefined);
    return turn;
  }

  private async waitTurn(chatId: string): Promise<() => void> {
    for (;;) {
      const t = this.now();
      const rate = this.limits.ratePerSecond;
      const cutoff = t - 1000 - this.guardMs;
      while (this.recent.length > 0 && (this.recent[0]?.t ?? 0) <= cutoff) this.recent.shift();
      let ready = Math.max(this.nextSlot, this.pausedUntil, (this.lastByChat.get(chatId) ?? -Infinity) + this.chatGapMs);
      if (this.recent.length >= rate) {
        // Entries may finish out of order: the slot opens when all but rate-1 of them have left the window.
        const times = this.recent.map((e) => e.t).sort((a, b) => a - b);
        ready = Math.max(ready, (times[times.length - rate] ?? t) + 1000 + this.guardMs);
      }
      if (ready <= t) {
        const entry = { t };
        this.recent.push(entry);
        this.nextSlot = Math.max(this.nextSlot, t - this.catchUp * this.intervalMs) + this.intervalMs;
        this.lastByChat.set(chatId, t);
        if (this.lastByChat.size > 10_000) this.pruneChats(t);
        return () => {
          const end = this.now();
          entry.t = Math.min(end, t + MAX_ANSWER_SKEW_MS);
          this.lastByChat.set(chatId, Math.max(this.lastByChat.get(chatId) ?? 0, entry.t));
        };
      }
      await sleep(Math.max(1, ready - t));
    }
  }

  private pruneChats(t: number): void {
    for (const [chat, at] of this.lastByChat) if (at < t - this.chatGapMs) this.lastByChat.delete(chat);
  }
}
