import { badge } from '../../lib/ui.js';
import { vocabulary } from '../../lib/vocabulary.js';

/**
 * What the fraud screens share: the filters kept in the address, and the pills.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 */

/**
 * The API filters in the address. A status or category the server does not
 * know is dropped; the rest goes as written, and the server says if it is malformed.
 * @param {URLSearchParams} query
 */
export function filtersOf(query) {
  const out = new URLSearchParams();
  /** @type {{ fraudStatuses: readonly string[], fraudCategories: readonly string[] }} */
  const { fraudStatuses, fraudCategories } = vocabulary();
  const status = query.get('status');
  const category = query.get('category');
  if (status && fraudStatuses.includes(status)) out.set('status', status);
  if (category && fraudCategories.includes(category)) out.set('category', category);
  if (query.get('severity') === 'urgent') out.set('severity', 'urgent');
  for (const key of ['from', 'to', 'q']) {
    const value = query.get(key)?.trim();
    if (value) out.set(key, value);
  }
  return out;
}

/** @param {string} path @param {URLSearchParams} params */
export const withQuery = (path, params) => (params.toString() ? `${path}?${params}` : path);

/** @param {PageContext} ctx @param {string} status */
export function statusBadge(ctx, status) {
  return badge(ctx, status, ctx.t(`consoleFraud.status.${status}`), { 'data-testid': 'status-badge' });
}

/** @param {PageContext} ctx */
export function urgentBadge(ctx) {
  return badge(ctx, 'urgent', ctx.t('consoleFraud.urgent'), { title: ctx.t('consoleFraud.urgentHint') });
}

/** @param {PageContext} ctx @param {number} amount whole đồng */
export const money = (ctx, amount) => `${ctx.fmt.number(amount)} đ`;
