/**
 * Imports: upload the beneficiary register or a monthly payment ledger
 * (`#/imports`), then follow one import to its end and read its refused rows
 * (`#/imports/<id>`). The API is documented in docs/imports.md.
 */
import { language } from '../lib/i18n.js';
import { poll } from '../lib/poll.js';
import { badge, button, emptyState, errorBox, pageHeader, progressBar } from '../lib/ui.js';

const POLL_MS = 1000;
/** While an import in the recent list is still running, refresh the list this often. */
const LIST_POLL_MS = 3000;
/** The API's body limits (imports-routes.ts and the admin router's JSON parser). */
const CSV_MAX_BYTES = 50 * 1024 * 1024;
const JSON_MAX_BYTES = 1024 * 1024;
const FINISHED = new Set(['done', 'failed']);

/**
 * The columns each import reads, mirrored from src/domain/import/*-row.ts: the
 * browser has no build step to import them. The example rows are invented.
 */
const KINDS = {
  beneficiaries: {
    label: 'kindBeneficiaries',
    help: 'kindBeneficiariesHelp',
    columns: [
      ['bhxh_code', true, 'colBhxhCode'],
      ['cccd', false, 'colCccd'],
      ['full_name', true, 'colFullName'],
      ['date_of_birth', true, 'colDateOfBirth'],
      ['gender', true, 'colGender'],
      ['phones', false, 'colPhones'],
      ['province_code', true, 'colProvinceCode'],
      ['district_code', false, 'colDistrictCode'],
      ['commune_code', false, 'colCommuneCode'],
      ['benefit_type', true, 'colBenefitType'],
      ['monthly_amount', true, 'colMonthlyAmount'],
      ['payment_method', true, 'colPaymentMethod'],
      ['bank_bin', false, 'colBankBin'],
      ['account_number', false, 'colAccountNumber'],
      ['account_holder', false, 'colAccountHolder'],
    ],
    example: '0100000101,001052000101,Nguyễn Văn An,05/03/1952,nam,0912345678,01,001,00001,hưu trí,4.350.000,bank,970436,1234567890,NGUYEN VAN AN',
    exampleFile: 'mau-danh-sach-nguoi-huong.csv',
  },
  ledger: {
    label: 'kindLedger',
    help: 'kindLedgerHelp',
    columns: [
      ['bhxh_code', true, 'colBhxhCode'],
      ['period', true, 'colPeriod'],
      ['amount', true, 'colAmount'],
      ['method', true, 'colMethod'],
      ['status', true, 'colStatus'],
      ['date', false, 'colDate'],
      ['destination', false, 'colDestination'],
    ],
    example: '0100000101,2026-03,4350000,bank,paid,05/03/2026,Vietcombank 1234567890',
    exampleFile: 'mau-bang-chi-tra.csv',
  },
};

const STATUS_KEYS = { queued: 'statusQueued', running: 'statusRunning', done: 'statusDone', failed: 'statusFailed' };

/** @param {any} ctx */
export async function mount(ctx) {
  ctx.root.append(ctx.h('link', { rel: 'stylesheet', href: '/console/assets/pages/imports.css' }));
  const id = ctx.params[0];
  if (id) await mountJob(ctx, id);
  else mountHome(ctx);
}

/** Translation in this page's namespace. */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

// ---------------------------------------------------------------- #/imports

function mountHome(ctx) {
  const { h } = ctx;
  ctx.root.append(pageHeader(ctx, tr(ctx, 'title')));
  // The API refuses viewers and broadcasters (roles: ['reviewer'] on every import route).
  if (!ctx.can('reviewer')) {
    ctx.root.append(h('p', { class: 'card imports-note' }, tr(ctx, 'notAllowed')));
    return;
  }
  ctx.root.append(uploadForm(ctx), recentImports(ctx));
}

function uploadForm(ctx) {
  const { h } = ctx;
  let kind = ctx.query.get('kind') === 'ledger' ? 'ledger' : 'beneficiaries';
  let busy = false;

  const kindChoices = Object.entries(KINDS).map(([key, spec]) => {
    const inputId = `imports-kind-${key}`;
    return h(
      'div',
      { class: 'imports-kind' },
      h('input', {
        type: 'radio',
        name: 'imports-kind',
        id: inputId,
        value: key,
        checked: key === kind,
        'aria-describedby': `${inputId}-help`,
        'on:change': () => {
          kind = key;
          renderColumns();
        },
      }),
      h('label', { for: inputId }, tr(ctx, spec.label)),
      h('p', { id: `${inputId}-help`, class: 'hint' }, tr(ctx, spec.help)),
    );
  });

  const columnsBox = h('div', { class: 'imports-columns' });
  let exampleUrl = null;
  ctx.onDispose(() => exampleUrl && URL.revokeObjectURL(exampleUrl));
  function renderColumns() {
    const spec = KINDS[kind];
    const header = spec.columns.map(([name]) => name).join(',');
    if (exampleUrl) URL.revokeObjectURL(exampleUrl);
    // With a byte-order mark, as spreadsheet programs need to show Vietnamese from a CSV.
    exampleUrl = URL.createObjectURL(new Blob([`\uFEFF${header}\r\n${spec.example}\r\n`], { type: 'text/csv;charset=utf-8' }));
    columnsBox.replaceChildren(
      h(
        'details',
        { class: 'imports-columns-details' },
        h('summary', {}, tr(ctx, 'columnsToggle')),
        h('p', {}, tr(ctx, 'columnsIntro')),
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data imports-columns-table' },
            h('caption', { class: 'sr-only' }, tr(ctx, 'columnsCaption')),
            h('tbody', {}, spec.columns.map(([name, required, help]) =>
              h('tr', {}, h('th', { scope: 'row' }, h('code', {}, name)), h('td', {}, tr(ctx, required ? 'required' : 'optional')), h('td', {}, tr(ctx, help))),
            )),
          ),
        ),
      ),
      // <wbr> after each comma lets the long header wrap between column names, not inside one.
      h('p', { class: 'imports-example' }, tr(ctx, 'exampleHeader'), ' ', h('code', { 'data-testid': 'example-header' }, spec.columns.map(([name], i) => (i === 0 ? name : [',', h('wbr'), name])))),
      h('p', {}, h('a', { href: exampleUrl, download: spec.exampleFile, class: 'imports-example-link' }, tr(ctx, 'downloadExample'))),
    );
  }
  renderColumns();

  const fileInput = h('input', {
    type: 'file',
    id: 'imports-file',
    name: 'file',
    accept: '.csv,.json,text/csv,application/json',
    'aria-describedby': 'imports-file-hint imports-file-info imports-file-error',
    'on:change': () => showFile(),
  });
  const fileInfo = h('p', { id: 'imports-file-info', class: 'imports-file-info' }, tr(ctx, 'selectedNone'));
  const fileError = h('div', { id: 'imports-file-error', class: 'alert alert-error imports-error', role: 'alert', hidden: true });
  const dropZone = h(
    'div',
    { class: 'imports-drop' },
    h('label', { for: 'imports-file', class: 'imports-file-label' }, tr(ctx, 'chooseFile')),
    fileInput,
    h('p', { id: 'imports-file-hint', class: 'hint' }, tr(ctx, 'dropHint')),
    fileInfo,
    fileError,
  );
  // Drag and drop is a shortcut; the file input is the keyboard path and stays the one source of the file.
  dropZone.addEventListener('dragover', (e) => {
    e.preventDefault();
    dropZone.classList.add('is-dragover');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('is-dragover'));
  dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    dropZone.classList.remove('is-dragover');
    if (e.dataTransfer?.files?.length) {
      fileInput.files = e.dataTransfer.files;
      showFile();
    }
  });

  function showFile() {
    hideError();
    const file = fileInput.files?.[0];
    fileInfo.textContent = file ? tr(ctx, 'fileSelected', { name: file.name, size: fileSize(ctx, file.size) }) : tr(ctx, 'selectedNone');
  }
  function showError(lines) {
    fileError.replaceChildren(...lines.map((line, i) => h('p', { class: i === 0 ? 'imports-error-title' : 'imports-error-detail' }, line)));
    fileError.hidden = false;
    fileInput.setAttribute('aria-invalid', 'true');
  }
  function hideError() {
    fileError.hidden = true;
    fileError.replaceChildren();
    fileInput.removeAttribute('aria-invalid');
  }

  const uploadStatus = h('span', { class: 'imports-upload-status', role: 'status' });
  const submit = button(ctx, tr(ctx, 'upload'), () => void upload(), { variant: 'primary' });
  submit.setAttribute('data-testid', 'imports-upload');

  async function upload() {
    if (busy) return;
    hideError();
    const file = fileInput.files?.[0];
    if (!file) {
      showError([tr(ctx, 'errNoFile')]);
      fileInput.focus();
      return;
    }
    const type = contentTypeOf(file);
    if (!type) return showError([tr(ctx, 'errWrongType')]);
    if (file.size > (type === 'application/json' ? JSON_MAX_BYTES : CSV_MAX_BYTES)) return showError([tr(ctx, 'errTooLarge')]);
    busy = true;
    submit.disabled = true;
    uploadStatus.textContent = tr(ctx, 'uploading');
    try {
      const body = type === 'application/json' ? await jsonRows(file) : file;
      if (!body) return showError([tr(ctx, 'errBadJson')]);
      const job = await ctx.api.upload(`/imports/${kind}`, body, type);
      ctx.navigate(`#/imports/${job.id}`);
    } catch (err) {
      showError(uploadErrorLines(ctx, err));
    } finally {
      busy = false;
      submit.disabled = false;
      uploadStatus.textContent = '';
    }
  }

  return h(
    'form',
    {
      class: 'card imports-form',
      'aria-labelledby': 'imports-upload-title',
      novalidate: true,
      'on:submit': (e) => {
        e.preventDefault();
        void upload();
      },
    },
    h('h2', { id: 'imports-upload-title' }, tr(ctx, 'uploadTitle')),
    h('fieldset', { class: 'imports-kinds' }, h('legend', {}, tr(ctx, 'kindLegend')), kindChoices),
    columnsBox,
    dropZone,
    h('div', { class: 'imports-actions' }, submit, uploadStatus),
  );
}

/** The content type the API expects for this file, or null when it is neither CSV nor JSON. */
function contentTypeOf(file) {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'text/csv';
  if (name.endsWith('.json')) return 'application/json';
  // Windows labels .csv files as Excel documents.
  if (['text/csv', 'text/plain', 'application/vnd.ms-excel'].includes(file.type)) return 'text/csv';
  if (file.type === 'application/json') return 'application/json';
  return null;
}

/**
 * The JSON body the API takes is `{ "rows": [...] }`; a file holding just the
 * array is wrapped rather than refused. Null when the file is not JSON.
 */
async function jsonRows(file) {
  let data;
  try {
    data = JSON.parse(await file.text());
  } catch {
    return null;
  }
  if (Array.isArray(data)) return new Blob([JSON.stringify({ rows: data })], { type: 'application/json' });
  if (data && typeof data === 'object' && Array.isArray(data.rows)) return file;
  return null;
}

const COLUMN_PARTS = [
  [/^missing columns: (.+)$/, 'errMissingColumns'],
  [/^unknown columns: (.+)$/, 'errUnknownColumns'],
  [/^repeated columns: (.+)$/, 'errRepeatedColumns'],
  [/^expected (.+)$/, 'expectedColumns'],
];

/**
 * What to tell the officer about a refused upload, in their language. Whole-file
 * codes come from docs/imports.md; `bad_columns` names the columns in its message
 * ("missing columns: a; unknown columns: b; expected …"), which is shown part by part.
 */
function uploadErrorLines(ctx, err) {
  const code = err?.code;
  const message = typeof err?.message === 'string' ? err.message : '';
  switch (code) {
    case 'bad_columns': {
      const details = message.split('; ').map((part) => {
        for (const [pattern, key] of COLUMN_PARTS) {
          const m = pattern.exec(part.trim());
          if (m) return tr(ctx, key, { columns: m[1] });
        }
        return part;
      });
      return [tr(ctx, 'errBadColumns'), ...details];
    }
    case 'bad_encoding':
      return [tr(ctx, 'errBadEncoding')];
    case 'bad_csv':
      return [tr(ctx, 'errBadCsv')];
    case 'empty_file':
      return [tr(ctx, 'errEmptyFile')];
    case 'too_large':
      return [tr(ctx, 'errTooLarge')];
    case 'malformed_json':
      return [tr(ctx, 'errBadJson')];
    case 'validation_failed':
      return [tr(ctx, 'errBadJson'), message];
    default:
      if (err?.status === 413) return [tr(ctx, 'errTooLarge')];
      if (err?.status === 403) return [tr(ctx, 'errForbidden')];
      return [tr(ctx, 'errGeneric'), message].filter(Boolean);
  }
}

function fileSize(ctx, bytes) {
  if (bytes < 1024) return `${ctx.fmt.number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${ctx.fmt.number(Math.round((bytes / 1024) * 10) / 10)} KB`;
  return `${ctx.fmt.number(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
}

function statusBadge(ctx, status) {
  return badge(ctx, status, tr(ctx, STATUS_KEYS[status] ?? 'statusQueued'), { 'data-status': status });
}

function recentImports(ctx) {
  const { h } = ctx;
  const body = h('div', { class: 'imports-recent-body' });
  const section = h('section', { class: 'imports-recent', 'aria-labelledby': 'imports-recent-title' }, h('h2', { id: 'imports-recent-title' }, tr(ctx, 'recentTitle')), body);

  // Any error ends the refresh: the list is a convenience, and the page can be reloaded.
  async function load() {
    let items;
    try {
      ({ items } = await ctx.api.get('/imports?limit=10'));
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
            h('td', {}, tr(ctx, KINDS[job.kind]?.label ?? job.kind)),
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

// ---------------------------------------------------------------- #/imports/<id>

async function mountJob(ctx, id) {
  const { h } = ctx;
  const path = `/imports/${encodeURIComponent(id)}`;
  const back = h('p', { class: 'imports-back' }, h('a', { href: '#/imports' }, tr(ctx, 'backToImports')));
  const backLink = back.firstChild;

  let job;
  try {
    job = await ctx.api.get(path);
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
    pageHeader(ctx, tr(ctx, 'jobTitle', { kind: tr(ctx, KINDS[job.kind]?.label ?? job.kind) })),
    back,
    h('section', { class: 'card imports-progress', 'aria-label': tr(ctx, 'progressLabel') }, statusLine, bar, counts),
    result,
  );

  let shownStatus = null;
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
      job = await ctx.api.get(path);
    } catch (err) {
      // A blip (network, 5xx) should not end the watch: say so, and poll() keeps asking. A 4xx will not change by asking again.
      if (err?.code !== 'aborted') result.replaceChildren(errorBox(ctx, err));
      throw err;
    }
    result.replaceChildren();
    render(job);
    return FINISHED.has(job.status) ? null : POLL_MS;
  }

  render(job);
  if (!FINISHED.has(job.status)) poll(ctx, tick, POLL_MS, undefined, { retryMs: POLL_MS });
}

/** Summary, failure and refused rows of a finished import. */
function outcome(ctx, job, path) {
  const { h, fmt } = ctx;
  const nodes = [];
  if (job.status === 'failed') {
    const reason = (job.failure ?? '').startsWith('interrupted') ? 'failureInterrupted' : 'failureDatabase';
    nodes.push(h('div', { class: 'card imports-failure', role: 'alert' }, h('h2', {}, tr(ctx, 'failureTitle')), h('p', {}, tr(ctx, reason))));
  }
  const figures = [
    ['summaryCreated', job.created, 'created'],
    ['summaryUpdated', job.updated, 'updated'],
    ['summaryUnchanged', job.unchanged, 'unchanged'],
    ['summaryRejected', job.failed, 'rejected'],
  ];
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
