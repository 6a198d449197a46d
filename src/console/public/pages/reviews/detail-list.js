/**
 * A titled description list from [label, value] pairs, as both review cards show their facts.
 * @param {import('../../lib/types.js').PageContext} ctx
 * @param {string} title @param {[string, unknown][]} pairs null, undefined and '' values are left out
 */
export function detailList(ctx, title, pairs) {
  const { h } = ctx;
  const rows = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
  return h('section', { class: 'review-section' },
    h('h3', null, title),
    h('dl', { class: 'review-dl' }, rows.map(([label, value]) => [h('dt', null, label), h('dd', null, value)])),
  );
}
