import { ApiError } from '../../lib/api.js';
import { emptyState, errorBox, field, nextId, pageHeader } from '../../lib/ui.js';
import { vocabulary } from '../../lib/vocabulary.js';
import { filtersOf, money, statusBadge, urgentBadge, withQuery } from './shared.js';

/**
 * Fraud cases (#/fraud): a filtered, paged list. Filters live in the address,
 * so "back" and a shared link keep them.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').FraudCase} FraudCase
 */

const PAGE_SIZE = 20;

/** @param {PageContext} ctx @param {URLSearchParams} filters */
function filterForm(ctx, filters) {
  const { h, t } = ctx;
  const { fraudStatuses, fraudCategories } = vocabulary();
  /** @param {string} name @param {string[]} values @param {string} labelPrefix */
  const select = (name, values, labelPrefix) =>
    h('select', { name, 'data-testid': `filter-${name}` },
      h('option', { value: '' }, t('consoleFraud.filters.any')),
      values.map((v) => h('option', { value: v, selected: filters.get(name) === v }, t(`${labelPrefix}${v}`))),
    );
  const statusSelect = select('status', fraudStatuses, 'consoleFraud.status.');
  const categorySelect = select('category', fraudCategories, 'consoleFraud.category.');
  const urgent = h('input', { type: 'checkbox', name: 'urgent', id: nextId('urgent'), checked: filters.get('severity') === 'urgent', 'data-testid': 'filter-urgent' });
  const from = h('input', { type: 'date', name: 'from', value: filters.get('from') ?? '', 'data-testid': 'filter-from' });
  const to = h('input', { type: 'date', name: 'to', value: filters.get('to') ?? '', 'data-testid': 'filter-to' });
  const q = h('input', { type: 'search', name: 'q', value: filters.get('q') ?? '', maxlength: '20', autocomplete: 'off', spellcheck: 'false', 'data-testid': 'filter-q' });
  const qField = field(ctx, { label: t('consoleFraud.filters.q'), input: q, hint: t('consoleFraud.filters.qHint') });
  const toField = field(ctx, { label: t('consoleFraud.filters.to'), input: to });

  const form = h('form', { class: 'card fraud-filters', role: 'search', 'aria-label': t('consoleFraud.filters.legend'), novalidate: true },
    h('div', { class: 'fraud-filter-grid' },
      qField,
      field(ctx, { label: t('consoleFraud.filters.status'), input: statusSelect }),
      field(ctx, { label: t('consoleFraud.filters.category'), input: categorySelect }),
      field(ctx, { label: t('consoleFraud.filters.from'), input: from }),
      toField,
    ),
    h('div', { class: 'row' },
      h('div', { class: 'fraud-check' }, urgent, h('label', { for: urgent.id }, t('consoleFraud.filters.urgentOnly'))),
      h('span', { class: 'fraud-spacer' }),
      h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'filter-apply' }, t('consoleFraud.filters.apply')),
      h('a', { class: 'btn btn-plain', href: '#/fraud', 'data-testid': 'filter-clear' }, t('consoleFraud.filters.clear')),
    ),
  );
  const refuseSearch = () => {
    qField.setError(t('consoleFraud.filters.qInvalid'));
    q.focus();
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const text = q.value.trim();
    qField.setError('');
    toField.setError('');
    if (from.value && to.value && from.value > to.value) {
      toField.setError(t('consoleFraud.filters.datesInvalid'));
      to.focus();
      return;
    }
    // The server says what a case-number search may hold; a refused one keeps the filters shown.
    if (text && (await searchRefused(ctx, text))) {
      refuseSearch();
      return;
    }
    const next = new URLSearchParams();
    if (text) next.set('q', text);
    if (statusSelect.value) next.set('status', statusSelect.value);
    if (categorySelect.value) next.set('category', categorySelect.value);
    if (urgent.checked) next.set('severity', 'urgent');
    if (from.value) next.set('from', from.value);
    if (to.value) next.set('to', to.value);
    ctx.navigate(withQuery('#/fraud', next));
  });
  /** The server refused the search text (the search takes part of a case number). */
  return { el: form, refuseSearch };
}

/**
 * Whether the API refuses `text` as a case-number search: asked of the list
 * route itself (one case at most), so the console keeps no copy of the rule.
 * @param {PageContext} ctx @param {string} text
 */
async function searchRefused(ctx, text) {
  try {
    await ctx.api.get(`/fraud-cases?${new URLSearchParams({ q: text, limit: '1' })}`);
    return false;
  } catch (err) {
    return err instanceof ApiError && err.code === 'validation_failed' && err.field === 'q';
  }
}

/** @param {PageContext} ctx @param {FraudCase[]} items @param {URLSearchParams} filters */
function caseTable(ctx, items, filters) {
  const { h, t, fmt } = ctx;
  /** @param {string} key @param {string} [cls] */
  const col = (key, cls) => h('th', { scope: 'col', class: cls }, t(`consoleFraud.column.${key}`));
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data fraud-table', 'data-testid': 'fraud-table' },
      h('caption', { class: 'sr-only' }, t('consoleFraud.caption')),
      h('thead', null, h('tr', null,
        col('caseNumber'), col('createdAt'), col('category'), col('severity'), col('status'), col('province'), col('photos', 'num'), col('amountLost', 'num'),
      )),
      h('tbody', null, items.map((c) =>
        h('tr', { 'data-testid': 'fraud-row', 'data-case': c.caseNumber },
          h('th', { scope: 'row' }, h('a', { href: withQuery(`#/fraud/${encodeURIComponent(c.caseNumber)}`, filters), class: 'mono' }, c.caseNumber)),
          h('td', null, fmt.dateTime(c.createdAt)),
          h('td', null, t(`consoleFraud.category.${c.category}`)),
          h('td', null, c.severity === 'urgent' ? urgentBadge(ctx) : t('consoleFraud.normal')),
          h('td', null, statusBadge(ctx, c.status)),
          h('td', null, c.provinceCode ?? '—'),
          h('td', { class: 'num' }, fmt.number(c.photoCount)),
          h('td', { class: 'num' }, c.amountLost === null ? '—' : money(ctx, c.amountLost)),
        ),
      )),
    ),
  );
}

/** @param {PageContext} ctx @param {URLSearchParams} filters @param {number} page @param {number} pages */
function pager(ctx, filters, page, pages) {
  const { h, t } = ctx;
  /** @param {number} n */
  const hrefFor = (n) => {
    const params = new URLSearchParams(filters);
    if (n > 1) params.set('page', String(n));
    return withQuery('#/fraud', params);
  };
  /** @param {number} n @param {string} label @param {string} testId */
  const link = (n, label, testId) =>
    n < 1 || n > pages
      ? h('span', { class: 'btn', 'aria-disabled': 'true' }, label)
      : h('a', { class: 'btn', href: hrefFor(n), 'data-testid': testId }, label);
  return h('nav', { class: 'row fraud-pager', 'aria-label': t('consoleFraud.paging') },
    link(page - 1, t('consoleFraud.previous'), 'page-previous'),
    h('span', { 'aria-current': 'page', 'data-testid': 'page-number' }, t('consoleFraud.page', { page: ctx.fmt.number(page), pages: ctx.fmt.number(pages) })),
    link(page + 1, t('consoleFraud.next'), 'page-next'),
  );
}

/** @param {PageContext} ctx */
export async function caseListPage(ctx) {
  const { h, t, fmt } = ctx;
  const filters = filtersOf(ctx.query);
  let page = Math.max(1, Number.parseInt(ctx.query.get('page') ?? '1', 10) || 1);

  const exportLink = h(
    'a',
    {
      class: 'btn',
      href: ctx.api.url(withQuery('/fraud-cases/export.csv', filters)),
      download: 'fraud-cases.csv',
      'aria-describedby': 'fraud-export-hint',
      'data-testid': 'fraud-export',
    },
    t('consoleFraud.export'),
  );
  const form = filterForm(ctx, filters);
  ctx.root.append(
    pageHeader(ctx, t('consoleFraud.title'), exportLink),
    h('p', { class: 'sr-only', id: 'fraud-export-hint' }, t('consoleFraud.exportHint')),
    form.el,
  );

  const status = h('p', { class: 'fraud-count', role: 'status', 'data-testid': 'fraud-count' });
  const results = h('div', { class: 'fraud-results' });
  ctx.root.append(status, results);

  const params = new URLSearchParams(filters);
  params.set('limit', String(PAGE_SIZE));
  const load = async () => {
    params.set('offset', String((page - 1) * PAGE_SIZE));
    return /** @type {{ items: FraudCase[], total: number }} */ (await ctx.api.get(`/fraud-cases?${params}`));
  };
  let answer;
  try {
    answer = await load();
    // A page past the end (an old link, or cases closed since): show the last page instead.
    const last = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
    if (page > last) {
      page = last;
      answer = await load();
    }
  } catch (err) {
    if (err instanceof ApiError && err.code === 'validation_failed' && err.field === 'q') form.refuseSearch();
    else results.append(errorBox(ctx, err));
    return;
  }
  status.textContent = t('consoleFraud.count', { count: fmt.number(answer.total) });
  if (answer.items.length === 0) {
    results.append(emptyState(ctx, t('consoleFraud.empty')));
  } else {
    results.append(caseTable(ctx, answer.items, filters));
  }
  const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
  if (pages > 1) results.append(pager(ctx, filters, page, pages));
}
