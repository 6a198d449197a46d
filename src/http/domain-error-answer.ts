import { DEFAULT_RETRY_AFTER_SECONDS, type DomainError, type DomainErrorCode } from '../domain/errors.js';

/** The one table from domain condition to HTTP status. */
export const DOMAIN_ERROR_STATUS: Readonly<Record<DomainErrorCode, number>> = {
  not_found: 404,
  conflict: 409,
  invalid_state: 409,
  invalid_input: 400,
  forbidden: 403,
  // Nothing was changed and trying again shortly should work: the client is told when.
  busy: 503,
};

/** What an HTTP client gets for a DomainError: the API's usual `{ code, message, field? }`. */
export interface DomainErrorAnswer {
  status: number;
  body: { code: string; message: string; field?: string };
  headers: Record<string, string>;
}

/** The status of the broad code; the body's `code` is the finer reason when there is one. */
export function domainErrorAnswer(err: DomainError): DomainErrorAnswer {
  const body: DomainErrorAnswer['body'] = { code: err.reason ?? err.code, message: err.message };
  // `field` names the input at fault, as validation errors do; other details stay in the logs.
  if (typeof err.details.field === 'string') body.field = err.details.field;
  const headers: Record<string, string> = err.code === 'busy' ? { 'Retry-After': String(err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) } : {};
  return { status: DOMAIN_ERROR_STATUS[err.code], body, headers };
}
