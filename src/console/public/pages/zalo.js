/**
 * Zalo template messages (`#/zalo`): the templates Zalo approved for the OA,
 * read again on demand, today's quota, and which template carries each kind of
 * notice to people beyond Zalo's 7-day window. Shown only where the OA runs.
 *
 * @typedef {import('../lib/types.js').PageContext} PageContext
 * @typedef {import('../lib/api-types.js').ZaloTemplate} ZaloTemplate
 * @typedef {import('../lib/api-types.js').NoticeMapping} NoticeMapping
 * @typedef {import('../lib/api-types.js').ZaloQuota} ZaloQuota
 */
import { fill } from '../lib/dom.js';
import { badge, button, emptyState, errorBox, pageHeader } from '../lib/ui.js';

/** Words of this page. @param {PageContext} ctx @param {string} key @param {Record<string, unknown>} [vars] */
const tr = (ctx, key, vars) => ctx.t(`consoleZalo.${key}`, vars);

/** Zalo's template statuses as staff read them; anything else is shown as Zalo wrote it. */
const STATUSES = ['ENABLE', 'PENDING_REVIEW', 'REJECT', 'DISABLE'];

/** The console's badge look for each status. */
const LOOK = /** @type {Record<string, string>} */ ({ ENABLE: 'approved', PENDING_REVIEW: 'pending', REJECT: 'rejected', DISABLE: 'rejected' });

/** @param {PageContext} ctx @param {ZaloTemplate} t */
function statusBadge(ctx, t) {
  if (t.gone) return badge(ctx, 'draft', tr(ctx, 'status.gone'), { 'data-status': 'gone' });
  const known = STATUSES.includes(t.status);
  return badge(ctx, LOOK[t.status] ?? 'draft', known ? tr(ctx, `status.${t.status}`) : t.status, { 'data-status': t.status });
}

/** @param {PageContext} ctx @param {ZaloTemplate[]} items */
function templatesTable(ctx, items) {
  const { h } = ctx;
  if (items.length === 0) return emptyState(ctx, tr(ctx, 'templates.empty'));
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'table', 'data-testid': 'zalo-templates' },
      h('caption', { class: 'sr-only' }, tr(ctx, 'templates.heading')),
      h('thead', null, h('tr', null, ['name', 'status', 'params', 'price'].map((c) => h('th', { scope: 'col' }, tr(ctx, `templates.${c}`))))),
      h('tbody', null, items.map((t) =>
        h('tr', { 'data-template': t.id },
          h('td', null, h('strong', null, t.name), h('br'), h('small', { class: 'muted' }, t.id)),
          h('td', null, statusBadge(ctx, t)),
          h('td', null, h('ul', { class: 'plain' }, t.params.map((p) => h('li', null, tr(ctx, p.required ? 'templates.param' : 'templates.paramOptional', { name: p.name, max: p.maxLength }))))),
          h('td', null, t.price === null ? '—' : tr(ctx, 'templates.priceValue', { price: ctx.fmt.number(t.price) })),
        ),
      )),
    ),
  );
}

/** @param {PageContext} ctx @param {NoticeMapping[]} items */
function mappingsTable(ctx, items) {
  const { h } = ctx;
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'table', 'data-testid': 'zalo-mappings' },
      h('caption', { class: 'sr-only' }, tr(ctx, 'mappings.heading')),
      h('thead', null, h('tr', null, ['kind', 'template', 'state'].map((c) => h('th', { scope: 'col' }, tr(ctx, `mappings.${c}`))))),
      h('tbody', null, items.map((m) =>
        h('tr', { 'data-kind': m.kind },
          h('td', null, tr(ctx, `kinds.${m.kind}`)),
          h('td', null, m.template ? `${m.template.name} (${m.template.id})` : tr(ctx, 'mappings.none')),
          h('td', null, m.usable ? badge(ctx, 'approved', tr(ctx, 'mappings.usable')) : badge(ctx, m.templateId ? 'rejected' : 'draft', tr(ctx, m.templateId ? 'mappings.unusable' : 'mappings.unmapped'))),
        ),
      )),
    ),
  );
}

/** @param {PageContext} ctx */
export async function mount(ctx) {
  const { h, api } = ctx;
  const quota = h('p', { class: 'muted', 'data-testid': 'zalo-quota' });
  const templates = h('div');
  const mappings = h('div');
  const sync = ctx.may('postZaloTemplatesSync')
    ? button(ctx, tr(ctx, 'sync'), async () => {
        sync?.setAttribute('disabled', '');
        try {
          const result = /** @type {{ templates: number, enabled: number, gone: number }} */ (await api.post('/zalo/templates/sync'));
          ctx.toast(tr(ctx, 'synced', result), 'success');
          await load();
        } catch (err) {
          ctx.toast(tr(ctx, 'syncFailed'), 'error');
          fill(templates, errorBox(ctx, err));
        } finally {
          sync?.removeAttribute('disabled');
        }
      }, { variant: 'primary', testId: 'zalo-sync' })
    : null;
  ctx.root.append(
    pageHeader(ctx, tr(ctx, 'title'), sync),
    h('p', null, tr(ctx, 'intro')),
    quota,
    h('section', { class: 'card' }, h('h2', null, tr(ctx, 'templates.heading')), templates),
    h('section', { class: 'card' }, h('h2', null, tr(ctx, 'mappings.heading')), h('p', { class: 'muted' }, tr(ctx, 'mappings.intro')), mappings),
  );

  async function load() {
    const [list, kinds] = await Promise.all([
      api.get('/zalo/templates').then((r) => /** @type {{ items: ZaloTemplate[] }} */ (r).items, (err) => err),
      api.get('/zalo/notice-templates').then((r) => /** @type {{ items: NoticeMapping[] }} */ (r).items, (err) => err),
    ]);
    fill(templates, Array.isArray(list) ? templatesTable(ctx, list) : errorBox(ctx, list));
    fill(mappings, Array.isArray(kinds) ? mappingsTable(ctx, kinds) : errorBox(ctx, kinds));
    // Zalo may be unreachable: the rest of the page does not depend on it.
    api.get('/zalo/quota').then(
      (q) => fill(quota, tr(ctx, 'quota', { remaining: ctx.fmt.number(/** @type {ZaloQuota} */ (q).remaining), daily: ctx.fmt.number(/** @type {ZaloQuota} */ (q).daily) })),
      () => fill(quota, tr(ctx, 'quotaUnknown')),
    );
  }
  await load();
}
