import { pino, type Logger } from 'pino';

/**
 * Paths that may carry message text or personal data (CCCD, phone, account numbers).
 * Logs must never hold them: we log ids and outcomes, not content.
 */
export const REDACT_PATHS = [
  'text',
  '*.text',
  'phone',
  '*.phone',
  'cccd',
  '*.cccd',
  'accountNumber',
  '*.accountNumber',
  'payload',
  '*.payload',
  'params',
  '*.params',
  'update',
  '*.update',
  'body',
  '*.body',
  'req.headers.authorization',
  'req.headers["x-telegram-bot-api-secret-token"]',
  'headers.authorization',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'luong-huu-bot' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}

export type { Logger };
