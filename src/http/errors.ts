import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../logger.js';
import { DomainError } from '../domain/errors.js';
import { domainErrorAnswer } from './domain-error-answer.js';

export { DOMAIN_ERROR_STATUS, domainErrorAnswer, type DomainErrorAnswer } from './domain-error-answer.js';

export const notFound: RequestHandler = (_req, res) => {
  res.status(404).json({ code: 'not_found', message: 'no such route' });
};

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
