import express, { type Router } from 'express';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../logger.js';
import { answerUpdateFailure } from '../webhook-failure.js';
import { secretMatches } from '../../security/secret-match.js';

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
export function telegramWebhookRoute(handleUpdate: (update: Update) => Promise<void>, secret: string, logger: Logger): Router {
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
        await handleUpdate(req.body);
        res.status(200).json({ ok: true });
      } catch (err) {
        answerUpdateFailure(err, res, logger, { event: 'telegram', name: 'Telegram' });
      }
    },
  );
  return router;
}
