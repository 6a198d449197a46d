/**
 * The file to import: a file input (the keyboard path, and the one source of
 * the file) inside a zone a file can be dropped on, with the chosen file's
 * name and size and the reason it was refused.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 */

/** Words of the imports page (the locale test reads `tr('…')` keys against this namespace). @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

/** @param {PageContext} ctx @param {number} bytes */
function fileSize(ctx, bytes) {
  if (bytes < 1024) return `${ctx.fmt.number(bytes)} B`;
  if (bytes < 1024 * 1024) return `${ctx.fmt.number(Math.round((bytes / 1024) * 10) / 10)} KB`;
  return `${ctx.fmt.number(Math.round((bytes / (1024 * 1024)) * 10) / 10)} MB`;
}

/** @param {PageContext} ctx */
export function fileChooser(ctx) {
  const { h } = ctx;
  const input = h('input', {
    type: 'file',
    id: 'imports-file',
    name: 'file',
    accept: '.csv,.json,text/csv,application/json',
    'aria-describedby': 'imports-file-hint imports-file-info imports-file-error',
    'on:change': () => showFile(),
  });
  const info = h('p', { id: 'imports-file-info', class: 'imports-file-info' }, tr(ctx, 'selectedNone'));
  const error = h('div', { id: 'imports-file-error', class: 'alert alert-error imports-error', role: 'alert', hidden: true });
  const el = h(
    'div',
    { class: 'imports-drop' },
    h('label', { for: 'imports-file', class: 'imports-file-label' }, tr(ctx, 'chooseFile')),
    input,
    h('p', { id: 'imports-file-hint', class: 'hint' }, tr(ctx, 'dropHint')),
    info,
    error,
  );
  // Drag and drop is a shortcut; the file input is the keyboard path and stays the one source of the file.
  el.addEventListener('dragover', (e) => {
    e.preventDefault();
    el.classList.add('is-dragover');
  });
  el.addEventListener('dragleave', () => el.classList.remove('is-dragover'));
  el.addEventListener('drop', (e) => {
    e.preventDefault();
    el.classList.remove('is-dragover');
    if (e.dataTransfer?.files?.length) {
      input.files = e.dataTransfer.files;
      showFile();
    }
  });

  function showFile() {
    hideError();
    const file = input.files?.[0];
    info.textContent = file ? tr(ctx, 'fileSelected', { name: file.name, size: fileSize(ctx, file.size) }) : tr(ctx, 'selectedNone');
  }
  /** @param {string[]} lines the first is the title */
  function showError(lines) {
    error.replaceChildren(...lines.map((line, i) => h('p', { class: i === 0 ? 'imports-error-title' : 'imports-error-detail' }, line)));
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
  }
  function hideError() {
    error.hidden = true;
    error.replaceChildren();
    input.removeAttribute('aria-invalid');
  }

  return { el, input, file: () => input.files?.[0] ?? null, showError, hideError };
}
