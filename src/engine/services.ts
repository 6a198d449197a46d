import type { ChatKey, Locale, Msg } from '../messaging/types.js';

/**
 * What flows may ask of the domain. Flows never import models or platform APIs:
 * they get this object from the engine, so tests and later features can extend it.
 */
export interface FlowServices {
  settings: {
    bhxhHotline: string;
  };
  /** The domain services (flows never touch models or platforms directly). */
  domain: import('../domain/domain.js').Domain;
  /** Deployment settings flows need. */
  payments: import('../config.js').Config['payments'];
  /** Photos a chat sent, by the platform's reference (a VietQR code to read); absent where none can be fetched. */
  photos?: import('../domain/vietqr/photo.js').PhotoLoader;
  /** Main-menu entries for this chat (features that exist and are enabled). */
  menu(chat: ChatKey, locale: Locale): Promise<MenuEntry[]>;
}

/** A main-menu entry; the menu shows only entries whose flow exists and is enabled. */
export interface MenuEntry {
  flow: string;
  label: Msg;
  aliases?: readonly string[];
  order: number;
}
