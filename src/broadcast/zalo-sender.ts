import type { OutMessage } from '../messaging/types.js';
import type { ZaloOaChannel } from '../channels/zalo/oa-channel.js';
import { ZaloApiError, ZaloOutsideWindowError, ZaloThrottledError, ZaloTokenExpiredError, ZaloUnreachableUserError } from '../channels/zalo/zalo-errors.js';
import type { PlatformSender, SendOutcome } from './sender.js';

/**
 * Zalo does not say how long to wait after throttling (-32 or HTTP 429), unlike
 * Telegram's retry_after: the whole platform pauses this long, then the pacer resumes.
 */
export const ZALO_THROTTLE_PAUSE_MS = 2000;

/**
 * Broadcast sends through the Zalo OA API, one attempt per call. A user outside the
 * 7-day window ends `failed` (`outside_window`) instead of being retried for nothing;
 * throttling pauses the Zalo platform like a Telegram 429.
 */
export function zaloOaPlatformSender(oa: Pick<ZaloOaChannel, 'sendOnce'>, throttlePauseMs = ZALO_THROTTLE_PAUSE_MS): PlatformSender {
  return {
    platform: 'zalo',
    render(_chatId, message) {
      // The photo and the text go as separate calls, so a retry after throttling repeats only the refused one.
      if (!message.photo) return [message];
      const { photo, ...rest } = message;
      const calls: OutMessage[] = [{ text: '', photo }];
      if (rest.text !== '' || rest.link) calls.push(rest);
      return calls;
    },
    async send(chatId, call) {
      try {
        await oa.sendOnce(chatId, call as OutMessage);
        return { kind: 'ok' };
      } catch (err) {
        return zaloOutcome(err, throttlePauseMs);
      }
    },
  };
}

/** Maps a Zalo OA failure to what the worker does with the delivery. */
export function zaloOutcome(err: unknown, throttlePauseMs = ZALO_THROTTLE_PAUSE_MS): SendOutcome {
  if (err instanceof ZaloThrottledError) return { kind: 'rate_limited', retryAfterMs: throttlePauseMs };
  if (err instanceof ZaloOutsideWindowError) return { kind: 'permanent', reason: 'outside_window' };
  if (err instanceof ZaloUnreachableUserError) return { kind: 'blocked' };
  // Still refused after the one refresh: the OA needs re-authorising; retrying later may find a fresh token.
  if (err instanceof ZaloTokenExpiredError) return { kind: 'transient', reason: 'zalo_token' };
  if (err instanceof ZaloApiError) {
    // OaClient codes: -1 network, -status for HTTP failures without a Zalo error field.
    if (err.code === -1) return { kind: 'transient', reason: 'network' };
    if (err.code <= -500 && err.code > -600) return { kind: 'transient', reason: `http_${-err.code}` };
    return { kind: 'permanent', reason: `zalo_${err.code}` };
  }
  return { kind: 'transient', reason: 'network' };
}
