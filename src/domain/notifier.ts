import type { Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import { renderReply } from '../engine/render.js';
import type { ChannelName, ChannelSender, ChatKey, Locale, Reply } from '../engine/types.js';

/**
 * Sends a message to a chat outside a conversation turn (staff decisions,
 * "was this you?" alerts), in the chat's own language, on its own channel.
 */
export class Notifier {
  private readonly senders = new Map<ChannelName, ChannelSender>();

  constructor(
    private readonly translator: Translator,
    private readonly localeOf: (chat: ChatKey) => Promise<Locale | undefined>,
    private readonly defaultLocale: Locale,
    private readonly logger: Logger,
  ) {}

  register(sender: ChannelSender): void {
    this.senders.set(sender.channel, sender);
  }

  /** True when delivered; a missing channel or a send failure is logged and reported as false. */
  async notify(chat: ChatKey, ...replies: Reply[]): Promise<boolean> {
    const sender = this.senders.get(chat.channel);
    if (!sender) {
      this.logger.warn({ event: 'notify_no_channel', channel: chat.channel }, 'no sender for channel');
      return false;
    }
    const locale = (await this.localeOf(chat)) ?? this.defaultLocale;
    try {
      await sender.send(chat.chatId, replies.map((r) => renderReply(r, locale, this.translator)));
      return true;
    } catch (err) {
      this.logger.warn({ event: 'notify_failed', channel: chat.channel, err: (err as Error).message }, 'notification failed');
      return false;
    }
  }
}
