import { KINDS } from './shared.js';

/**
 * The columns an import reads, as the server's row parsers define them (GET
 * /imports/columns): which are required, what each holds, the header line to
 * copy, and an example file to download.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').ImportColumns} ImportColumns
 * @typedef {import('../../lib/api-types.js').ImportKind} ImportKind
 */

/** Words of the imports page (the locale test reads `tr('…')` keys against this namespace). @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

/** The help text of a column: `bhxh_code` → `colBhxhCode`. @param {string} name */
const helpKey = (name) => `col${name.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('')}`;

/** @param {PageContext} ctx @param {ImportColumns} columns */
export function columnGuide(ctx, columns) {
  const { h } = ctx;
  const el = h('div', { class: 'imports-columns' });
  /** @type {string | null} */
  let exampleUrl = null;
  ctx.onDispose(() => {
    if (exampleUrl) URL.revokeObjectURL(exampleUrl);
  });

  /** @param {ImportKind} kind */
  function show(kind) {
    const spec = columns.kinds.find((k) => k.kind === kind);
    if (!spec) return;
    const names = spec.columns.map((c) => c.name);
    if (exampleUrl) URL.revokeObjectURL(exampleUrl);
    // With a byte-order mark, as spreadsheet programs need to show Vietnamese from a CSV.
    const example = names.map((name) => spec.example[name] ?? '').join(',');
    exampleUrl = URL.createObjectURL(new Blob([`\uFEFF${names.join(',')}\r\n${example}\r\n`], { type: 'text/csv;charset=utf-8' }));
    el.replaceChildren(
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
            h('tbody', {}, spec.columns.map(({ name, required }) =>
              h('tr', {}, h('th', { scope: 'row' }, h('code', {}, name)), h('td', {}, tr(ctx, required ? 'required' : 'optional')), h('td', {}, tr(ctx, helpKey(name)))),
            )),
          ),
        ),
      ),
      // <wbr> after each comma lets the long header wrap between column names, not inside one.
      h('p', { class: 'imports-example' }, tr(ctx, 'exampleHeader'), ' ', h('code', { 'data-testid': 'example-header' }, names.map((name, i) => (i === 0 ? name : [',', h('wbr'), name])))),
      h('p', {}, h('a', { href: exampleUrl, download: KINDS[kind].exampleFile, class: 'imports-example-link' }, tr(ctx, 'downloadExample'))),
    );
  }

  return { el, show };
}
