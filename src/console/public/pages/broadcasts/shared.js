import { badge, errorMessage } from '../../lib/ui.js';

/**
 * What more than one broadcasts screen (list, composer, detail) needs.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').Broadcast} Broadcast
 * @typedef {import('../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('../../lib/api-types.js').BroadcastStatus} BroadcastStatus
 * @typedef {import('../../lib/api-types.js').DeliveryCounts} DeliveryCounts
 * @typedef {import('../../lib/api-types.js').StaffView} StaffView
 */

/**
 * Statuses in which a broadcast may still be cancelled (and may still change by itself).
 * @type {BroadcastStatus[]}
 */
export const OPEN = ['draft', 'pending_approval', 'approved', 'scheduled', 'sending'];

/**
 * The rules and limits a broadcast is written under (GET /broadcasts/settings); null if the server did not answer.
 * @param {PageContext} ctx @returns {Promise<BroadcastSettings | null>}
 */
export async function loadSettings(ctx) {
  try {
    return /** @type {BroadcastSettings} */ (await ctx.api.get('/broadcasts/settings'));
  } catch {
    return null;
  }
}

/** @param {PageContext} ctx @param {BroadcastStatus} status */
export const statusBadge = (ctx, status) => badge(ctx, status, ctx.t(`consoleBroadcasts.status.${status}`), { 'data-testid': 'status', 'data-status': status });

/** Deliveries that reached a final state. @param {DeliveryCounts} c */
export const finalCount = (c) => c.sent + c.blocked + c.failed + c.skipped;

/** @param {PageContext} ctx @param {Broadcast} b @param {string | null} keyId */
export const staffLabel = (ctx, b, keyId) => (keyId ? (b.staffLabels?.[keyId] ?? ctx.t('consoleBroadcasts.detail.unknownStaff')) : '');

/**
 * Why the server will (or did) hold a broadcast for approval.
 * @param {PageContext} ctx
 * @param {{ recipients: number | null, threshold: number, hasLink: boolean, urgent: boolean, cost?: number | null, costLimit?: number }} facts
 */
export function approvalReasons(ctx, { recipients, threshold, hasLink, urgent, cost = null, costLimit = Infinity }) {
  const t = ctx.t;
  return [
    recipients !== null && recipients > threshold ? t('consoleBroadcasts.composer.reasonLarge', { threshold: ctx.fmt.number(threshold) }) : null,
    cost !== null && cost > costLimit ? t('consoleBroadcasts.composer.reasonCost', { amount: ctx.fmt.number(costLimit) }) : null,
    hasLink ? t('consoleBroadcasts.composer.reasonLink') : null,
    urgent ? t('consoleBroadcasts.composer.reasonUrgent') : null,
  ].filter((r) => r !== null);
}

/**
 * The server's refusal in the staff member's language.
 * @param {PageContext} ctx @param {{ code?: string, message?: string } | null | undefined} err
 * @param {BroadcastSettings | null} settings @param {StaffView} session
 */
export function serverErrorText(ctx, err, settings, session) {
  const t = ctx.t;
  switch (err?.code) {
    case 'link_not_allowed':
      return t('consoleBroadcasts.serverErrors.link_not_allowed', { domains: settings?.allowedLinkDomains.join(', ') ?? '' });
    case 'link_not_https':
    case 'link_invalid':
    case 'link_in_text':
    case 'template_fields':
    case 'template_unknown':
    case 'forbidden':
      return t(`consoleBroadcasts.serverErrors.${err.code}`);
    case 'province_scope':
      return t('consoleBroadcasts.serverErrors.province_scope', { province: session.province ?? '' });
    default:
      return errorMessage(ctx, err);
  }
}
