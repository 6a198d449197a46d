import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../logger.js';
import { DomainError } from '../../domain/errors.js';
import { domainErrorAnswer } from '../domain-error-answer.js';

/**
 * An error the admin API answers on purpose. `code` is a stable contract for
 * clients (they branch on it); `message` is for people and may change.
 */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }
}

/** The JSON every admin error has. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
}

export const adminNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ code: 'not_found', message: `no route ${req.method} ${req.baseUrl}${req.path}` } satisfies ApiErrorBody);
};

/** body-parser marks its failures with `type`; we turn them into our codes instead of echoing its text. */
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': { status: 400, code: 'malformed_json', message: 'request body is not valid JSON' },
  'entity.too.large': { status: 413, code: 'too_large', message: 'request body is larger than 1 MB' },
  'encoding.unsupported': { status: 415, code: 'unsupported_encoding', message: 'unsupported content encoding' },
  'charset.unsupported': { status: 415, code: 'unsupported_encoding', message: 'unsupported charset; send UTF-8' },
};

/** The one boundary for admin API errors: JSON `{ code, message, field? }`, never a stack trace. */
export function adminErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof ApiError) {
      for (const [name, value] of Object.entries(err.extra.headers ?? {})) res.set(name, value);
      const body: ApiErrorBody = { code: err.code, message: err.message };
      if (err.extra.field !== undefined) body.field = err.extra.field;
      res.status(err.status).json(body);
      return;
    }
    if (err instanceof DomainError) {
      // Expected conditions from the services (not found, conflict, busy…), by the one table.
      const answer = domainErrorAnswer(err);
      if (answer.status >= 500) logger.warn({ event: 'admin_busy', code: err.code, err: err.message }, 'answered busy');
      res.set(answer.headers).status(answer.status).json(answer.body);
      return;
    }
    const e = err as { type?: unknown; status?: unknown; message?: unknown; name?: unknown };
    const known = typeof e.type === 'string' ? BODY_PARSER_ERRORS[e.type] : undefined;
    if (known) {
      res.status(known.status).json({ code: known.code, message: known.message } satisfies ApiErrorBody);
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ code: 'bad_request', message: 'the request could not be processed' } satisfies ApiErrorBody);
      return;
    }
    logger.error(
      { event: 'admin_http_error', method: req.method, route: req.route?.path ?? req.path, err: String(e.message), errName: String(e.name) },
      'unhandled admin API error',
    );
    res.status(500).json({ code: 'internal', message: 'internal error' } satisfies ApiErrorBody);
  };
}
