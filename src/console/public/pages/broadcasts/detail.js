import { errorBox, pageHeader } from '../../lib/ui.js';
import { poll } from '../../lib/poll.js';
import { fill } from '../../lib/dom.js';
import { ApiError } from '../../lib/api.js';
import { loadSettings, serverErrorText } from './shared.js';
import { statePanel } from './detail/state-panel.js';
import { progressCard } from './detail/progress-card.js';
import { reportCard } from './detail/report-card.js';
import { contentCard } from './detail/content-card.js';
import { previewPane } from './preview-pane.js';
import { fetchPreviews } from './live-preview.js';

/**
 * One broadcast (#/broadcasts/<id>): its approval step, live progress and final report.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').Broadcast} Broadcast
 * @typedef {import('../../lib/api-types.js').BroadcastStatus} BroadcastStatus
 */

/** @param {PageContext} ctx @param {string} id */
export async function detailPage(ctx, id) {
  const { h, t } = ctx;
  const path = `/broadcasts/${encodeURIComponent(id)}`;
  const back = h('a', { class: 'btn', href: '#/broadcasts' }, t('consoleBroadcasts.detail.back'));
  /** @type {Broadcast} */
  let b;
  /** @type {import('../../lib/api-types.js').BroadcastSettings | null} */
  let settings;
  try {
    [b, settings] = await Promise.all([/** @type {Promise<Broadcast>} */ (ctx.api.get(path)), loadSettings(ctx)]);
  } catch (err) {
    const missing = err instanceof ApiError && (err.status === 404 || err.status === 400);
    ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.list.title'), back), missing ? h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.detail.notFound')) : errorBox(ctx, err));
    return;
  }

  const titleEl = h('span', null, b.title);
  const badgeSlot = h('span');
  const header = pageHeader(ctx, '', back);
  const h1 = header.querySelector('h1');
  if (h1) fill(h1, titleEl, ' ', badgeSlot);
  const actionError = h('div', { 'aria-live': 'assertive' });
  const state = statePanel(ctx, { current: () => b, settings, run, badgeSlot });
  const progress = progressCard(ctx);
  const report = reportCard(ctx, path);
  const content = contentCard(ctx);
  // The preview is the server's rendering of the stored text; a key that may not ask for it sees the text alone.
  const preview = ctx.may('postBroadcastsPreview') ? previewPane(ctx) : null;
  ctx.root.append(header, actionError, state.el, progress.el, report.el, h('div', { class: 'bc-detail' }, content.el, preview?.el ?? null));

  /** @type {BroadcastStatus | null} */
  let lastStatus = null;
  function render() {
    if (b.status !== lastStatus) {
      state.render(b);
      titleEl.textContent = b.title;
      content.render(b);
      if (lastStatus === null) void showPreview();
      lastStatus = b.status;
    }
    progress.render(b);
    // The report is final once nothing is left in flight (a cancelled broadcast may still be finishing sends).
    if ((b.status === 'done' || (b.status === 'cancelled' && b.progress.pending === 0)) && b.startedAt) report.request();
  }

  /** The text does not change once written: asked for once. */
  async function showPreview() {
    if (!preview) return;
    const message = { content: b.content, linkUrl: b.linkUrl, imageUrl: b.imageUrl };
    try {
      preview.show(await fetchPreviews(ctx, message), Boolean(b.content.en));
    } catch {
      // The text and link are listed beside it; the phones stay empty.
    }
  }

  /** About every second while sending; slower while waiting; stops once nothing can change. */
  const delayFor = () => {
    if (b.status === 'sending' || b.status === 'approved') return 1000;
    if (b.status === 'cancelled' && (b.progress.counts.sending > 0 || (b.startedAt && !report.loaded()))) return 1000;
    if (b.status === 'done' && !report.loaded()) return 1000;
    if (b.status === 'pending_approval' || b.status === 'scheduled') return 5000;
    return null;
  };
  const poller = poll(ctx, async () => {
    b = /** @type {Broadcast} */ (await ctx.api.get(path));
    render();
    return delayFor();
  }, delayFor() ?? 5000, (err) => fill(actionError, errorBox(ctx, err)));

  /**
   * One action on the broadcast; refusals are explained, and the page shows the state that holds now.
   * @type {import('./detail/state-panel.js').RunAction}
   */
  async function run(action, body) {
    fill(actionError);
    let ok = false;
    let looked = false;
    try {
      b = /** @type {Broadcast} */ (await ctx.api.post(`${path}/${action}`, body));
      render();
      ok = true;
    } catch (err) {
      const code = err instanceof ApiError ? err.code : undefined;
      const text = code === 'four_eyes' ? t('consoleBroadcasts.detail.fourEyes') : code === 'invalid_state' ? t('consoleBroadcasts.detail.invalidState') : serverErrorText(ctx, /** @type {ApiError} */ (err), settings, ctx.session);
      fill(actionError, h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'action-error' }, text));
      try {
        b = /** @type {Broadcast} */ (await ctx.api.get(path));
        render();
        looked = true;
      } catch {
        // The error above already says what happened.
      }
    }
    // The button that was pressed is gone when the state changed.
    if (!document.activeElement || document.activeElement === document.body) state.text.focus();
    // After a refusal the page has just looked: go on at the pace of what it saw, without asking twice.
    if (looked) poller.later(delayFor());
    else poller.now();
    return ok;
  }

  render();
}
