import { language } from '../../lib/i18n.js';
import { poll } from '../../lib/poll.js';
import { ApiError } from '../../lib/api.js';
import { errorBox, pageHeader, progressBar } from '../../lib/ui.js';
import { FINISHED, kindLabel, statusBadge } from './shared.js';

/**
 * One import (#/imports/<id>): its progress while it runs, then its summary,
 * failure and refused rows.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').ImportJob} ImportJob
 */

/** Words of the imports page (the locale test reads `tr('…')` keys against this namespace). @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

const POLL_MS = 1000;

/** Summary, failure and refused rows of a finished import. @param {PageContext} ctx @param {ImportJob} job @param {string} path */
function outcome(ctx, job, path) {
  const { h, fmt } = ctx;
  const nodes = [];
  if (job.status === 'failed') {
    const reason = (job.failure ?? '').startsWith('interrupted') ? 'failureInterrupted' : 'failureDatabase';
    nodes.push(h('div', { class: 'card imports-failure', role: 'alert' }, h('h2', {}, tr(ctx, 'failureTitle')), h('p', {}, tr(ctx, reason))));
  }
  const figures = /** @type {const} */ ([
    ['summaryCreated', job.created, 'created'],
    ['summaryUpdated', job.updated, 'updated'],
    ['summaryUnchanged', job.unchanged, 'unchanged'],
    ['summaryRejected', job.failed, 'rejected'],
  ]);
  nodes.push(
    h(
      'section',
      { class: 'card imports-summary', 'aria-labelledby': 'imports-summary-title' },
      h('h2', { id: 'imports-summary-title' }, tr(ctx, 'summaryTitle')),
      h('dl', { class: 'imports-figures' }, figures.map(([key, value, name]) =>
        h('div', { class: `imports-figure imports-figure-${name}`, 'data-figure': name }, h('dt', {}, tr(ctx, key)), h('dd', {}, fmt.number(value))),
      )),
    ),
  );

  const errors = job.errors ?? [];
  if (job.failed === 0 && errors.length === 0) {
    nodes.push(h('p', { class: 'imports-no-errors' }, tr(ctx, 'noRowErrors')));
    return nodes;
  }
  // The server words each reason in both languages; show the officer's.
  const english = language() === 'en';
  nodes.push(
    h(
      'section',
      { class: 'card imports-errors', 'aria-labelledby': 'imports-errors-title' },
      h('h2', { id: 'imports-errors-title' }, tr(ctx, 'errorsTitle')),
      h('p', {}, h('a', { href: ctx.api.url(`${path}/errors.csv`), download: `import-${job.id}-errors.csv`, class: 'btn', 'data-testid': 'imports-errors-download' }, tr(ctx, 'downloadErrors'))),
      errors.length === 0
        ? null
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'data imports-errors-table' },
              h('caption', {}, tr(ctx, 'errorsCaption', { shown: fmt.number(errors.length), failed: fmt.number(job.failed) })),
              h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, tr(ctx, 'errorsRow')), h('th', { scope: 'col' }, tr(ctx, 'errorsColumn')), h('th', { scope: 'col' }, tr(ctx, 'errorsReason')))),
              h(
                'tbody',
                {},
                errors.map((e) =>
                  h('tr', { 'data-code': e.code }, h('td', { class: 'num' }, String(e.row)), h('td', {}, h('code', {}, e.column)), h('td', {}, english ? e.messageEn : e.messageVi)),
                ),
              ),
            ),
          ),
    ),
  );
  return nodes;
}

/** @param {PageContext} ctx @param {string} id */
export async function importJobPage(ctx, id) {
  const { h } = ctx;
  const path = `/imports/${encodeURIComponent(id)}`;
  const backLink = h('a', { href: '#/imports' }, tr(ctx, 'backToImports'));
  const back = h('p', { class: 'imports-back' }, backLink);

  /** @type {ImportJob} */
  let job;
  try {
    job = /** @type {ImportJob} */ (await ctx.api.get(path));
  } catch (err) {
    ctx.root.append(pageHeader(ctx, tr(ctx, 'title')), back, errorBox(ctx, err));
    return;
  }
  // Back to the form with this import's kind chosen: the next file is usually of the same kind.
  backLink.setAttribute('href', `#/imports?kind=${job.kind}`);

  const badgeSlot = h('span', { class: 'imports-status' });
  const counts = h('p', { class: 'imports-progress-text', 'data-testid': 'imports-progress-text' });
  const bar = progressBar(ctx, { value: 0, max: 1, label: tr(ctx, 'progressLabel') });
  const result = h('div', { class: 'imports-result' });
  const statusLine = h('p', { role: 'status', class: 'imports-status-line' }, tr(ctx, 'status'), ': ', badgeSlot);
  ctx.root.append(
    pageHeader(ctx, tr(ctx, 'jobTitle', { kind: kindLabel(ctx, job.kind) })),
    back,
    h('section', { class: 'card imports-progress', 'aria-label': tr(ctx, 'progressLabel') }, statusLine, bar, counts),
    result,
  );

  /** @type {string | null} */
  let shownStatus = null;
  /** @param {ImportJob} view */
  function render(view) {
    const finished = FINISHED.has(view.status);
    // An empty file finishes with total 0: show a full bar rather than an empty one.
    const max = Math.max(view.total, 1);
    bar.update(view.total === 0 && finished ? 1 : view.processed, max);
    counts.textContent = tr(ctx, 'progressRows', { processed: ctx.fmt.number(view.processed), total: ctx.fmt.number(view.total) });
    if (view.status !== shownStatus) {
      badgeSlot.replaceChildren(statusBadge(ctx, view.status));
      shownStatus = view.status;
    }
    if (finished) result.replaceChildren(...outcome(ctx, view, path));
  }

  async function tick() {
    try {
      job = /** @type {ImportJob} */ (await ctx.api.get(path));
    } catch (err) {
      // A blip (network, 5xx) should not end the watch: say so, and poll() keeps asking. A 4xx will not change by asking again.
      if (!(err instanceof ApiError && err.code === 'aborted')) result.replaceChildren(errorBox(ctx, err));
      throw err;
    }
    result.replaceChildren();
    render(job);
    return FINISHED.has(job.status) ? null : POLL_MS;
  }

  render(job);
  if (!FINISHED.has(job.status)) poll(ctx, tick, POLL_MS, undefined, { retryMs: POLL_MS });
}
