import { button, errorBox } from '../../lib/ui.js';
import { columnGuide } from './column-guide.js';
import { fileChooser } from './file-chooser.js';
import { uploadErrorLines } from './upload-errors.js';
import { KINDS } from './shared.js';

/**
 * The upload form (#/imports): which kind of file, its columns, the file, and
 * the upload that starts the import job.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').ImportColumns} ImportColumns
 * @typedef {import('../../lib/api-types.js').ImportKind} ImportKind
 * @typedef {import('../../lib/api-types.js').ImportJob} ImportJob
 */

/** Words of the imports page (the locale test reads `tr('…')` keys against this namespace). @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

/** @param {File} file @returns {'text/csv' | 'application/json' | null} the content type the API expects, or null when it is neither CSV nor JSON */
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
 * @param {File} file @returns {Promise<Blob | null>}
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

/**
 * @param {PageContext} ctx
 * @param {{ columns: ImportColumns } | { error: unknown }} loaded the server's columns and limits, or why they did not come
 */
export function uploadForm(ctx, loaded) {
  const columns = 'columns' in loaded ? loaded.columns : null;
  const { h } = ctx;
  /** @type {ImportKind} */
  let kind = ctx.query.get('kind') === 'ledger' ? 'ledger' : 'beneficiaries';
  let busy = false;
  const guide = columns ? columnGuide(ctx, columns) : null;
  const chooser = fileChooser(ctx);

  const kindChoices = /** @type {ImportKind[]} */ (Object.keys(KINDS)).map((key) => {
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
          guide?.show(kind);
        },
      }),
      h('label', { for: inputId }, tr(ctx, KINDS[key].label)),
      h('p', { id: `${inputId}-help`, class: 'hint' }, tr(ctx, KINDS[key].help)),
    );
  });
  guide?.show(kind);

  const uploadStatus = h('span', { class: 'imports-upload-status', role: 'status' });
  const submit = button(ctx, tr(ctx, 'upload'), () => void upload(), { variant: 'primary' });
  submit.setAttribute('data-testid', 'imports-upload');

  async function upload() {
    if (busy) return;
    chooser.hideError();
    const file = chooser.file();
    if (!file) {
      chooser.showError([tr(ctx, 'errNoFile')]);
      chooser.input.focus();
      return;
    }
    const type = contentTypeOf(file);
    if (!type) return chooser.showError([tr(ctx, 'errWrongType')]);
    // The server's body limits, so a large file is refused before it is sent (the server refuses it anyway).
    const max = columns ? (type === 'application/json' ? columns.limits.jsonBytes : columns.limits.csvBytes) : Infinity;
    if (file.size > max) return chooser.showError([tr(ctx, 'errTooLarge')]);
    busy = true;
    submit.disabled = true;
    uploadStatus.textContent = tr(ctx, 'uploading');
    try {
      const body = type === 'application/json' ? await jsonRows(file) : file;
      if (!body) return chooser.showError([tr(ctx, 'errBadJson')]);
      const job = /** @type {ImportJob} */ (await ctx.api.upload(`/imports/${kind}`, body, type));
      ctx.navigate(`#/imports/${job.id}`);
    } catch (err) {
      chooser.showError(uploadErrorLines(ctx, err));
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
      'on:submit': (/** @type {Event} */ e) => {
        e.preventDefault();
        void upload();
      },
    },
    h('h2', { id: 'imports-upload-title' }, tr(ctx, 'uploadTitle')),
    h('fieldset', { class: 'imports-kinds' }, h('legend', {}, tr(ctx, 'kindLegend')), kindChoices),
    guide?.el ?? errorBox(ctx, 'error' in loaded ? loaded.error : null),
    chooser.el,
    h('div', { class: 'imports-actions' }, submit, uploadStatus),
  );
}
