import type { Translator } from '../i18n/i18n.js';
import type { Logger } from '../logger.js';
import { renderReply } from '../messaging/render.js';
import type { ChannelName, ChatKey, Locale, Reply } from '../messaging/types.js';
import { deliver, type ChannelSender } from '../messaging/channel.js';
import { fold } from '../messaging/normalize.js';
import { errorMessage } from '../errors.js';

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
    /** Records typeable action labels for the chat (see ConversationStore.rememberActions). */
    private readonly rememberActions: (chat: ChatKey, actions: { label: string; payload: string }[]) => Promise<void> = async () => undefined,
    /** Called when the platform says the person blocked the bot, so later notices skip them. */
    private readonly onBlocked: (chat: ChatKey) => Promise<void> = async () => undefined,
  ) {}

  register(sender: ChannelSender): void {
    this.senders.set(sender.name, sender);
  }

  /** True when delivered; a missing channel or a send failure is logged and reported as false. */
  async notify(chat: ChatKey, ...replies: Reply[]): Promise<boolean> {
    const sender = this.senders.get(chat.channel);
    if (!sender) {
      this.logger.warn({ event: 'notify_no_channel', channel: chat.channel }, 'no sender for channel');
      return false;
    }
    const locale = (await this.localeOf(chat)) ?? this.defaultLocale;
    // Both languages' labels, folded as the engine folds input (emoji and case drop out).
    const actions = replies.flatMap((r) => r.actions ?? []).flatMap((a) =>
      (['vi', 'en'] as const).map((lng) => ({ label: fold(this.translator.t(lng, a.label)), payload: a.payload })),
    );
    await this.rememberActions(chat, actions);
    try {
      const delivery = await deliver(sender, chat.chatId, replies.map((r) => renderReply(r, locale, this.translator)));
      if (delivery.kind === 'delivered') return true;
      this.logger.info({ event: 'notify_refused', channel: chat.channel, outcome: delivery.outcome }, 'the platform refused the notice for this person');
      if (delivery.outcome === 'blocked') await this.onBlocked(chat);
      return false;
    } catch (err) {
      this.logger.warn({ event: 'notify_failed', channel: chat.channel, err: errorMessage(err) }, 'notification failed');
      return false;
    }
  }
}
