import type { Reply } from '../messaging/types.js';
import type { Notify } from './deps.js';

/**
 * Posts urgent cases to the staff Telegram chat (a group of BHXH officers),
 * through the Notifier like any other outbound message, so pacing, retries and
 * the Bot API client stay in one place. Without a configured chat it does nothing.
 */
export class StaffAlerts {
  constructor(
    private readonly notify: Notify,
    private readonly chatId: string | undefined,
  ) {}

  /** True when a staff chat is configured. */
  get configured(): boolean {
    return this.chatId !== undefined && this.chatId !== '';
  }

  /**
   * Sends the alert; true when delivered. The text must carry no reporter
   * identifiers and no free text from the report: the group is wider than the case.
   */
  async send(reply: Reply): Promise<boolean> {
    if (!this.configured) return false;
    return this.notify({ channel: 'telegram', chatId: this.chatId! }, reply);
  }
}
