/** The platforms the assistant talks on. 'zalo' is a Zalo Official Account (OA API v3); 'zalo-bot' the Zalo Bot Platform. */
export const CHANNEL_NAMES = ['telegram', 'zalo', 'zalo-bot', 'simulator'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The languages of every message: Vietnamese first. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
