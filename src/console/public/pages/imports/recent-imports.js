import { emptyState, errorBox } from '../../lib/ui.js';
import { poll } from '../../lib/poll.js';
import { FINISHED, kindLabel, statusBadge } from './shared.js';

/**
 * The last imports (#/imports, under the form), refreshed while one of them is still running.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').ImportJob} ImportJob
 */

/** Words of the imports page (the locale test reads `tr('…')` keys against this namespace). @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

/** While an import in the list is still running, refresh the list this often. */
const LIST_POLL_MS = 3000;

/** @param {PageContext} ctx @param {ImportJob[]} items */
function recentTable(ctx, items) {
  const { h, fmt } = ctx;
  const head = ['createdAt', 'kind', 'status', 'rows', 'summaryCreated', 'summaryUpdated', 'summaryUnchanged', 'summaryRejected'];
  const numeric = new Set(['rows', 'summaryCreated', 'summaryUpdated', 'summaryUnchanged', 'summaryRejected']);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'data imports-recent-table' },
      h('caption', { class: 'sr-only' }, tr(ctx, 'recentTitle')),
      h('thead', {}, h('tr', {}, head.map((key) => h('th', { scope: 'col', class: numeric.has(key) ? 'num' : null }, tr(ctx, key))), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, tr(ctx, 'open'))))),
      h(
        'tbody',
        {},
        items.map((job) =>
          h(
            'tr',
            { 'data-import-id': job.id },
            h('td', {}, fmt.dateTime(job.createdAt)),
            h('td', {}, kindLabel(ctx, job.kind)),
            h('td', {}, statusBadge(ctx, job.status)),
            h('td', { class: 'num' }, `${fmt.number(job.processed)} / ${fmt.number(job.total)}`),
            h('td', { class: 'num' }, fmt.number(job.created)),
            h('td', { class: 'num' }, fmt.number(job.updated)),
            h('td', { class: 'num' }, fmt.number(job.unchanged)),
            h('td', { class: 'num' }, fmt.number(job.failed)),
            h('td', {}, h('a', { href: `#/imports/${encodeURIComponent(job.id)}` }, tr(ctx, 'open'))),
          ),
        ),
      ),
    ),
  );
}

/** @param {PageContext} ctx */
export function recentImports(ctx) {
  const { h } = ctx;
  const body = h('div', { class: 'imports-recent-body' });
  const section = h('section', { class: 'imports-recent', 'aria-labelledby': 'imports-recent-title' }, h('h2', { id: 'imports-recent-title' }, tr(ctx, 'recentTitle')), body);

  // Any error ends the refresh: the list is a convenience, and the page can be reloaded.
  async function load() {
    let items;
    try {
      ({ items } = /** @type {{ items: ImportJob[] }} */ (await ctx.api.get('/imports?limit=10')));
    } catch (err) {
      body.replaceChildren(errorBox(ctx, err));
      return null;
    }
    body.replaceChildren(items.length === 0 ? emptyState(ctx, tr(ctx, 'noImports')) : recentTable(ctx, items));
    return items.some((job) => !FINISHED.has(job.status)) ? LIST_POLL_MS : null;
  }
  poll(ctx, load, LIST_POLL_MS).now();
  return section;
}
