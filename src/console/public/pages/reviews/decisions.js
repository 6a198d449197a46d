import { ApiError } from '../../lib/api.js';
import { confirmDialog, errorMessage } from '../../lib/ui.js';
import { reference } from './queues.js';

/**
 * Approving and rejecting the item in view, each after a confirmation that
 * repeats what the reviewer must have checked; refusals are explained.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('./queues.js').QueueItem} QueueItem
 */

/** Common reasons offered when rejecting, by queue (texts in the locale files). */
const REASONS = {
  requests: ['nameMismatch', 'accountInvalid', 'notMe', 'unreachable'],
  links: ['blurry', 'notCertified', 'mismatch', 'expired'],
};

/** Refusals with their own words. @type {Record<string, string>} */
const KNOWN_REFUSALS = { already_decided: 'error.alreadyDecided', beneficiary_frozen: 'error.beneficiaryFrozen', too_soon: 'error.tooSoon' };

/**
 * @param {PageContext} ctx
 * @param {{ current: () => QueueItem | null, ready: () => boolean, start: () => void, finish: (keepId: string | undefined) => Promise<void> }} hooks
 *   `ready` says a decision may start (allowed, nothing under way); `start`/`finish` bracket the call (`keepId`: the item to stay on)
 */
export function decisions(ctx, { current, ready, start, finish }) {
  const { h } = ctx;
  /** @param {string} key @param {Record<string, unknown>} [vars] */
  const tr = (key, vars) => ctx.t(`consoleReviews.${key}`, vars);

  /** @param {QueueItem} entry @param {'approve' | 'reject'} verb @param {unknown} payload */
  async function decide(entry, verb, payload) {
    start();
    /** @type {string | undefined} */
    let keepId;
    try {
      const result = /** @type {{ reference?: string }} */ (await ctx.api.post(`/${entry.kind}/${encodeURIComponent(entry.item.id)}/${verb}`, payload));
      ctx.toast(tr(verb === 'approve' ? 'approve.done' : 'reject.done', { reference: result.reference ?? reference(entry) }), 'success');
    } catch (err) {
      const code = err instanceof ApiError ? err.code : '';
      // A reason the server finds too short is the reviewer's to lengthen.
      const known = code === 'validation_failed' && err instanceof ApiError && err.field === 'reason' ? 'reject.tooShort' : KNOWN_REFUSALS[code];
      ctx.toast(known ? tr(known) : tr('error.failed', { message: errorMessage(ctx, err) }), 'error');
      // Still pending (refused for a reason the reviewer can fix): stay on it.
      if (code !== 'already_decided') keepId = entry.item.id;
    }
    await finish(keepId);
  }

  async function approve() {
    const entry = current();
    if (!entry || !ready()) return;
    if (entry.kind === 'requests' && entry.item.status !== 'submitted') {
      ctx.toast(tr('notMe.onlyReject'), 'error');
      return;
    }
    const name = entry.item.beneficiary?.fullName ?? '';
    const override = entry.kind === 'requests' && entry.item.withinMinInterval === true;
    const text = entry.kind === 'requests'
      ? tr('approve.body', { reference: entry.item.reference, name })
      : tr('approve.bodyLink', { reference: reference(entry), name, relationship: entry.item.relationship ? tr(`relationship.${entry.item.relationship}`).toLowerCase() : '' });
    const warnings = [];
    if (entry.kind === 'requests' && entry.item.method.nameMatches === false) warnings.push(tr('approve.nameWarning'));
    if (override) warnings.push(tr('approve.overrideWarning'));
    const { ok } = await confirmDialog(ctx, {
      title: tr('approve.title'),
      body: [text, warnings.map((w) => [' ', h('strong', null, w)])],
      confirmLabel: tr(override ? 'approve.confirmOverride' : 'approve.confirm'),
    });
    if (!ok) return;
    // The override is what the reviewer just confirmed, having been warned.
    await decide(entry, 'approve', entry.kind === 'requests' ? (override ? { overrideFrequency: true } : {}) : undefined);
  }

  async function reject() {
    const entry = current();
    if (!entry || !ready()) return;
    let keys = REASONS[entry.kind];
    // The reason that fits what the reviewer is looking at comes first.
    if (entry.kind === 'requests') {
      const first = entry.item.notMe ? 'notMe' : entry.item.method.nameMatches === false ? 'nameMismatch' : null;
      if (first) keys = [first, ...keys.filter((k) => k !== first)];
    }
    const { ok, reason } = await confirmDialog(ctx, {
      title: tr('reject.title', { reference: reference(entry) }),
      body: tr('reject.common'),
      confirmLabel: tr('reject.confirm'),
      reasonLabel: tr('reject.reasonLabel'),
      reasonOptions: keys.map((k) => tr(`reject.reasons.${entry.kind}.${k}`)),
      danger: true,
    });
    if (!ok) return;
    await decide(entry, 'reject', { reason });
  }

  return { approve, reject };
}
