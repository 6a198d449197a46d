import { field, nextId } from '../../../lib/ui.js';
import { vocabulary } from '../../../lib/vocabulary.js';
import { audienceOf, splitCodes } from './form-state.js';

/**
 * Who gets the notice: the chats that talk to the bot or everyone in the
 * register; platforms, languages, provinces and districts, benefit types,
 * linked chats only; and the live estimate the server makes for that filter:
 * recipients by route, the Zalo template cost, today's quota and the days it takes.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/types.js').FieldWrapper} FieldWrapper
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('../../../lib/api-types.js').BroadcastEstimate} BroadcastEstimate
 * @typedef {import('./form-state.js').ComposerForm} ComposerForm
 * @typedef {ReturnType<typeof audiencePicker>} AudiencePicker
 */

/** Waits this long after the last change before asking for an estimate. */
const ESTIMATE_DELAY_MS = 400;

/**
 * @param {PageContext} ctx @param {BroadcastSettings} settings @param {ComposerForm} form
 * @param {{ changed: (opts?: { estimate?: boolean }) => void, estimated: () => void }} hooks
 *   `changed` after an edit; `estimated` when the count shown changed (or was cleared)
 */
export function audiencePicker(ctx, settings, form, { changed, estimated }) {
  const { h, t } = ctx;
  const scoped = ctx.session.province;

  /**
   * @param {string} legend @param {string} hint @param {string[]} values @param {string[]} selected
   * @param {(v: string) => string} labelOf @param {string} testPrefix
   */
  const checkboxGroup = (legend, hint, values, selected, labelOf, testPrefix) => {
    const hintId = nextId('hint');
    const boxes = values.map((v) => {
      const box = h('input', { type: 'checkbox', value: v, checked: selected.includes(v), id: nextId('cb'), 'data-testid': `${testPrefix}-${v}` });
      return { v, box, el: h('label', { class: 'bc-check', for: box.id }, box, ' ', labelOf(v)) };
    });
    const el = h('fieldset', { 'aria-describedby': hintId }, h('legend', null, legend), h('p', { class: 'hint', id: hintId }, hint), h('div', { class: 'bc-checks' }, boxes.map((b) => b.el)));
    return { el, values: () => boxes.filter((b) => b.box.checked).map((b) => b.v), boxes };
  };
  /** @type {HTMLInputElement[]} */
  const sourceRadios = [];
  const sourceName = nextId('source');
  const sourceEl = h(
    'fieldset',
    null,
    h('legend', null, t('consoleBroadcasts.composer.sourceLegend')),
    ['chats', 'register'].map((v) => {
      const radio = h('input', { type: 'radio', name: sourceName, value: v, checked: form.source === v, id: nextId('rb'), 'data-testid': `source-${v}` });
      sourceRadios.push(radio);
      return h('label', { class: 'bc-check', for: radio.id }, radio, ' ', t(`consoleBroadcasts.composer.source.${v}`));
    }),
    h('p', { class: 'hint' }, t('consoleBroadcasts.composer.sourceHint')),
  );
  const platforms = checkboxGroup(t('consoleBroadcasts.composer.platformsLegend'), t('consoleBroadcasts.composer.platformsHint'), settings.platforms.map((p) => p.id), form.platforms, (v) => t(`consoleBroadcasts.platforms.${v}`), 'platform');
  const languages = checkboxGroup(t('consoleBroadcasts.composer.languagesLegend'), t('consoleBroadcasts.composer.languagesHint'), ['vi', 'en'], form.languages, (v) => t(`consoleBroadcasts.languages.${v}`), 'language');
  const benefits = checkboxGroup(t('consoleBroadcasts.composer.benefitLegend'), t('consoleBroadcasts.composer.benefitHint'), vocabulary().benefitTypes, form.benefitTypes, (v) => t(`consoleBroadcasts.benefitTypes.${v}`), 'benefit');

  const provincesInput = h('input', { type: 'text', name: 'provinces', inputmode: 'numeric', value: form.provinces, 'data-testid': 'provinces', autocomplete: 'off' });
  const provincesField = scoped ? null : field(ctx, { label: t('consoleBroadcasts.composer.provincesLabel'), input: provincesInput, hint: t('consoleBroadcasts.composer.provincesHint') });
  const provincesEl = provincesField ?? h('p', { class: 'bc-fixed', 'data-testid': 'province-fixed' }, t('consoleBroadcasts.composer.provinceFixed', { code: scoped }));
  const districtsInput = h('input', { type: 'text', name: 'districts', inputmode: 'numeric', value: form.districts, 'data-testid': 'districts', autocomplete: 'off' });
  const districtsField = field(ctx, { label: t('consoleBroadcasts.composer.districtsLabel'), input: districtsInput, hint: t('consoleBroadcasts.composer.districtsHint') });
  const linkedBox = h('input', { type: 'checkbox', id: nextId('cb'), checked: form.linkedOnly, 'data-testid': 'linked-only' });
  const linkedNote = h('p', { class: 'hint', hidden: true }, t('consoleBroadcasts.composer.linkedImplied'));
  const linkedField = h('div', { class: 'field' }, h('label', { class: 'bc-check', for: linkedBox.id }, linkedBox, ' ', t('consoleBroadcasts.composer.linkedOnly')), linkedNote);
  const estimateOut = h('output', { class: 'bc-estimate', 'data-testid': 'estimate', 'aria-live': 'polite' }, '—');
  const routesList = h('ul', { class: 'bc-routes', 'data-testid': 'estimate-routes', hidden: true });
  const estimateBox = h('div', { class: 'bc-estimate-box' }, h('span', { class: 'label' }, t('consoleBroadcasts.composer.estimateLabel')), estimateOut, routesList);

  // ---- wiring
  /** @param {ReturnType<typeof checkboxGroup>} group @param {'platforms' | 'languages' | 'benefitTypes'} key */
  const bindGroup = (group, key) =>
    group.boxes.forEach(({ box }) =>
      box.addEventListener('change', () => {
        form[key] = group.values();
        changed({ estimate: true });
      }),
    );
  for (const radio of sourceRadios) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      form.source = radio.value === 'register' ? 'register' : 'chats';
      changed({ estimate: true });
    });
  }
  bindGroup(platforms, 'platforms');
  bindGroup(languages, 'languages');
  bindGroup(benefits, 'benefitTypes');
  /** @type {[HTMLInputElement, 'provinces' | 'districts', FieldWrapper | null][]} */
  const codeInputs = [[provincesInput, 'provinces', provincesField], [districtsInput, 'districts', districtsField]];
  for (const [el, key, wrapper] of codeInputs) {
    el.addEventListener('input', () => {
      form[key] = el.value;
      wrapper?.setError('');
      changed({ estimate: true });
    });
  }
  linkedBox.addEventListener('change', () => {
    form.linkedOnly = linkedBox.checked;
    changed({ estimate: true });
  });

  // ---- live estimate (debounced; a late answer for an older filter is dropped)
  let serial = 0;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @type {BroadcastEstimate | null} */
  let current = null;
  ctx.onDispose(() => clearTimeout(timer));

  /** @param {BroadcastEstimate | null} answer @param {string} text */
  function show(answer, text) {
    current = answer;
    if (answer === null) delete estimateOut.dataset.count;
    else estimateOut.dataset.count = String(answer.recipients);
    estimateOut.textContent = text;
    routesList.replaceChildren(...(answer ? routeLines(answer) : []));
    routesList.hidden = routesList.childElementCount === 0;
    estimated();
  }

  /** The estimate's details: how many each route reaches, the template cost, the quota and the days it takes. @param {BroadcastEstimate} e */
  function routeLines(e) {
    const n = ctx.fmt.number;
    const templated = e.routes.zaloTemplate + e.routes.zaloPhone;
    if (templated === 0) return [];
    /** @type {[string, string, boolean?][]} */
    const lines = [];
    lines.push(['message', t('consoleBroadcasts.composer.routeMessage', { count: n(e.routes.message) })]);
    if (e.routes.zaloTemplate > 0) lines.push(['uid', t('consoleBroadcasts.composer.routeUid', { count: n(e.routes.zaloTemplate) })]);
    if (e.routes.zaloPhone > 0) lines.push(['phone', t('consoleBroadcasts.composer.routePhone', { count: n(e.routes.zaloPhone) })]);
    if (e.withoutTemplate > 0) lines.push(['none', t('consoleBroadcasts.composer.routeNoTemplate', { count: n(e.withoutTemplate) }), true]);
    if (e.template) {
      lines.push(['cost', e.cost === null ? t('consoleBroadcasts.composer.costUnknown') : t('consoleBroadcasts.composer.cost', { amount: n(e.cost) })]);
      if (e.quota) lines.push(['quota', t('consoleBroadcasts.composer.quota', { remaining: n(e.quota.remaining), daily: n(e.quota.daily) })]);
      if (e.days !== null && e.days > 1) lines.push(['days', t('consoleBroadcasts.composer.days', { count: e.days }), true]);
    }
    return lines.map(([key, text, warn]) => h('li', { 'data-testid': `route-${key}`, class: warn ? 'warn' : '' }, text));
  }

  /** Asks the server again for the filter now shown; the count shown is the answer for that filter, or none. */
  function estimate() {
    clearTimeout(timer);
    const asked = ++serial;
    show(null, t('consoleBroadcasts.composer.estimating'));
    timer = setTimeout(async () => {
      try {
        const answer = /** @type {BroadcastEstimate} */ (await ctx.api.post('/broadcasts/estimate', { audience: audienceOf(form, scoped) }));
        if (asked === serial) show(answer, t('consoleBroadcasts.composer.estimate', { count: ctx.fmt.number(answer.recipients) }));
      } catch {
        // A filter the server refuses (a malformed code) has no count either.
        if (asked === serial) show(null, t('consoleBroadcasts.composer.estimateFailed'));
      }
    }, ESTIMATE_DELAY_MS);
  }

  /** Linked chats are implied by a province, district or benefit filter (and by a province-scoped key). */
  function renderVisibility() {
    const register = form.source === 'register';
    platforms.el.hidden = register;
    languages.el.hidden = register;
    linkedField.hidden = register;
    const implied = Boolean(scoped) || splitCodes(form.provinces).length > 0 || splitCodes(form.districts).length > 0 || form.benefitTypes.length > 0;
    linkedBox.disabled = implied;
    linkedBox.checked = implied || form.linkedOnly;
    linkedNote.hidden = !implied;
  }

  return {
    children: [sourceEl, platforms.el, languages.el, provincesEl, districtsField, benefits.el, linkedField, estimateBox],
    provinces: provincesField ? { field: provincesField, input: provincesInput } : null,
    districts: { field: districtsField, input: districtsInput },
    recipients: () => current?.recipients ?? null,
    /** The last estimate shown, null while none is. */
    estimate: () => current,
    ask: estimate,
    renderVisibility,
  };
}
