/**
 * Fraud cases: a filtered, paged list (filters live in the address, so "back"
 * and a shared link keep them) and one case with its evidence photos, status
 * and staff notes. The server decides what a role may do; this page only
 * hides what would be refused (status and notes: reviewer; photos: reviewer).
 */
import { clear, fill } from '../lib/dom.js';
import { badge, button, confirmDialog, emptyState, errorBox, errorMessage, field, nextId, pageHeader } from '../lib/ui.js';

const STATUSES = ['new', 'in_review', 'referred', 'closed'];
const CATEGORIES = ['impersonation', 'fake_app', 'otp_request', 'paid_help', 'other'];
const PAGE_SIZE = 20;
const NOTE_MAX = 2000;
/** Same rule as the API's `q`: letters, digits, dashes. */
const CASE_SEARCH = /^[A-Za-z0-9-]{1,20}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The API filters in the address, dropping anything malformed rather than sending it. */
function filtersOf(query) {
  const out = new URLSearchParams();
  const status = query.get('status');
  const category = query.get('category');
  if (status && STATUSES.includes(status)) out.set('status', status);
  if (category && CATEGORIES.includes(category)) out.set('category', category);
  if (query.get('severity') === 'urgent') out.set('severity', 'urgent');
  for (const key of ['from', 'to']) {
    const value = query.get(key);
    if (value && DAY.test(value)) out.set(key, value);
  }
  const q = query.get('q')?.trim();
  if (q && CASE_SEARCH.test(q)) out.set('q', q);
  return out;
}

const withQuery = (path, params) => (params.toString() ? `${path}?${params}` : path);

/** @param {any} ctx */
export async function mount(ctx) {
  ctx.root.append(ctx.h('link', { rel: 'stylesheet', href: '/console/assets/pages/fraud.css' }));
  if (ctx.params[0]) await mountCase(ctx, ctx.params[0]);
  else await mountList(ctx);
}

function statusBadge(ctx, status) {
  return badge(ctx, status, ctx.t(`consoleFraud.status.${status}`), { 'data-testid': 'status-badge' });
}

function urgentBadge(ctx) {
  return badge(ctx, 'urgent', ctx.t('consoleFraud.urgent'), { title: ctx.t('consoleFraud.urgentHint') });
}

const money = (ctx, amount) => `${ctx.fmt.number(amount)} đ`;

// ---------------------------------------------------------------- list

async function mountList(ctx) {
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
  ctx.root.append(
    pageHeader(ctx, t('consoleFraud.title'), exportLink),
    h('p', { class: 'sr-only', id: 'fraud-export-hint' }, t('consoleFraud.exportHint')),
    filterForm(ctx, filters),
  );

  const status = h('p', { class: 'fraud-count', role: 'status', 'data-testid': 'fraud-count' });
  const results = h('div', { class: 'fraud-results' });
  ctx.root.append(status, results);

  const params = new URLSearchParams(filters);
  params.set('limit', String(PAGE_SIZE));
  const load = () => {
    params.set('offset', String((page - 1) * PAGE_SIZE));
    return ctx.api.get(`/fraud-cases?${params}`);
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
    results.append(errorBox(ctx, err));
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

function filterForm(ctx, filters) {
  const { h, t } = ctx;
  const select = (name, values, labelPrefix) =>
    h('select', { name, 'data-testid': `filter-${name}` },
      h('option', { value: '' }, t('consoleFraud.filters.any')),
      values.map((v) => h('option', { value: v, selected: filters.get(name) === v }, t(`${labelPrefix}${v}`))),
    );
  const statusSelect = select('status', STATUSES, 'consoleFraud.status.');
  const categorySelect = select('category', CATEGORIES, 'consoleFraud.category.');
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
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const text = q.value.trim();
    qField.setError('');
    toField.setError('');
    if (text && !CASE_SEARCH.test(text)) {
      qField.setError(t('consoleFraud.filters.qInvalid'));
      q.focus();
      return;
    }
    if (from.value && to.value && from.value > to.value) {
      toField.setError(t('consoleFraud.filters.datesInvalid'));
      to.focus();
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
  return form;
}

function caseTable(ctx, items, filters) {
  const { h, t, fmt } = ctx;
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

function pager(ctx, filters, page, pages) {
  const { h, t } = ctx;
  const hrefFor = (n) => {
    const params = new URLSearchParams(filters);
    if (n > 1) params.set('page', String(n));
    return withQuery('#/fraud', params);
  };
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

// ---------------------------------------------------------------- one case

async function mountCase(ctx, caseNumber) {
  const { h, t } = ctx;
  const listFilters = filtersOf(ctx.query);
  const back = h('a', { href: withQuery('#/fraud', listFilters), class: 'fraud-back', 'data-testid': 'back-to-list' }, `← ${t('consoleFraud.backToList')}`);
  const canAct = ctx.can('reviewer');
  const path = `/fraud-cases/${encodeURIComponent(caseNumber)}`;

  let current;
  try {
    current = await ctx.api.get(path);
  } catch (err) {
    ctx.root.append(back, pageHeader(ctx, t('consoleFraud.caseTitle', { caseNumber })), errorBox(ctx, err));
    return;
  }

  const header = pageHeader(ctx, t('consoleFraud.caseTitle', { caseNumber }));
  const headerBadges = h('span', { class: 'row' });
  header.querySelector('h1')?.after(headerBadges);
  const details = h('section', { class: 'card', 'aria-labelledby': 'fraud-details-title' });
  const photos = photoSection(ctx, current, canAct);
  const statusBox = h('section', { class: 'card', 'aria-labelledby': 'fraud-status-title', hidden: !canAct });
  const notesBox = h('section', { class: 'card', 'aria-labelledby': 'fraud-notes-title' });

  header.classList.add('fraud-case-header');
  ctx.root.append(
    back,
    header,
    h('p', { class: 'alert alert-info', 'data-testid': 'viewer-note', hidden: canAct }, t('consoleFraud.viewerNote')),
    h('div', { class: 'fraud-case-grid' }, details, h('div', { class: 'fraud-side' }, statusBox, photos)),
    notesBox,
  );

  /** Everything but the photos is redrawn after a change; the photos stay (each load is an audited view). */
  function render() {
    fill(headerBadges, statusBadge(ctx, current.status), current.severity === 'urgent' ? urgentBadge(ctx) : null);
    renderDetails(ctx, clear(details), current);
    if (canAct) renderStatusForm(clear(statusBox));
    renderNotes(clear(notesBox));
  }

  async function reload() {
    current = await ctx.api.get(path);
    render();
  }

  function renderStatusForm(box) {
    box.append(h('h2', { id: 'fraud-status-title' }, t('consoleFraud.changeStatus.title')));
    if (current.nextStatuses.length === 0) {
      box.append(h('p', { class: 'muted', tabindex: '-1', 'data-testid': 'status-final' }, t('consoleFraud.changeStatus.final')));
      return;
    }
    const select = h('select', { name: 'status', 'data-testid': 'status-select', required: true },
      h('option', { value: '' }, t('consoleFraud.changeStatus.choose')),
      current.nextStatuses.map((s) => h('option', { value: s }, t(`consoleFraud.status.${s}`))),
    );
    const note = h('textarea', { name: 'note', rows: '3', maxlength: String(NOTE_MAX), 'data-testid': 'status-note' });
    const selectField = field(ctx, { label: t('consoleFraud.changeStatus.label'), input: select });
    const noteField = field(ctx, { label: t('consoleFraud.changeStatus.note'), input: note, hint: t('consoleFraud.changeStatus.noteHint') });
    const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'status-submit' }, t('consoleFraud.changeStatus.submit'));
    const problem = h('div', { role: 'alert' });
    const form = h('form', { novalidate: true }, selectField, noteField, problem, submit);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      clear(problem);
      selectField.setError('');
      const target = select.value;
      if (!target) {
        selectField.setError(t('consoleFraud.changeStatus.required'));
        select.focus();
        return;
      }
      if (target === 'closed') {
        const answer = await confirmDialog(ctx, {
          title: t('consoleFraud.changeStatus.confirmTitle'),
          body: t('consoleFraud.changeStatus.confirmBody', { caseNumber }),
          confirmLabel: t('consoleFraud.changeStatus.confirm'),
        });
        if (!answer.ok) {
          select.focus();
          return;
        }
      }
      submit.disabled = true;
      const text = note.value.trim();
      try {
        const result = await ctx.api.post(`${path}/status`, text ? { status: target, note: text } : { status: target });
        const label = t(`consoleFraud.status.${result.status}`);
        const told = result.reporterNotified ? t('consoleFraud.changeStatus.notified') : t('consoleFraud.changeStatus.notNotified');
        ctx.toast(`${t('consoleFraud.changeStatus.done', { caseNumber, status: label })} ${told}`, 'success');
        await reload();
        statusBox.querySelector('select, [data-testid="status-final"]')?.focus();
      } catch (err) {
        if (err.code === 'invalid_transition') {
          ctx.toast(t('consoleFraud.changeStatus.conflict'), 'error');
          await reload().catch(() => undefined);
          // The form was redrawn (or the case is now final): keep focus in the status box.
          statusBox.querySelector('select, [data-testid="status-final"]')?.focus();
          return;
        }
        problem.append(errorBox(ctx, err));
        submit.disabled = false;
      }
    });
    box.append(form);
  }

  function renderNotes(box) {
    box.append(h('h2', { id: 'fraud-notes-title' }, t('consoleFraud.notes.title')));
    if (current.notes.length === 0) box.append(h('p', { class: 'muted' }, t('consoleFraud.notes.none')));
    else {
      box.append(h('ol', { class: 'fraud-notes', 'data-testid': 'notes' },
        current.notes.map((n) =>
          h('li', { 'data-testid': 'note' },
            h('p', { class: 'fraud-note-text' }, n.text),
            h('p', { class: 'muted fraud-note-meta' }, t('consoleFraud.notes.by', { at: ctx.fmt.dateTime(n.at), by: current.staffLabels[n.by] ?? n.by })),
          ),
        ),
      ));
    }
    if (!canAct) return;
    const text = h('textarea', { name: 'text', rows: '3', maxlength: String(NOTE_MAX), 'data-testid': 'note-text' });
    const textField = field(ctx, { label: t('consoleFraud.notes.label'), input: text, hint: t('consoleFraud.notes.hint') });
    const submit = h('button', { type: 'submit', class: 'btn', 'data-testid': 'note-submit' }, t('consoleFraud.notes.add'));
    const form = h('form', { novalidate: true, class: 'fraud-note-form' }, textField, submit);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const value = text.value.trim();
      textField.setError('');
      if (!value) {
        textField.setError(t('consoleFraud.notes.empty'));
        text.focus();
        return;
      }
      if (value.length > NOTE_MAX) {
        textField.setError(t('consoleFraud.notes.tooLong'));
        text.focus();
        return;
      }
      submit.disabled = true;
      try {
        await ctx.api.post(`${path}/notes`, { text: value });
        ctx.toast(t('consoleFraud.notes.added'), 'success');
        await reload();
        notesBox.querySelector('textarea')?.focus();
      } catch (err) {
        textField.setError(errorMessage(ctx, err));
        submit.disabled = false;
      }
    });
    box.append(form);
  }

  render();
}

function renderDetails(ctx, box, c) {
  const { h, t, fmt } = ctx;
  const row = (key, value, testId) => [h('dt', null, t(`consoleFraud.field.${key}`)), h('dd', { 'data-testid': testId }, value)];
  const moneyLost = !c.moneyLost
    ? t('consoleFraud.no')
    : c.amountLost === null
      ? t('consoleFraud.amountUnknown')
      : t('consoleFraud.amountLost', { amount: money(ctx, c.amountLost) });
  const reporter = c.reporterChannel
    ? t('consoleFraud.reporterVia', {
        channel: t(`consoleFraud.channel.${c.reporterChannel}`),
        language: t(`consoleFraud.language.${c.reporterLocale}`),
      })
    : t('consoleFraud.reporterErased');
  box.append(
    h('h2', { id: 'fraud-details-title' }, t('consoleFraud.details')),
    h('dl', { class: 'fraud-dl' },
      row('category', t(`consoleFraud.category.${c.category}`), 'case-category'),
      row('severity', c.severity === 'urgent' ? [urgentBadge(ctx), ' ', t('consoleFraud.urgentHint')] : t('consoleFraud.normal')),
      row('status', statusBadge(ctx, c.status)),
      row('createdAt', fmt.dateTime(c.createdAt)),
      row('updatedAt', fmt.dateTime(c.updatedAt)),
      row('province', c.provinceCode ?? t('consoleFraud.noProvince')),
      row('moneyLost', moneyLost, 'case-money'),
      row('scammerContact', c.scammerContact ? h('span', { class: 'mono' }, c.scammerContact) : t('consoleFraud.none')),
      row('reporter', reporter, 'case-reporter'),
      c.reporterChannel ? row('reporterContact', t('consoleFraud.reporterContactHidden'), 'case-reporter-contact') : null,
      row('staffAlertedAt', c.staffAlertedAt ? fmt.dateTime(c.staffAlertedAt) : t('consoleFraud.notAlerted')),
    ),
    h('h3', null, t('consoleFraud.field.description')),
    h('blockquote', { class: 'fraud-description', 'data-testid': 'case-description' }, c.description),
    c.description.includes('***') ? h('p', { class: 'muted' }, t('consoleFraud.descriptionNote')) : null,
  );
}

/**
 * Thumbnails that open a larger view in a modal dialog (arrow keys move between
 * photos, Escape closes, focus returns to the thumbnail). Each image is an
 * admin API URL: same origin, the session cookie authenticates it.
 */
function photoSection(ctx, c, canView) {
  const { h, t } = ctx;
  const count = c.photoCount;
  const section = h('section', { class: 'card', 'aria-labelledby': 'fraud-photos-title', 'data-testid': 'photos' },
    h('h2', { id: 'fraud-photos-title' }, t('consoleFraud.photos.title')),
  );
  if (count === 0) {
    section.append(h('p', { class: 'muted' }, t('consoleFraud.photos.none')));
    return section;
  }
  if (!canView) {
    section.append(h('p', { class: 'muted', 'data-testid': 'photos-reviewer-only' }, t('consoleFraud.photos.reviewerOnly', { count: ctx.fmt.number(count) })));
    return section;
  }
  const urlOf = (i) => ctx.api.url(`/fraud-cases/${encodeURIComponent(c.caseNumber)}/photos/${i}`);
  const labels = (i) => ({ index: ctx.fmt.number(i + 1), count: ctx.fmt.number(count), caseNumber: c.caseNumber });
  const failed = new Set();

  const thumbs = Array.from({ length: count }, (_, i) => {
    const img = h('img', { src: urlOf(i), alt: t('consoleFraud.photos.alt', labels(i)), class: 'fraud-thumb-img', 'data-testid': 'photo-thumb' });
    const open = h('button', { type: 'button', class: 'fraud-thumb', 'aria-label': t('consoleFraud.photos.open', labels(i)), 'on:click': () => show(i) }, img);
    const item = h('li', null, open);
    img.addEventListener('error', () => {
      failed.add(i);
      item.replaceChildren(h('p', { class: 'fraud-photo-failed', 'data-testid': 'photo-failed' }, t('consoleFraud.photos.failed', labels(i))));
    });
    return { item, open };
  });
  section.append(
    h('ul', { class: 'fraud-thumbs' }, thumbs.map((th) => th.item)),
    h('p', { class: 'muted fraud-audited' }, t('consoleFraud.photos.audited')),
  );

  const titleId = nextId('photo-title');
  const title = h('h2', { id: titleId });
  const large = h('img', { class: 'fraud-large', alt: '', 'data-testid': 'photo-large' });
  const prev = button(ctx, t('consoleFraud.photos.previous'), () => move(-1), { testId: 'photo-previous' });
  const next = button(ctx, t('consoleFraud.photos.next'), () => move(1), { testId: 'photo-next' });
  const close = button(ctx, t('consoleFraud.photos.close'), () => dialog.close(), { variant: 'primary', testId: 'photo-close' });
  const dialog = h('dialog', { class: 'fraud-viewer', 'aria-labelledby': titleId, 'data-testid': 'photo-viewer' },
    title,
    h('div', { class: 'fraud-large-wrap' }, large),
    h('div', { class: 'row' }, count > 1 ? [prev, next] : null, h('span', { class: 'fraud-spacer' }), close),
  );
  let showing = 0;
  function paint() {
    title.textContent = t('consoleFraud.photos.viewerTitle', labels(showing));
    large.src = urlOf(showing);
    large.alt = t('consoleFraud.photos.alt', labels(showing));
  }
  function show(i) {
    showing = i;
    paint();
    if (!dialog.isConnected) document.body.append(dialog);
    dialog.showModal();
    close.focus();
  }
  function move(step) {
    // Skip photos that failed to load: the dialog would only show a broken image.
    for (let k = 1; k <= count; k++) {
      const i = (showing + step * k + count * count) % count;
      if (!failed.has(i)) {
        showing = i;
        break;
      }
    }
    paint();
  }
  dialog.addEventListener('keydown', (ev) => {
    if (count < 2) return;
    if (ev.key === 'ArrowRight') move(1);
    else if (ev.key === 'ArrowLeft') move(-1);
    else return;
    ev.preventDefault();
  });
  dialog.addEventListener('close', () => {
    large.removeAttribute('src');
    thumbs[showing]?.open.focus();
  });
  ctx.onDispose(() => {
    if (dialog.open) dialog.close();
    dialog.remove();
  });
  return section;
}
