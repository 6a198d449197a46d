import type { Msg, Reply } from './types.js';

/** Buttons in notifications: `a:<action>:<arg>`, handled in any step (src/engine/engine.ts). */
export const ACTION_PREFIX = 'a:';

/** The payload of an action button; kept short, Telegram allows 64 bytes. */
export const actionPayload = (action: string, arg: string): string => `${ACTION_PREFIX}${action}:${arg}`;

/** A translatable message. */
export const m = (key: string, params?: Msg['params']): Msg => (params ? { key, params } : { key });

/** A reply of one or more paragraphs. */
export const say = (...text: Msg[]): Reply => ({ text });
