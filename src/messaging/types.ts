/** Channel-neutral types shared by channels, the engine and flows. */

import type { ChannelName } from '../vocabulary/channels.js';
import type { NoticeKind } from '../vocabulary/notices.js';

export { CHANNEL_NAMES, LOCALES, type ChannelName, type Locale } from '../vocabulary/channels.js';

/** The conversation a message belongs to. */
export interface ChatKey {
  channel: ChannelName;
  chatId: string;
}

/** The register's phone (84…) for a template by phone, or why there is none to use. */
export type NoticePhone = { phone: string } | { missing: 'no_phone_in_register' | 'phone_not_vietnamese' };

/**
 * A platform update turned into what the engine understands.
 * `id` is the platform's own id for the update, used to process it once.
 */
export type Inbound = ChatKey & {
  id: string;
  userId: string;
  localeHint?: string;
} & (
    | { kind: 'text'; text: string }
    | { kind: 'button'; payload: string }
    | { kind: 'command'; command: string; args: string }
    | { kind: 'contact'; phone: string; ownContact: boolean }
    | { kind: 'photo'; fileRef: string; caption?: string }
    | { kind: 'unsupported' }
  );

/** A translatable message: an i18n key plus interpolation values. */
export interface Msg {
  key: string;
  params?: Record<string, string | number>;
}

export interface Choice {
  id: string;
  label: Msg;
  /** Extra words a user may type for this choice; matched without diacritics or case. */
  aliases?: readonly string[];
}

/** What a flow wants to say, before translation and platform rendering. */
export interface Reply {
  text: Msg[];
  choices?: Choice[];
  requestContact?: boolean;
  photo?: string;
  link?: { label: Msg; url: string };
  /** Buttons that trigger an action wherever the chat is (see ActionHandler); payload from actionPayload(). */
  actions?: { label: Msg; payload: string }[];
  /** Adds the "back to menu" button the engine puts on every step but the menu. */
  backToMenu?: boolean;
  /**
   * A notice outside a conversation: its kind and fields travel to the channel
   * (see OutMessage.notice). A field given as a Msg is translated for the person, like the text.
   */
  notice?: { kind: NoticeKind; fields: Record<string, string | Msg> };
}

/** A translated reply, ready for a channel to render in its own way. */
export interface OutMessage {
  text: string;
  buttons?: { label: string; payload: string }[];
  /** Options the user may type as a number, for channels that cannot show buttons. */
  numbered?: boolean;
  requestContact?: { label: string };
  photo?: string;
  link?: { label: string; url: string };
  /**
   * For a notice sent outside a conversation: what it is and its fields, so a
   * platform that cannot deliver the text itself (Zalo beyond the 7-day window)
   * can send the template staff mapped to this kind instead.
   */
  notice?: { kind: NoticeKind; fields: Record<string, string> };
}
