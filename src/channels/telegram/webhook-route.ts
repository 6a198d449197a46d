import express, { type Response, type Router } from 'express';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import type { TelegramChannel } from './telegram-channel.js';
import { UpdateInProgressError } from '../../engine/inbound-log.js';
import { secretMatches } from '../../security/secret-match.js';

/**
 * Answers a webhook whose update could not be handled: 503 while another request
 * is handling the same update, 500 for a failure; either way the platform retries.
 */
export function answerUpdateFailure(
  err: unknown,
  res: Response,
  logger: Logger,
  platform: { event: 'telegram' | 'zalo_bot'; name: 'Telegram' | 'Zalo' },
): void {
  if (err instanceof UpdateInProgressError) {
    logger.warn({ event: `${platform.event}_update_in_progress` }, `redelivery while the first delivery is handled; asking ${platform.name} to retry`);
    res.status(503).json({ code: 'in_progress', message: 'this update is being handled; retry later' });
    return;
  }
  logger.error({ event: `${platform.event}_update_failed`, err: (err as Error).message }, `update failed; ${platform.name} will retry`);
  res.status(500).json({ code: 'internal', message: 'update not processed; retry' });
}

function isUpdate(body: unknown): body is Update {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    Number.isSafeInteger((body as { update_id?: unknown }).update_id)
  );
}

/**
 * POST /webhooks/telegram. Telegram sends the secret given to setWebhook in
 * X-Telegram-Bot-Api-Secret-Token. https://core.telegram.org/bots/api#setwebhook
 * 2xx only once the update's effects are saved; 5xx makes Telegram retry.
 */
export function telegramWebhookRoute(channel: TelegramChannel, secret: string, logger: Logger): Router {
  const router = express.Router();
  router.post(
    '/webhooks/telegram',
    (req, res, next) => {
      if (!secretMatches(req.get('x-telegram-bot-api-secret-token'), secret)) {
        res.status(401).json({ code: 'unauthorized', message: 'bad or missing secret token' });
        return;
      }
      next();
    },
    express.json({ limit: '1mb', type: () => true }),
    async (req, res) => {
      if (!isUpdate(req.body)) {
        res.status(400).json({ code: 'bad_update', message: 'body is not a Telegram update' });
        return;
      }
      try {
        await channel.handleUpdate(req.body);
        res.status(200).json({ ok: true });
      } catch (err) {
        answerUpdateFailure(err, res, logger, { event: 'telegram', name: 'Telegram' });
      }
    },
  );
  return router;
}
