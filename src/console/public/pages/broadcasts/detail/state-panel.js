import { fill } from '../../../lib/dom.js';
import { button, confirmDialog } from '../../../lib/ui.js';
import { OPEN, approvalReasons, staffLabel, statusBadge } from '../shared.js';

/**
 * Where a broadcast stands and what this key may do about it now: submit a
 * draft, approve or reject one waiting (a different admin), cancel, or copy.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/api-types.js').Broadcast} Broadcast
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {(action: 'submit' | 'approve' | 'reject' | 'cancel', body?: unknown) => Promise<boolean>} RunAction
 */

/**
 * @param {PageContext} ctx
 * @param {{ current: () => Broadcast, settings: BroadcastSettings | null, run: RunAction, badgeSlot: HTMLElement }} deps
 *   `run` does an action and says whether it went through
 */
export function statePanel(ctx, { current, settings, run, badgeSlot }) {
  const { h, t } = ctx;
  // Kept across redraws and focusable: after an action replaces the buttons, focus moves here rather than to <body>.
  const text = h('div', { class: 'alert alert-info', tabindex: '-1', 'data-testid': 'state-text' });
  const actions = h('div');
  const el = h('div', { 'data-testid': 'state' }, text, actions);

  async function submit() {
    if (await run('submit')) ctx.toast(t('consoleBroadcasts.detail.submittedToast'), 'success');
  }
  async function approve() {
    const b = current();
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.approveTitle'),
      body: t('consoleBroadcasts.detail.approveBody', { title: b.title, count: ctx.fmt.number(b.estimatedRecipients ?? 0) }),
      confirmLabel: t('consoleBroadcasts.detail.approveConfirm'),
    });
    if (answer.ok && (await run('approve'))) ctx.toast(t('consoleBroadcasts.detail.approvedToast'), 'success');
  }
  async function reject() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.rejectTitle'),
      body: t('consoleBroadcasts.detail.rejectBody'),
      confirmLabel: t('consoleBroadcasts.detail.rejectConfirm'),
      reasonLabel: t('consoleBroadcasts.detail.rejectReason'),
      danger: true,
    });
    if (answer.ok && (await run('reject', { reason: answer.reason }))) ctx.toast(t('consoleBroadcasts.detail.rejectedToast'), 'success');
  }
  async function cancel() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.cancelTitle'),
      body: t('consoleBroadcasts.detail.cancelBody'),
      confirmLabel: t('consoleBroadcasts.detail.cancelConfirm'),
      danger: true,
    });
    if (answer.ok && (await run('cancel'))) ctx.toast(t('consoleBroadcasts.detail.cancelledToast'), 'success');
  }

  /** What the status says, in a line or two. @param {Broadcast} b @param {boolean} isApprover */
  function lines(b, isApprover) {
    /** @param {string | null} keyId */
    const by = (keyId) => (keyId ? t('consoleBroadcasts.detail.byLabel', { label: staffLabel(ctx, b, keyId) }) : '');
    switch (b.status) {
      case 'draft':
        return [t('consoleBroadcasts.detail.draft')];
      case 'pending_approval': {
        const reasons = settings ? approvalReasons(ctx, { recipients: b.estimatedRecipients, threshold: settings.approvalThreshold, hasLink: Boolean(b.linkUrl), urgent: b.ignoreQuietHours, cost: b.estimatedCost ?? null, costLimit: settings.costApprovalVnd }) : [];
        return [
          isApprover ? t('consoleBroadcasts.detail.pendingApprover') : b.yours ? t('consoleBroadcasts.detail.pendingYours') : t('consoleBroadcasts.detail.pendingOther'),
          reasons.length ? t('consoleBroadcasts.detail.approvalReasons', { reasons: reasons.join(', ') }) : null,
        ];
      }
      case 'approved':
        return [t('consoleBroadcasts.detail.approved')];
      case 'scheduled':
        return [t('consoleBroadcasts.detail.scheduled', { time: ctx.fmt.dateTime(b.sendAt) })];
      case 'sending':
        return [t('consoleBroadcasts.detail.sending')];
      case 'done':
        return [t('consoleBroadcasts.detail.done', { time: ctx.fmt.dateTime(b.finishedAt) })];
      case 'cancelled':
        return [t('consoleBroadcasts.detail.cancelled', { time: ctx.fmt.dateTime(b.finishedAt), by: by(b.cancelledBy) })];
      case 'rejected':
        return [t('consoleBroadcasts.detail.rejected', { by: by(b.rejectedBy), reason: b.rejectionReason ?? '' })];
    }
  }

  /** @param {Broadcast} b */
  function render(b) {
    fill(badgeSlot, statusBadge(ctx, b.status));
    // The approval step belongs to a key allowed to approve that did not write or submit it (the server's `yours`).
    const isApprover = ctx.may('postBroadcastsByIdApprove') && !b.yours;
    const buttons = [];
    if (b.status === 'draft' && ctx.may('postBroadcastsByIdSubmit')) buttons.push(button(ctx, t('consoleBroadcasts.detail.submit'), () => void submit(), { variant: 'primary', testId: 'submit-broadcast' }));
    if (b.status === 'pending_approval' && isApprover) {
      buttons.push(button(ctx, t('consoleBroadcasts.detail.approve'), () => void approve(), { variant: 'primary', testId: 'approve' }));
      buttons.push(button(ctx, t('consoleBroadcasts.detail.reject'), () => void reject(), { variant: 'danger', testId: 'reject' }));
    }
    if (OPEN.includes(b.status) && ctx.may('postBroadcastsByIdCancel')) buttons.push(button(ctx, t('consoleBroadcasts.detail.cancel'), () => void cancel(), { variant: 'danger', testId: 'cancel-broadcast' }));
    if (['rejected', 'cancelled', 'done'].includes(b.status) && ctx.may('postBroadcasts')) {
      buttons.push(h('a', { class: 'btn', href: `#/broadcasts/new?from=${encodeURIComponent(b.id)}`, 'data-testid': 'copy' }, t('consoleBroadcasts.detail.copy')));
    }
    text.className = `alert ${b.status === 'rejected' || b.status === 'cancelled' ? 'alert-warning' : 'alert-info'}`;
    fill(text, lines(b, isApprover).filter((l) => l !== null).map((l) => h('p', null, l)));
    fill(actions, buttons.length ? h('div', { class: 'row bc-actions' }, buttons) : null);
  }

  return { el, text, render };
}
