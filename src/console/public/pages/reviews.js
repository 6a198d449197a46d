/**
 * Review queues: payment-method requests and relatives' links, worked one item
 * at a time, oldest first, with keyboard shortcuts. The server decides what a
 * key may do (and says so at sign-in); this page only hides what would be refused.
 *
 * @typedef {import('../lib/types.js').PageContext} PageContext
 * @typedef {import('./reviews/item-view.js').QueueState} QueueState
 */
import { button, pageHeader } from '../lib/ui.js';
import { DECIDES, LOADERS, QUEUES } from './reviews/queues.js';
import { decisions } from './reviews/decisions.js';
import { itemView } from './reviews/item-view.js';
import { queueTabs } from './reviews/queue-tabs.js';
import { listenForShortcuts, rememberShortcuts, showShortcutHelp, shortcutsWanted, withShortcut } from './reviews/shortcuts.js';

/** @param {PageContext} ctx */
export async function mount(ctx) {
  const { h } = ctx;
  /** @param {string} key */
  const tr = (key) => ctx.t(`consoleReviews.${key}`);
  const queue = QUEUES.find((name) => name === ctx.params[0]) ?? 'requests';
  const canDecide = ctx.may(DECIDES[queue]);
  /** @type {QueueState} */
  const state = { items: [], index: 0, capped: false, busy: false, loaded: false, error: null };
  let shortcutsOn = shortcutsWanted();

  const tabs = queueTabs(ctx, queue);
  const decide = decisions(ctx, {
    current: () => state.items[state.index] ?? null,
    ready: () => canDecide && !state.busy,
    start: () => {
      state.busy = true;
      view.render();
    },
    finish: async (keepId) => {
      await reload({ keepId });
      state.busy = false;
      view.render({ focus: true });
    },
  });
  /** @param {number} step */
  const move = (step) => {
    const to = state.index + step;
    if (to < 0 || to >= state.items.length) return;
    state.index = to;
    view.render({ focus: true });
  };
  const view = itemView(ctx, queue, state, {
    canDecide,
    shortcutsOn: () => shortcutsOn,
    actions: { approve: () => void decide.approve(), reject: () => void decide.reject(), move, retry: () => void refresh() },
  });

  const helpButton = withShortcut(button(ctx, tr('button.help'), () => showShortcutHelp(ctx, canDecide), { variant: 'plain', shortcut: '?' }), '?', shortcutsOn);
  const shortcutsToggle = h('input', {
    type: 'checkbox',
    id: 'review-shortcuts',
    checked: shortcutsOn,
    'data-testid': 'shortcuts-toggle',
    'on:change': () => {
      shortcutsOn = shortcutsToggle.checked;
      rememberShortcuts(shortcutsOn);
      withShortcut(helpButton, '?', shortcutsOn);
      // Redraws the action buttons with or without their hints (the item stays, focus stays on the checkbox).
      if (state.loaded) view.render();
    },
  });
  const refreshButton = button(ctx, tr('button.retry'), () => void refresh(), { variant: 'plain', testId: 'refresh' });
  ctx.root.append(
    h('link', { rel: 'stylesheet', href: '/console/assets/pages/reviews.css' }),
    pageHeader(ctx, tr('title'), h('div', { class: 'review-shortcuts' }, shortcutsToggle, h('label', { for: 'review-shortcuts' }, tr('shortcuts.toggle'))), refreshButton, helpButton),
    tabs.el,
    h('p', { class: 'alert alert-info', 'data-testid': 'viewer-note', hidden: canDecide }, tr('viewerNote')),
    view.status,
    view.body,
  );

  /**
   * Reloads the queue. After a decision the decided item is gone, so the same
   * position shows the next one; `keepId` keeps a still-pending item in view.
   * @param {{ keepId?: string }} [opts]
   */
  async function reload({ keepId } = {}) {
    try {
      const result = await LOADERS[queue](ctx.api);
      state.items = result.items;
      state.capped = result.capped;
      state.error = null;
      tabs.showCount(queue, { n: result.items.length, capped: result.capped });
      const kept = keepId ? state.items.findIndex((e) => e.item.id === keepId || e.item.reference === keepId) : -1;
      state.index = kept >= 0 ? kept : Math.max(0, Math.min(state.index, state.items.length - 1));
    } catch (err) {
      state.error = err;
    }
    state.loaded = true;
  }

  /** The other tab's count is a courtesy; its own page reports errors. */
  async function loadOtherCount() {
    const other = QUEUES.find((name) => name !== queue) ?? queue;
    const result = await LOADERS[other](ctx.api).catch(() => null);
    if (result) tabs.showCount(other, { n: result.items.length, capped: result.capped });
  }

  async function refresh() {
    const keepId = state.items[state.index]?.item.id;
    await Promise.all([reload({ keepId }), loadOtherCount()]);
    view.render({ focus: true });
  }

  listenForShortcuts(ctx, () => shortcutsOn, {
    approve: () => void decide.approve(),
    reject: () => void decide.reject(),
    next: () => move(1),
    previous: () => move(-1),
    help: () => showShortcutHelp(ctx, canDecide),
  });

  const wanted = ctx.query.get('id');
  await Promise.all([reload({ keepId: wanted ?? undefined }), loadOtherCount()]);
  view.render();
}
