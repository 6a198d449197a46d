import { fill } from '../../../lib/dom.js';
import { approvalReasons } from '../shared.js';

/**
 * Whether the notice will wait for a second admin, and why, as far as the
 * estimate and the form tell.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('../../../lib/api-types.js').BroadcastEstimate} BroadcastEstimate
 * @typedef {import('./form-state.js').ComposerForm} ComposerForm
 */

/** @param {PageContext} ctx @param {BroadcastSettings} settings @param {ComposerForm} form */
export function approvalSummary(ctx, settings, form) {
  const { h, t } = ctx;
  const el = h('div', { class: 'alert alert-info', 'data-testid': 'approval-summary', 'aria-live': 'polite' });
  return {
    el,
    /** @param {BroadcastEstimate | null} estimate null while unknown */
    render(estimate) {
      const recipients = estimate?.recipients ?? null;
      const reasons = approvalReasons(ctx, {
        recipients,
        threshold: settings.approvalThreshold,
        hasLink: form.linkUrl.trim() !== '',
        urgent: form.urgent,
        cost: estimate?.cost ?? null,
        costLimit: settings.costApprovalVnd,
      });
      const unknown = recipients === null && reasons.length === 0;
      el.dataset.needsApproval = unknown ? 'unknown' : String(reasons.length > 0);
      fill(el,
        reasons.length > 0
          ? [h('p', null, t('consoleBroadcasts.composer.approvalNeeded')), h('ul', null, reasons.map((r) => h('li', null, r)))]
          : h('p', null, t(unknown ? 'consoleBroadcasts.composer.approvalUnknown' : 'consoleBroadcasts.composer.approvalNotNeeded', { threshold: ctx.fmt.number(settings.approvalThreshold) })),
      );
    },
  };
}
