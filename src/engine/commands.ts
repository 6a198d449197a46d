import type { Inbound, Locale } from '../messaging/types.js';
import { fold } from '../messaging/normalize.js';

/** Commands that work in every step, whatever the flow is waiting for. */
export type GlobalCommand =
  | { name: 'start' }
  | { name: 'stop' }
  | { name: 'menu' }
  | { name: 'cancel' }
  | { name: 'help' }
  | { name: 'language'; locale?: Locale };

const TYPED: Record<string, GlobalCommand> = {
  menu: { name: 'menu' },
  'trang chu': { name: 'menu' },
  've menu': { name: 'menu' },
  've menu chinh': { name: 'menu' },
  'back to main menu': { name: 'menu' },
  'quay lai menu': { name: 'menu' },
  huy: { name: 'cancel' },
  'huy bo': { name: 'cancel' },
  'dung nhan tin': { name: 'stop' },
  'stop notices': { name: 'stop' },
  'nhan lai thong bao': { name: 'start' },
  'nhan lai tin': { name: 'start' },
  'receive notices again': { name: 'start' },
  cancel: { name: 'cancel' },
  'tro giup': { name: 'help' },
  'giup do': { name: 'help' },
  help: { name: 'help' },
  'ngon ngu': { name: 'language' },
  language: { name: 'language' },
  'tieng viet': { name: 'language', locale: 'vi' },
  english: { name: 'language', locale: 'en' },
};

const SLASH: Record<string, GlobalCommand> = {
  start: { name: 'start' },
  stop: { name: 'stop' },
  menu: { name: 'menu' },
  cancel: { name: 'cancel' },
  huy: { name: 'cancel' },
  help: { name: 'help' },
  language: { name: 'language' },
  lang: { name: 'language' },
};

/** A typed `/name args` (name: 1-32 letters, digits or _), as the platforms without command entities send it; undefined for other text. */
export function parseSlashCommand(text: string): { command: string; args: string } | undefined {
  const match = /^\/([A-Za-z0-9_]{1,32})(?:\s+([\s\S]*))?$/.exec(text.trim());
  return match ? { command: match[1]!, args: (match[2] ?? '').trim() } : undefined;
}

/** Payloads of the buttons the engine adds itself (menu, language). */
export const GLOBAL_PAYLOAD_PREFIX = 'g:';

export function globalCommandOf(inbound: Inbound): GlobalCommand | undefined {
  switch (inbound.kind) {
    case 'command':
      return SLASH[inbound.command.toLowerCase()];
    case 'text':
      return TYPED[fold(inbound.text)];
    case 'button':
      if (!inbound.payload.startsWith(GLOBAL_PAYLOAD_PREFIX)) return undefined;
      return SLASH[inbound.payload.slice(GLOBAL_PAYLOAD_PREFIX.length)];
    default:
      return undefined;
  }
}
