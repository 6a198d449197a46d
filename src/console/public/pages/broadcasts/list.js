import { emptyState, errorBox, pageHeader } from '../../lib/ui.js';
import { poll } from '../../lib/poll.js';
import { fill } from '../../lib/dom.js';
import { OPEN, finalCount, staffLabel, statusBadge } from './shared.js';

/**
 * The list of broadcasts (#/broadcasts), kept moving while one is being sent.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').Broadcast} Broadcast
 */

/** @param {PageContext} ctx */
export async function listPage(ctx) {
  const { h, t } = ctx;
  const actions = ctx.may('postBroadcasts') ? [h('a', { class: 'btn btn-primary', href: '#/broadcasts/new', 'data-testid': 'new-broadcast' }, t('consoleBroadcasts.list.new'))] : [];
  const area = h('div', { 'data-testid': 'broadcast-list' });
  ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.list.title'), ...actions), area);

  /** @param {Broadcast[]} items */
  const render = (items) => {
    if (items.length === 0) {
      fill(area, emptyState(ctx, t('consoleBroadcasts.list.empty')));
      return;
    }
    const rows = items.map((b) => {
      const total = b.progress.total;
      const done = finalCount(b.progress.counts);
      const showProgress = ['sending', 'done', 'cancelled'].includes(b.status) && total > 0;
      return h('tr', { 'data-id': b.id },
        h('td', null,
          h('a', { href: `#/broadcasts/${encodeURIComponent(b.id)}` }, b.title),
          b.sendAt && ['scheduled', 'pending_approval', 'approved', 'draft'].includes(b.status)
            ? h('div', { class: 'muted small' }, t('consoleBroadcasts.list.sendAt', { time: ctx.fmt.dateTime(b.sendAt) }))
            : null,
        ),
        h('td', null, statusBadge(ctx, b.status)),
        h('td', null, ctx.fmt.dateTime(b.createdAt), h('div', { class: 'muted small' }, t('consoleBroadcasts.list.by', { label: staffLabel(ctx, b, b.createdBy) }))),
        h('td', { class: 'num' }, b.estimatedRecipients === null && total === 0 ? '—' : ctx.fmt.number(Math.max(total, b.estimatedRecipients ?? 0))),
        h('td', null,
          showProgress
            ? h('div', { class: 'bc-mini' },
                h('span', { class: 'bc-mini-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${((done / total) * 100).toFixed(1)}%` })),
                h('span', null, t('consoleBroadcasts.list.progressText', { done: ctx.fmt.number(done), total: ctx.fmt.number(total) }), ` (${ctx.fmt.percent(done / total, 0)})`),
              )
            : t('consoleBroadcasts.list.noProgress'),
        ),
      );
    });
    fill(area,
      h('div', { class: 'table-wrap' },
        h('table', { class: 'data' },
          h('caption', { class: 'sr-only' }, t('consoleBroadcasts.list.caption')),
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colTitle')),
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colStatus')),
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colCreated')),
            h('th', { scope: 'col', class: 'num' }, t('consoleBroadcasts.list.colAudience')),
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colProgress')),
          )),
          h('tbody', null, rows),
        ),
      ),
    );
  };

  /** @type {Broadcast[]} */
  let items;
  /** @returns {Promise<Broadcast[]>} */
  const load = async () => (/** @type {{ items: Broadcast[] }} */ (await ctx.api.get('/broadcasts?limit=100'))).items;
  try {
    items = await load();
  } catch (err) {
    fill(area, errorBox(ctx, err));
    return;
  }
  render(items);
  // Keeps the figures moving while something is being sent; a scheduled one is looked at now and then.
  /** @param {Broadcast[]} list */
  const delayFor = (list) => (list.some((b) => b.status === 'sending' || b.status === 'approved') ? 2000 : list.some((b) => OPEN.includes(b.status) && b.status !== 'draft') ? 15000 : null);
  const first = delayFor(items);
  if (first) {
    poll(ctx, async () => {
      const fresh = await load();
      render(fresh);
      return delayFor(fresh);
    }, first, (err) => area.prepend(errorBox(ctx, err)));
  }
}
