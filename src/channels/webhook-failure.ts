import type { Response } from 'express';
import type { Logger } from '../logger.js';
import { UpdateInProgressError } from '../engine/inbound-log.js';

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
  logger.error({ event: `${platform.event}_update_failed`, err: err instanceof Error ? err.message : String(err) }, `update failed; ${platform.name} will retry`);
  res.status(500).json({ code: 'internal', message: 'update not processed; retry' });
}
