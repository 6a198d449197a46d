/**
 * Expected conditions the domain reports by throwing: a record that is not
 * there, a change someone else made first, a lease another instance holds.
 * Each boundary turns them into an answer in ONE place, by `code`:
 * HTTP status in src/http/errors.ts, the user's language in
 * src/engine/error-replies.ts. A flow that branches on an outcome gets a
 * result union instead; a programmer error stays a plain `Error` (a 500, or
 * the channel's retry).
 */
export { errorMessage, errorName } from '../errors.js';

/** Closed on purpose: each code needs an HTTP status and a message in both languages. */
export const DOMAIN_ERROR_CODES = ['not_found', 'conflict', 'invalid_state', 'invalid_input', 'forbidden', 'busy'] as const;
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];

/** Ids, codes and field names only: details are logged and may be shown to staff. */
export type DomainErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface DomainErrorOptions {
  details?: DomainErrorDetails;
  /**
   * A finer, stable code clients branch on (`four_eyes`, `link_not_allowed`):
   * the API answers it as `code`, with the status of the broader `code`.
   */
  reason?: string;
  /** For `busy`: when trying again is likely to work. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** How long a caller waits before trying again a change that found its record's lease taken. */
export const DEFAULT_RETRY_AFTER_SECONDS = 5;

/**
 * Eight or more digits standing alone, possibly grouped by spaces or dots:
 * a CCCD, a phone, a BHXH code, an account number. Not case numbers
 * (LD-2026-000123: dashes split it) or hex ids (their digits touch letters).
 */
const LONG_NUMBER = /(?<![\p{L}\d])\d(?:[ .]?\d){7,}(?![\p{L}\d])/gu;

/**
 * An expected condition with a stable `code`. The message goes to logs and
 * to staff as written, so it names what happened and never whose data: long
 * numbers are masked here in case a caller forgets.
 */
export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly details: DomainErrorDetails;
  readonly retryAfterSeconds: number | undefined;
  readonly reason: string | undefined;

  constructor(code: DomainErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message.replace(LONG_NUMBER, '***'), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.reason = options.reason;
  }
}

export function isDomainError(err: unknown, code?: DomainErrorCode): err is DomainError {
  return err instanceof DomainError && (code === undefined || err.code === code);
}

/** `notFound('beneficiary')` → "no such beneficiary". */
export const notFound = (what: string, details?: DomainErrorDetails): DomainError => new DomainError('not_found', `no such ${what}`, { details });

/** Someone else changed the record first; trying again sees their change. */
export const conflict = (message: string, details?: DomainErrorDetails): DomainError => new DomainError('conflict', message, { details });

/** The record is in a state where this cannot be done (frozen, already closed). */
export const invalidState = (message: string, details?: DomainErrorDetails): DomainError => new DomainError('invalid_state', message, { details });

/** A value the caller gave is not acceptable (an unknown bank, a forged cursor). */
export const invalidInput = (message: string, details?: DomainErrorDetails): DomainError => new DomainError('invalid_input', message, { details });

/** The caller may not do this (outside their province, not linked to the record). */
export const forbidden = (message: string, details?: DomainErrorDetails): DomainError => new DomainError('forbidden', message, { details });

/** A lease or slot is held elsewhere right now; nothing was changed, try again shortly. */
export const busy = (message: string, options: { retryAfterSeconds?: number; cause?: unknown; details?: DomainErrorDetails } = {}): DomainError =>
  new DomainError('busy', message, { retryAfterSeconds: DEFAULT_RETRY_AFTER_SECONDS, ...options });
