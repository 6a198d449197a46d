import { ApiError } from '../../lib/api.js';

/**
 * What to tell the officer about a refused upload, in their language.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 */

/** Words of the imports page (the locale test reads `tr('…')` keys against this namespace). @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

/** The parts of a `bad_columns` message ("missing columns: a; unknown columns: b; expected …"). */
const COLUMN_PARTS = /** @type {const} */ ([
  [/^missing columns: (.+)$/, 'errMissingColumns'],
  [/^unknown columns: (.+)$/, 'errUnknownColumns'],
  [/^repeated columns: (.+)$/, 'errRepeatedColumns'],
  [/^expected (.+)$/, 'expectedColumns'],
]);

/**
 * Lines to show, the first as the title. Whole-file codes come from
 * docs/imports.md; `bad_columns` names the columns in its message, which is
 * shown part by part.
 * @param {PageContext} ctx @param {unknown} err
 */
export function uploadErrorLines(ctx, err) {
  const e = err instanceof ApiError ? err : null;
  const message = e?.message ?? '';
  switch (e?.code) {
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
      if (e?.status === 413) return [tr(ctx, 'errTooLarge')];
      if (e?.status === 403) return [tr(ctx, 'errForbidden')];
      return [tr(ctx, 'errGeneric'), message].filter(Boolean);
  }
}
