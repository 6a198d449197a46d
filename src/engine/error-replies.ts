import type { DomainError, DomainErrorCode } from '../domain/errors.js';
import { m } from '../messaging/messages.js';
import type { Reply } from '../messaging/types.js';

/**
 * The one table from domain condition to what the person in the chat is
 * told (locales/{vi,en}/engine.json): short, gentle, and saying what to do
 * next. The error's own message is for logs and staff, never shown here.
 */
export const DOMAIN_ERROR_MESSAGE_KEYS: Readonly<Record<DomainErrorCode, string>> = {
  not_found: 'engine.error.notFound',
  conflict: 'engine.error.conflict',
  invalid_state: 'engine.error.invalidState',
  invalid_input: 'engine.error.invalidInput',
  forbidden: 'engine.error.forbidden',
  busy: 'engine.busy',
};

/** The reply for a DomainError met during a turn; `hotline` is offered where calling is the way on. */
export function domainErrorReply(err: DomainError, opts: { hotline: string; backToMenu: boolean }): Reply {
  const reply: Reply = { text: [m(DOMAIN_ERROR_MESSAGE_KEYS[err.code], { hotline: opts.hotline })] };
  if (opts.backToMenu) reply.backToMenu = true;
  return reply;
}
