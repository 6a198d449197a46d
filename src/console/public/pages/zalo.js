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
import { badge, button, confirmDialog, emptyState, errorBox, field, pageHeader } from '../lib/ui.js';

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

/**
 * @param {PageContext} ctx @param {NoticeMapping[]} items
 * @param {((m: NoticeMapping) => void) | null} edit opens the editor for a kind; null for staff who may not change mappings
 */
function mappingsTable(ctx, items, edit) {
  const { h } = ctx;
  return h('div', { class: 'table-scroll' },
    h('table', { class: 'table', 'data-testid': 'zalo-mappings' },
      h('caption', { class: 'sr-only' }, tr(ctx, 'mappings.heading')),
      h('thead', null, h('tr', null, ['kind', 'template', 'state'].map((c) => h('th', { scope: 'col' }, tr(ctx, `mappings.${c}`))), edit ? h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, tr(ctx, 'mappings.actions'))) : null)),
      h('tbody', null, items.map((m) =>
        h('tr', { 'data-kind': m.kind },
          h('td', null, tr(ctx, `kinds.${m.kind}`)),
          h('td', null, m.template ? `${m.template.name} (${m.template.id})` : tr(ctx, 'mappings.none')),
          h('td', null, m.usable ? badge(ctx, 'approved', tr(ctx, 'mappings.usable')) : badge(ctx, m.templateId ? 'rejected' : 'draft', tr(ctx, m.templateId ? 'mappings.unusable' : 'mappings.unmapped'))),
          edit ? h('td', null, button(ctx, tr(ctx, m.templateId ? 'mappings.change' : 'mappings.assign'), () => edit(m), { testId: `map-${m.kind}` })) : null,
        ),
      )),
    ),
  );
}

/**
 * The form that maps one kind of notice to an approved template: the template,
 * then for each of its parameters the field of the notice that fills it. What
 * Zalo would refuse (an unbound parameter, a template no longer approved) is
 * said under the input at fault; nothing chosen is lost.
 * @param {PageContext} ctx @param {NoticeMapping} mapping @param {ZaloTemplate[]} templates
 * @param {{ saved: () => Promise<void>, close: () => void }} done
 */
function mappingEditor(ctx, mapping, templates, { saved, close }) {
  const { h, api } = ctx;
  const approved = templates.filter((t) => t.status === 'ENABLE' && !t.gone);
  const select = h('select', { 'data-testid': 'map-template' },
    h('option', { value: '' }, tr(ctx, 'editor.choose')),
    approved.map((t) => h('option', { value: t.id, selected: t.id === mapping.templateId }, `${t.name} (${t.id})`)),
  );
  const templateField = field(ctx, { label: tr(ctx, 'editor.template'), input: select, hint: tr(ctx, 'editor.templateHint') });
  const params = h('div', { 'data-testid': 'map-params' });
  /** @type {Map<string, { input: HTMLSelectElement, wrapper: ReturnType<typeof field> }>} */
  let bound = new Map();
  const bindings = { ...mapping.bindings };
  function drawParams() {
    const template = approved.find((t) => t.id === select.value);
    bound = new Map();
    fill(params, template
      ? template.params.map((p) => {
          const input = h('select', { 'data-param': p.name },
            h('option', { value: '' }, tr(ctx, p.required ? 'editor.chooseField' : 'editor.noField')),
            mapping.fields.map((f) => h('option', { value: f, selected: bindings[p.name] === f }, tr(ctx, `fields.${f}`))),
          );
          input.addEventListener('change', () => {
            bindings[p.name] = input.value;
            wrapper.setError('');
          });
          const wrapper = field(ctx, { label: tr(ctx, 'editor.param', { name: p.name, max: p.maxLength }), input });
          bound.set(p.name, { input, wrapper });
          return wrapper;
        })
      : []);
  }
  select.addEventListener('change', () => {
    templateField.setError('');
    drawParams();
  });
  drawParams();
  const problem = h('div', { 'aria-live': 'polite' });
  const save = button(ctx, tr(ctx, 'editor.save'), async () => {
    fill(problem);
    if (!select.value) return templateField.setError(tr(ctx, 'editor.templateMissing'));
    const chosen = Object.fromEntries([...bound].flatMap(([param, b]) => (b.input.value ? [[param, b.input.value]] : [])));
    try {
      await api.put(`/zalo/notice-templates/${encodeURIComponent(mapping.kind)}`, { templateId: select.value, bindings: chosen });
      ctx.toast(tr(ctx, 'editor.saved', { kind: tr(ctx, `kinds.${mapping.kind}`) }), 'success');
      await saved();
    } catch (err) {
      const e = /** @type {{ code?: string, field?: string }} */ (err);
      const param = e.code === 'template_mapping_invalid' && e.field?.startsWith('bindings.') ? e.field.slice('bindings.'.length) : null;
      if (param && bound.has(param)) bound.get(param)?.wrapper.setError(tr(ctx, 'editor.paramUnbound'));
      else if (e.code === 'template_mapping_invalid') templateField.setError(tr(ctx, 'editor.templateUnusable'));
      else fill(problem, errorBox(ctx, err));
    }
  }, { variant: 'primary', testId: 'map-save' });
  const remove = mapping.templateId
    ? button(ctx, tr(ctx, 'editor.remove'), async () => {
        const { ok } = await confirmDialog(ctx, { title: tr(ctx, 'editor.removeTitle'), body: tr(ctx, 'editor.removeBody'), confirmLabel: tr(ctx, 'editor.remove'), danger: true });
        if (!ok) return;
        try {
          await api.del(`/zalo/notice-templates/${encodeURIComponent(mapping.kind)}`);
          await saved();
        } catch (err) {
          fill(problem, errorBox(ctx, err));
        }
      }, { variant: 'danger', testId: 'map-remove' })
    : null;
  return h('section', { class: 'card', 'data-testid': 'map-editor', 'aria-labelledby': 'zalo-map-title' },
    h('h2', { id: 'zalo-map-title' }, tr(ctx, 'editor.heading', { kind: tr(ctx, `kinds.${mapping.kind}`) })),
    approved.length === 0 ? h('p', { class: 'alert alert-info' }, tr(ctx, 'editor.noneApproved')) : null,
    templateField,
    params,
    problem,
    h('div', { class: 'actions' }, save, remove, button(ctx, tr(ctx, 'editor.cancel'), close, { testId: 'map-cancel' })),
  );
}

/** @param {PageContext} ctx */
export async function mount(ctx) {
  const { h, api } = ctx;
  const quota = h('p', { class: 'muted', 'data-testid': 'zalo-quota' });
  const templates = h('div');
  const mappings = h('div');
  const editor = h('div');
  const mayEdit = ctx.may('putZaloNoticeTemplatesByKind');
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
    editor,
  );

  async function load() {
    const [list, kinds] = await Promise.all([
      api.get('/zalo/templates').then((r) => /** @type {{ items: ZaloTemplate[] }} */ (r).items, (err) => err),
      api.get('/zalo/notice-templates').then((r) => /** @type {{ items: NoticeMapping[] }} */ (r).items, (err) => err),
    ]);
    fill(templates, Array.isArray(list) ? templatesTable(ctx, list) : errorBox(ctx, list));
    const edit = mayEdit && Array.isArray(list)
      ? (/** @type {NoticeMapping} */ m) => {
          fill(editor, mappingEditor(ctx, m, list, { saved: async () => { fill(editor); await load(); }, close: () => fill(editor) }));
          editor.querySelector('select')?.focus();
        }
      : null;
    fill(mappings, Array.isArray(kinds) ? mappingsTable(ctx, kinds, edit) : errorBox(ctx, kinds));
    // Zalo may be unreachable: the rest of the page does not depend on it.
    api.get('/zalo/quota').then(
      (q) => fill(quota, tr(ctx, 'quota', { remaining: ctx.fmt.number(/** @type {ZaloQuota} */ (q).remaining), daily: ctx.fmt.number(/** @type {ZaloQuota} */ (q).daily) })),
      () => fill(quota, tr(ctx, 'quotaUnknown')),
    );
  }
  await load();
}
