import { clear } from '../../lib/dom.js';
import { button, emptyState, errorBox } from '../../lib/ui.js';
import { reference } from './queues.js';
import { requestCard } from './request-card.js';
import { linkCard } from './link-card.js';
import { withShortcut } from './shortcuts.js';

/**
 * The item in view (or why there is none), its position in the queue, and the
 * buttons to decide it and to move along the queue.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('./queues.js').QueueItem} QueueItem
 * @typedef {import('./queues.js').QueueName} QueueName
 * @typedef {{ items: QueueItem[], index: number, capped: boolean, busy: boolean, loaded: boolean, error: unknown }} QueueState
 * @typedef {{ approve: () => void, reject: () => void, move: (step: number) => void, retry: () => void }} ItemActions
 */

/**
 * @param {PageContext} ctx @param {QueueName} queue @param {QueueState} state
 * @param {{ canDecide: boolean, shortcutsOn: () => boolean, actions: ItemActions }} opts
 */
export function itemView(ctx, queue, state, { canDecide, shortcutsOn, actions }) {
  const { h, fmt } = ctx;
  /** @param {string} key @param {Record<string, unknown>} [vars] */
  const tr = (key, vars) => ctx.t(`consoleReviews.${key}`, vars);
  const status = h('p', { class: 'review-status', 'aria-live': 'polite', 'data-testid': 'review-count' });
  const body = h('div', { class: 'review-body' });

  function countText() {
    const n = state.items.length;
    if (state.capped) return tr('count.more', { count: fmt.number(n) });
    return n === 1 ? tr('count.one') : tr('count.many', { count: fmt.number(n) });
  }

  /** Keeps keyboard focus on the page when what had it (a decided item's buttons) is gone. @param {HTMLElement} el */
  function focusBlock(el) {
    el.setAttribute('tabindex', '-1');
    el.focus();
  }

  /** @param {QueueItem} entry */
  function buttons(entry) {
    const on = shortcutsOn();
    const approve = canDecide ? button(ctx, tr('button.approve'), actions.approve, { variant: 'primary', shortcut: 'A', testId: 'approve' }) : null;
    const reject = canDecide ? button(ctx, tr('button.reject'), actions.reject, { variant: 'danger', shortcut: 'R', testId: 'reject' }) : null;
    // A frozen request can only be rejected: the server refuses approval, so the button says so by being off.
    if (approve && entry.kind === 'requests' && entry.item.status !== 'submitted') approve.disabled = true;
    const prev = withShortcut(button(ctx, tr('button.previous'), () => actions.move(-1), { shortcut: 'K', testId: 'previous' }), 'K P', on);
    const next = withShortcut(button(ctx, tr('button.next'), () => actions.move(1), { shortcut: 'J', testId: 'next' }), 'J N', on);
    if (approve) withShortcut(approve, 'A', on);
    if (reject) withShortcut(reject, 'R', on);
    prev.disabled = state.index === 0;
    next.disabled = state.index >= state.items.length - 1;
    for (const b of [approve, reject]) if (b) b.disabled ||= state.busy;
    return h('div', { class: 'row review-actions' }, approve, reject, h('span', { class: 'review-spacer' }), prev, next);
  }

  /** @param {{ focus?: boolean }} [opts] */
  function render({ focus = false } = {}) {
    clear(body);
    if (state.error) {
      status.textContent = '';
      const box = errorBox(ctx, state.error);
      body.append(box, button(ctx, tr('button.retry'), actions.retry));
      if (focus) focusBlock(box);
      return;
    }
    const entry = state.items[state.index];
    if (!entry) {
      status.textContent = '';
      const empty = emptyState(ctx, tr(`empty.${queue}`));
      empty.setAttribute('data-testid', 'review-empty');
      body.append(empty);
      if (focus) focusBlock(empty);
      return;
    }
    status.textContent = `${countText()} · ${tr('position', { index: fmt.number(state.index + 1), total: fmt.number(state.items.length) })}`;
    const heading = h('h2', { tabindex: '-1', class: 'review-heading', 'data-testid': 'review-heading', id: 'review-heading' }, entry.item.beneficiary?.fullName ?? '—', ' ', h('span', { class: 'muted' }, reference(entry)));
    body.append(
      h('article', { class: 'card review-item', 'aria-labelledby': 'review-heading', 'data-testid': 'review-item', 'data-id': entry.item.id },
        heading,
        entry.kind === 'requests' ? requestCard(ctx, entry.item, canDecide) : linkCard(ctx, entry.item, reference(entry)),
      ),
      buttons(entry),
    );
    if (focus) heading.focus();
  }

  return { status, body, render };
}
