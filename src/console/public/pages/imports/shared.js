import { badge } from '../../lib/ui.js';

/**
 * What the imports screens share: their words, the two kinds, and the status pill.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').ImportKind} ImportKind
 * @typedef {import('../../lib/api-types.js').ImportStatus} ImportStatus
 */

/** Translation in this page's namespace. @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleImports.${key}`, vars);

/** How each kind is named and explained, and the name of its example file. @type {Record<ImportKind, { label: string, help: string, exampleFile: string }>} */
export const KINDS = {
  beneficiaries: { label: 'kindBeneficiaries', help: 'kindBeneficiariesHelp', exampleFile: 'mau-danh-sach-nguoi-huong.csv' },
  ledger: { label: 'kindLedger', help: 'kindLedgerHelp', exampleFile: 'mau-bang-chi-tra.csv' },
};

/** @param {PageContext} ctx @param {string} kind */
export const kindLabel = (ctx, kind) => tr(ctx, kind in KINDS ? KINDS[/** @type {ImportKind} */ (kind)].label : kind);

/** A job in one of these has nothing more to do. @type {ReadonlySet<string>} */
export const FINISHED = new Set(['done', 'failed']);

/** @type {Record<ImportStatus, string>} */
const STATUS_KEYS = { queued: 'statusQueued', running: 'statusRunning', done: 'statusDone', failed: 'statusFailed' };

/** @param {PageContext} ctx @param {ImportStatus} status */
export function statusBadge(ctx, status) {
  return badge(ctx, status, tr(ctx, STATUS_KEYS[status] ?? 'statusQueued'), { 'data-status': status });
}
