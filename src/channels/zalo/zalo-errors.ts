/**
 * Typed errors for the Zalo APIs. Zalo answers most application errors with HTTP 200
 * and a non-zero `error` field, so every call is checked and mapped to one of these.
 * Codes from the OA API error table (developers.zalo.me, Official Account, "Mã lỗi":
 * -216 invalid token, -220 expired token, -32 rate limit, -230 outside the 7-day window).
 */

/** Any Zalo API failure, with the platform's code and the method that failed. */
export class ZaloApiError extends Error {
  override name = 'ZaloApiError';
  constructor(
    readonly method: string,
    readonly code: number,
    message: string,
  ) {
    super(`${method}: Zalo error ${code}: ${message}`);
  }
}

/** The access token is invalid or expired (-216, -220, -124): refresh and retry once. */
export class ZaloTokenExpiredError extends ZaloApiError {
  override name = 'ZaloTokenExpiredError';
}

/** Zalo asked us to slow down (-32 app/OA rate limit, HTTP 429). */
export class ZaloThrottledError extends ZaloApiError {
  override name = 'ZaloThrottledError';
}

/**
 * The user last interacted with the OA more than 7 days ago (-230, -232): a
 * consultation message cannot reach them. Not a crash: recorded and reported.
 */
export class ZaloOutsideWindowError extends ZaloApiError {
  override name = 'ZaloOutsideWindowError';
}

/** The user blocked or unfollowed the OA, or is inactive (-213, -217, -227, -244). */
export class ZaloUnreachableUserError extends ZaloApiError {
  override name = 'ZaloUnreachableUserError';
}

/** Refreshing the OA token failed: a human must re-authorise the app (new refresh token). */
export class ZaloRefreshFailedError extends ZaloApiError {
  override name = 'ZaloRefreshFailedError';
}

const TOKEN_CODES = new Set([-216, -220, -124, 452]);
const THROTTLE_CODES = new Set([-32]);
const WINDOW_CODES = new Set([-230, -232]);
const UNREACHABLE_CODES = new Set([-213, -217, -227, -244]);

/** Maps a Zalo OA error code to its typed error class. */
export function oaError(method: string, code: number, message: string): ZaloApiError {
  if (TOKEN_CODES.has(code)) return new ZaloTokenExpiredError(method, code, message);
  if (THROTTLE_CODES.has(code)) return new ZaloThrottledError(method, code, message);
  if (WINDOW_CODES.has(code)) return new ZaloOutsideWindowError(method, code, message);
  if (UNREACHABLE_CODES.has(code)) return new ZaloUnreachableUserError(method, code, message);
  return new ZaloApiError(method, code, message);
}
