import { progressBar } from '../../../lib/ui.js';
import { finalCount } from '../shared.js';

/**
 * Live progress of a broadcast being sent: a bar and the counts per state,
 * rate and time left. Built once, so the bar moves instead of being redrawn.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/api-types.js').Broadcast} Broadcast
 */

const STATS = /** @type {const} */ (['sent', 'blocked', 'failed', 'skipped', 'pending', 'rate', 'eta']);

/** @param {PageContext} ctx */
export function progressCard(ctx) {
  const { h, t } = ctx;
  const el = h('section', { class: 'card', 'aria-labelledby': 'bc-progress-title', 'data-testid': 'progress' });
  const bar = progressBar(ctx, { value: 0, max: 0, label: t('consoleBroadcasts.progress.label') });
  bar.setAttribute('data-testid', 'progress-bar');
  const stats = STATS.map((key) => {
    const dd = h('dd', { 'data-testid': `progress-${key}` }, '0');
    return { key, dd, el: h('div', { class: `bc-stat bc-stat-${key}` }, h('dt', null, t(`consoleBroadcasts.progress.${key}`)), dd) };
  });
  const note = h('p', { class: 'muted' });
  el.append(h('h2', { id: 'bc-progress-title' }, t('consoleBroadcasts.progress.heading')), bar, h('dl', { class: 'bc-stats' }, stats.map((s) => s.el)), note);

  /** @param {Broadcast} b */
  function render(b) {
    const p = b.progress;
    bar.update(finalCount(p.counts), p.total);
    const values = {
      sent: ctx.fmt.number(p.counts.sent),
      blocked: ctx.fmt.number(p.counts.blocked),
      failed: ctx.fmt.number(p.counts.failed),
      skipped: ctx.fmt.number(p.counts.skipped),
      pending: ctx.fmt.number(p.pending),
      rate: t('consoleBroadcasts.progress.rateValue', { rate: ctx.fmt.number(p.ratePerSecond) }),
      eta: b.status === 'sending' && p.etaSeconds !== null ? ctx.fmt.duration(p.etaSeconds) : '—',
    };
    for (const s of stats) s.dd.textContent = values[s.key];
    // Once sending is over, the report's rate (between the first and the last send) is the one that counts:
    // two different rates side by side would only puzzle.
    const over = b.status === 'done' || b.status === 'cancelled';
    for (const s of stats) if (s.key === 'rate' || s.key === 'eta') s.el.hidden = over;
    const started = ['sending', 'done', 'cancelled'].includes(b.status) && b.startedAt;
    note.textContent = !started ? t('consoleBroadcasts.progress.waiting') : p.total === 0 && b.status === 'done' ? t('consoleBroadcasts.progress.noRecipients') : '';
    note.hidden = note.textContent === '';
    el.hidden = b.status === 'draft' || b.status === 'rejected' || (b.status === 'cancelled' && !b.startedAt);
  }

  return { el, render };
}
