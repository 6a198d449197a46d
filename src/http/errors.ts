import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { DEFAULT_RETRY_AFTER_SECONDS, DomainError, type DomainErrorCode } from '../domain/errors.js';
import { ApiError } from './admin/admin-errors.js';
import type { AdminRouteModule } from './admin/route-module.js';

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ code: 'not_found', message: 'no such route' });
};

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
  body: { code: DomainErrorCode; message: string; field?: string };
  headers: Record<string, string>;
}

export function domainErrorAnswer(err: DomainError): DomainErrorAnswer {
  const body: DomainErrorAnswer['body'] = { code: err.code, message: err.message };
  // `field` names the input at fault, as validation errors do; other details stay in the logs.
  if (typeof err.details.field === 'string') body.field = err.details.field;
  const headers: Record<string, string> = err.code === 'busy' ? { 'Retry-After': String(err.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) } : {};
  return { status: DOMAIN_ERROR_STATUS[err.code], body, headers };
}

/** The one boundary for HTTP errors: JSON with a stable code, never a stack trace. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof DomainError) {
      const answer = domainErrorAnswer(err);
      if (answer.status >= 500) logger.warn({ event: 'http_busy', code: err.code, err: err.message }, 'answered busy');
      res.set(answer.headers).status(answer.status).json(answer.body);
      return;
    }
    const e = err as { type?: string; status?: number; statusCode?: number; message?: string };
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ code: 'malformed_json', message: 'request body is not valid JSON' });
      return;
    }
    if (e.type === 'entity.too.large') {
      res.status(413).json({ code: 'too_large', message: 'request body is too large' });
      return;
    }
    const status = e.status ?? e.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      res.status(status).json({ code: 'bad_request', message: e.message ?? 'bad request' });
      return;
    }
    logger.error({ event: 'http_error', err: e.message }, 'unhandled HTTP error');
    res.status(500).json({ code: 'internal', message: 'internal error' });
  };
}

/** A DomainError as the admin API's own error, answered by its error handler with the same status and body. */
export function toApiError(err: DomainError): ApiError {
  const { status, body, headers } = domainErrorAnswer(err);
  return new ApiError(status, body.code, body.message, { ...(body.field === undefined ? {} : { field: body.field }), headers });
}

/**
 * Lets an admin route module's handlers throw DomainErrors: the admin router
 * answers only its own ApiError, so each is turned into one on the way out,
 * by the table above. Wrap a module once where it is defined.
 */
export function answersDomainErrors(module: AdminRouteModule): AdminRouteModule {
  const translated = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (err) {
      throw err instanceof DomainError ? toApiError(err) : err;
    }
  };
  return {
    ...module,
    register(api, ctx) {
      module.register(
        {
          ...api,
          read: (spec, handler) => api.read(spec, (input) => translated(() => handler(input))),
          write: (spec, handler) => api.write(spec, (input) => translated(() => handler(input))),
        },
        ctx,
      );
    },
  };
}
