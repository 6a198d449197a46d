/** The platforms the assistant talks on. 'zalo' is a Zalo Official Account (OA API v3); 'zalo-bot' the Zalo Bot Platform. */
export const CHANNEL_NAMES = ['telegram', 'zalo', 'zalo-bot', 'simulator'] as const;
export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** The languages of every message: Vietnamese first. */
export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * Where a person in the register is reached when no chat of theirs is: a Zalo
 * template to the phone number the register holds. Deliveries name it as the
 * chat id on the `zalo` channel, keyed by the beneficiary's id.
 */
const REGISTER_PREFIX = 'register:';
export const registerAddress = (beneficiaryId: string): string => `${REGISTER_PREFIX}${beneficiaryId}`;
/** The beneficiary id a register address names; null for a platform's own chat id. */
export const beneficiaryOfAddress = (chatId: string): string | null => (chatId.startsWith(REGISTER_PREFIX) ? chatId.slice(REGISTER_PREFIX.length) : null);

/** Who a broadcast goes to: the chats that talk to the bot, or everyone in the register with a phone number. */
export const AUDIENCE_SOURCES = ['chats', 'register'] as const;
export type AudienceSource = (typeof AUDIENCE_SOURCES)[number];
