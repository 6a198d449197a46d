import { language } from '../../lib/i18n.js';
import { button, confirmDialog, errorMessage, field, nextId, pageHeader } from '../../lib/ui.js';
import { messageFor, telegramBubbles, zaloBubbles } from '../../lib/chat-preview.js';
import { fill } from '../../lib/dom.js';
import { approvalReasons, loadSettings, previewPanel, serverErrorText } from './shared.js';

/**
 * The composer (#/broadcasts/new, or ?from=<id> to start from a copy): text,
 * link, audience with a size estimate, schedule, and what approval it will need.
 */

const PLATFORMS = ['telegram', 'zalo', 'zalo-bot', 'simulator'];
const BENEFIT_TYPES = ['pension', 'monthly_allowance', 'lump_sum', 'unemployment', 'social_assistance', 'merit'];
const FIELD = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;
const KNOWN_TEMPLATE_FIELDS = ['province_hotline', 'period', 'pay_day'];
/** What the composer keeps while typing, so a session timeout or a slip of navigation loses nothing. */
const DRAFT_KEY = 'lhb-console-broadcast-draft';

/** Port of checkLink (src/broadcast/links.ts), so the page says what the server would. */
function linkProblem(url, domains) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return 'link_invalid';
  }
  if (parsed.protocol !== 'https:') return 'link_not_https';
  if (parsed.username || parsed.password) return 'link_invalid';
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`)) ? null : 'link_not_allowed';
}

const linksInText = (text) => [...text.matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)].map((m) => m[0]);

const emptyForm = () => ({
  title: '',
  templateId: '',
  templateFields: {},
  detached: false,
  vi: '',
  en: '',
  linkUrl: '',
  linkLabelVi: '',
  linkLabelEn: '',
  imageUrl: '',
  platforms: [],
  languages: [],
  provinces: '',
  districts: '',
  benefitTypes: [],
  linkedOnly: false,
  when: 'now',
  date: '',
  time: '',
  urgent: false,
});

const splitCodes = (text) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

function fillTemplate(text, values) {
  return text.replace(FIELD, (whole, name) => (values[name]?.trim() ? values[name].trim() : whole));
}

function templateFieldsOf(template) {
  return [...new Set([...template.text.vi.matchAll(FIELD)].map((m) => m[1]))];
}

export async function composerPage(ctx) {
  const { h, t } = ctx;
  ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.composer.title'), h('a', { class: 'btn', href: '#/broadcasts' }, t('consoleBroadcasts.composer.back'))));
  if (!ctx.can('broadcaster')) {
    ctx.root.append(h('div', { class: 'alert alert-info', role: 'status' }, t('consoleBroadcasts.composer.notAllowed')));
    return;
  }
  const [settings, templates, copied] = await Promise.all([
    loadSettings(ctx),
    ctx.api.get('/broadcasts/templates').then((r) => r.items).catch(() => []),
    ctx.query.get('from') ? ctx.api.get(`/broadcasts/${encodeURIComponent(ctx.query.get('from'))}`).catch(() => null) : Promise.resolve(null),
  ]);
  const limits = settings.limits;
  const scoped = ctx.session.province;

  // ---- state: restored from this tab's storage, or copied from another broadcast
  let form = emptyForm();
  let restored = false;
  if (copied) {
    form = {
      ...form,
      title: copied.title,
      vi: copied.content.vi.text,
      en: copied.content.en?.text ?? '',
      linkUrl: copied.linkUrl ?? '',
      linkLabelVi: copied.content.vi.linkLabel ?? '',
      linkLabelEn: copied.content.en?.linkLabel ?? '',
      imageUrl: copied.imageUrl ?? '',
      platforms: copied.audience.platforms,
      languages: copied.audience.languages,
      provinces: scoped ? '' : copied.audience.provinces.join(', '),
      districts: (copied.audience.districts ?? []).join(', '),
      benefitTypes: copied.audience.benefitTypes,
      linkedOnly: copied.audience.linkedOnly,
      urgent: copied.ignoreQuietHours,
    };
  } else {
    try {
      const saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null');
      if (saved && typeof saved === 'object') {
        form = { ...form, ...saved };
        restored = true;
      }
    } catch {
      // A damaged saved draft is dropped.
    }
  }
  const save = () => sessionStorage.setItem(DRAFT_KEY, JSON.stringify(form));
  const template = () => templates.find((x) => x.id === form.templateId) ?? null;
  const usingTemplate = () => template() !== null && !form.detached;
  /** A create/submit is under way. */
  let busy = false;

  // ---- inputs
  const errors = h('div', { 'aria-live': 'assertive' });
  const input = (attrs) => h('input', { type: 'text', ...attrs });

  const titleInput = input({ name: 'title', maxlength: String(limits.title), value: form.title, 'data-testid': 'title', autocomplete: 'off' });
  const titleField = field(ctx, { label: t('consoleBroadcasts.composer.titleLabel'), input: titleInput, hint: t('consoleBroadcasts.composer.titleHint') });

  // Template picker: built-in warnings first, then staff templates.
  const tplName = (x) => (language() === 'en' ? x.title.en : undefined) ?? x.title.vi;
  const builtIn = templates.filter((x) => x.builtIn);
  const staffTpl = templates.filter((x) => !x.builtIn);
  const templateSelect = h('select', { name: 'template', 'data-testid': 'template' },
    h('option', { value: '' }, t('consoleBroadcasts.composer.templateNone')),
    builtIn.length ? h('optgroup', { label: t('consoleBroadcasts.composer.templateBuiltIn') }, builtIn.map((x) => h('option', { value: x.id }, tplName(x)))) : null,
    staffTpl.length ? h('optgroup', { label: t('consoleBroadcasts.composer.templateStaff') }, staffTpl.map((x) => h('option', { value: x.id }, tplName(x)))) : null,
  );
  templateSelect.value = form.templateId;
  const templateField = field(ctx, { label: t('consoleBroadcasts.composer.templateLabel'), input: templateSelect, hint: t('consoleBroadcasts.composer.templateHint') });
  const templateFieldsBox = h('div');
  const detachedNote = h('div', { class: 'alert alert-warning', role: 'status', hidden: true },
    h('p', null, t('consoleBroadcasts.composer.templateDetached')),
    button(ctx, t('consoleBroadcasts.composer.templateRestore'), () => {
      form.detached = false;
      applyTemplate();
      changed();
    }, { testId: 'template-restore' }),
  );
  const templateFieldWrappers = new Map();

  const viText = h('textarea', { name: 'text-vi', rows: '7', lang: 'vi', 'data-testid': 'text-vi', value: form.vi });
  const enText = h('textarea', { name: 'text-en', rows: '7', lang: 'en', 'data-testid': 'text-en', value: form.en });
  const viField = field(ctx, { label: t('consoleBroadcasts.composer.viLabel'), input: viText, hint: t('consoleBroadcasts.composer.textHint') });
  const enField = field(ctx, { label: t('consoleBroadcasts.composer.enLabel'), input: enText, hint: t('consoleBroadcasts.composer.enHint') });
  const counter = () => h('p', { class: 'bc-counter', 'aria-live': 'polite' });
  const viCount = counter();
  const enCount = counter();
  viField.append(viCount);
  enField.append(enCount);

  const linkInput = input({ type: 'url', name: 'link', inputmode: 'url', value: form.linkUrl, 'data-testid': 'link-url', autocomplete: 'off', placeholder: 'https://' });
  const linkField = field(ctx, { label: t('consoleBroadcasts.composer.linkLabel'), input: linkInput, hint: t('consoleBroadcasts.composer.linkHint', { domains: settings.allowedLinkDomains.join(', ') || '—' }) });
  const labelViInput = input({ name: 'link-label-vi', maxlength: String(limits.linkLabel), value: form.linkLabelVi, 'data-testid': 'link-label-vi' });
  const labelViField = field(ctx, { label: t('consoleBroadcasts.composer.linkButtonVi'), input: labelViInput, hint: t('consoleBroadcasts.composer.linkButtonHint', { max: limits.linkLabel }) });
  const labelEnInput = input({ name: 'link-label-en', maxlength: String(limits.linkLabel), value: form.linkLabelEn, 'data-testid': 'link-label-en' });
  const labelEnField = field(ctx, { label: t('consoleBroadcasts.composer.linkButtonEn'), input: labelEnInput, hint: t('consoleBroadcasts.composer.linkButtonTemplate') });
  const imageInput = input({ type: 'url', name: 'image', inputmode: 'url', value: form.imageUrl, 'data-testid': 'image-url', autocomplete: 'off', placeholder: 'https://' });
  const imageField = field(ctx, { label: t('consoleBroadcasts.composer.imageLabel'), input: imageInput, hint: t('consoleBroadcasts.composer.imageHint') });

  const checkboxGroup = (legend, hint, values, selected, labelOf, testPrefix) => {
    const hintId = nextId('hint');
    const boxes = values.map((v) => {
      const box = h('input', { type: 'checkbox', value: v, checked: selected.includes(v), id: nextId('cb'), 'data-testid': `${testPrefix}-${v}` });
      return { v, box, el: h('label', { class: 'bc-check', for: box.id }, box, ' ', labelOf(v)) };
    });
    const el = h('fieldset', { 'aria-describedby': hintId }, h('legend', null, legend), h('p', { class: 'hint', id: hintId }, hint), h('div', { class: 'bc-checks' }, boxes.map((b) => b.el)));
    return { el, values: () => boxes.filter((b) => b.box.checked).map((b) => b.v), boxes };
  };
  const platformIds = settings.platforms.length ? settings.platforms.map((p) => p.id) : PLATFORMS;
  const platformsGroup = checkboxGroup(t('consoleBroadcasts.composer.platformsLegend'), t('consoleBroadcasts.composer.platformsHint'), platformIds, form.platforms, (v) => t(`consoleBroadcasts.platforms.${v}`), 'platform');
  const languagesGroup = checkboxGroup(t('consoleBroadcasts.composer.languagesLegend'), t('consoleBroadcasts.composer.languagesHint'), ['vi', 'en'], form.languages, (v) => t(`consoleBroadcasts.languages.${v}`), 'language');
  const benefitGroup = checkboxGroup(t('consoleBroadcasts.composer.benefitLegend'), t('consoleBroadcasts.composer.benefitHint'), BENEFIT_TYPES, form.benefitTypes, (v) => t(`consoleBroadcasts.benefitTypes.${v}`), 'benefit');
  const provincesInput = input({ name: 'provinces', inputmode: 'numeric', value: form.provinces, 'data-testid': 'provinces', autocomplete: 'off' });
  const provincesField = scoped
    ? h('p', { class: 'bc-fixed', 'data-testid': 'province-fixed' }, t('consoleBroadcasts.composer.provinceFixed', { code: scoped }))
    : field(ctx, { label: t('consoleBroadcasts.composer.provincesLabel'), input: provincesInput, hint: t('consoleBroadcasts.composer.provincesHint') });
  const districtsInput = input({ name: 'districts', inputmode: 'numeric', value: form.districts, 'data-testid': 'districts', autocomplete: 'off' });
  const districtsField = field(ctx, { label: t('consoleBroadcasts.composer.districtsLabel'), input: districtsInput, hint: t('consoleBroadcasts.composer.districtsHint') });
  const linkedBox = h('input', { type: 'checkbox', id: nextId('cb'), checked: form.linkedOnly, 'data-testid': 'linked-only' });
  const linkedNote = h('p', { class: 'hint', hidden: true }, t('consoleBroadcasts.composer.linkedImplied'));
  const linkedField = h('div', { class: 'field' }, h('label', { class: 'bc-check', for: linkedBox.id }, linkedBox, ' ', t('consoleBroadcasts.composer.linkedOnly')), linkedNote);
  const estimateOut = h('output', { class: 'bc-estimate', 'data-testid': 'estimate', 'aria-live': 'polite' }, '—');
  const estimateBox = h('div', { class: 'bc-estimate-box' }, h('span', { class: 'label' }, t('consoleBroadcasts.composer.estimateLabel')), estimateOut);

  const whenName = nextId('when');
  const radio = (value, label) => {
    const r = h('input', { type: 'radio', name: whenName, value, id: nextId('r'), checked: form.when === value, 'data-testid': `when-${value}` });
    return { r, el: h('label', { class: 'bc-check', for: r.id }, r, ' ', label) };
  };
  const whenNow = radio('now', t('consoleBroadcasts.composer.whenNow'));
  const whenLater = radio('later', t('consoleBroadcasts.composer.whenLater'));
  const dateInput = h('input', { type: 'date', name: 'date', value: form.date, 'data-testid': 'send-date' });
  const timeInput = h('input', { type: 'time', name: 'time', value: form.time, 'data-testid': 'send-time' });
  const dateField = field(ctx, { label: t('consoleBroadcasts.composer.dateLabel'), input: dateInput });
  const timeField = field(ctx, { label: t('consoleBroadcasts.composer.timeLabel'), input: timeInput });
  const laterBox = h('div', { class: 'bc-later' }, dateField, timeField);
  const urgentBox = h('input', { type: 'checkbox', id: nextId('cb'), checked: form.urgent, 'data-testid': 'urgent' });
  const quietNotes = [
    settings.quietHours ? t('consoleBroadcasts.composer.quietHours', settings.quietHours) : null,
    settings.platformNights?.zalo ? t('consoleBroadcasts.composer.zaloNight', settings.platformNights.zalo) : null,
  ].filter(Boolean);
  const scheduleSection = h('fieldset', null,
    h('legend', null, t('consoleBroadcasts.composer.sectionSchedule')),
    h('div', { class: 'bc-checks' }, whenNow.el, whenLater.el),
    laterBox,
    quietNotes.map((n) => h('p', { class: 'hint' }, n)),
    h('label', { class: 'bc-check', for: urgentBox.id }, urgentBox, ' ', t('consoleBroadcasts.composer.urgent')),
  );
  const scheduleError = h('p', { class: 'error', hidden: true });
  scheduleSection.append(scheduleError);

  const approvalBox = h('div', { class: 'alert alert-info', 'data-testid': 'approval-summary', 'aria-live': 'polite' });

  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'submit' }, t('consoleBroadcasts.composer.submit'));
  const draftBtn = button(ctx, t('consoleBroadcasts.composer.saveDraft'), () => send(false), { testId: 'save-draft' });

  const preview = previewPanel(ctx, settings);

  const section = (titleKey, ...children) => {
    const id = nextId('sec');
    return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, t(titleKey)), ...children);
  };
  const formEl = h('form', { class: 'bc-form', novalidate: true, 'data-testid': 'composer' },
    errors,
    restored ? h('div', { class: 'alert alert-info', role: 'status' }, t('consoleBroadcasts.composer.restored')) : null,
    section('consoleBroadcasts.composer.sectionTitle', titleField),
    templates.length ? section('consoleBroadcasts.composer.sectionTemplate', templateField, templateFieldsBox, detachedNote) : null,
    section('consoleBroadcasts.composer.sectionText', viField, enField),
    // Right after the text on a narrow screen; beside the whole form, kept in view, on a wide one (CSS).
    preview.el,
    section('consoleBroadcasts.composer.sectionLink', linkField, h('div', { class: 'bc-pair' }, labelViField, labelEnField), imageField),
    section('consoleBroadcasts.composer.sectionAudience', platformsGroup.el, languagesGroup.el, provincesField, districtsField, benefitGroup.el, linkedField, estimateBox),
    h('section', { class: 'card' }, scheduleSection),
    section('consoleBroadcasts.composer.sectionApproval', approvalBox, h('div', { class: 'row' }, submitBtn, draftBtn)),
  );
  ctx.root.append(formEl);

  // ---- template handling
  function renderTemplateFields() {
    templateFieldWrappers.clear();
    const tpl = template();
    if (!tpl || tpl.fields.length === 0) {
      fill(templateFieldsBox);
      return;
    }
    const inputs = tpl.fields.map((name) => {
      const el = input({ name: `tf-${name}`, value: form.templateFields[name] ?? '', 'data-testid': `template-field-${name}`, autocomplete: 'off' });
      el.addEventListener('input', () => {
        form.templateFields[name] = el.value;
        wrapper.setError('');
        applyTemplate();
        changed();
      });
      const known = KNOWN_TEMPLATE_FIELDS.includes(name);
      const wrapper = field(ctx, {
        label: known ? t(`consoleBroadcasts.templateFields.${name}`) : t('consoleBroadcasts.templateFields.other', { name }),
        input: el,
        hint: known ? t(`consoleBroadcasts.templateFields.${name}Hint`) : undefined,
      });
      templateFieldWrappers.set(name, wrapper);
      return wrapper;
    });
    fill(templateFieldsBox, h('fieldset', null, h('legend', null, t('consoleBroadcasts.composer.templateFieldsLegend')), inputs));
  }
  function applyTemplate() {
    const tpl = template();
    if (!tpl || form.detached) return;
    form.vi = fillTemplate(tpl.text.vi, form.templateFields);
    form.en = tpl.text.en ? fillTemplate(tpl.text.en, form.templateFields) : '';
    viText.value = form.vi;
    enText.value = form.en;
  }
  templateSelect.addEventListener('change', async () => {
    // Text the officer wrote (not filled by the current template) is only replaced when they agree.
    const ownText = (form.vi.trim() !== '' || form.en.trim() !== '') && (template() === null || form.detached);
    if (ownText && templateSelect.value !== '') {
      const answer = await confirmDialog(ctx, {
        title: t('consoleBroadcasts.composer.templateReplaceTitle'),
        body: t('consoleBroadcasts.composer.templateReplaceBody'),
        confirmLabel: t('consoleBroadcasts.composer.templateReplaceConfirm'),
      });
      if (!answer.ok) {
        templateSelect.value = form.templateId;
        templateSelect.focus();
        return;
      }
    }
    form.templateId = templateSelect.value;
    form.detached = false;
    const tpl = template();
    if (tpl) {
      form.templateFields = Object.fromEntries(templateFieldsOf(tpl).map((f) => [f, form.templateFields[f] ?? '']));
      if (!form.title.trim()) {
        form.title = tplName(tpl);
        titleInput.value = form.title;
      }
    } else {
      form.templateFields = {};
    }
    renderTemplateFields();
    applyTemplate();
    changed();
  });

  // ---- the message as the API will store it (for the preview and the body)
  const currentBroadcast = () => {
    const vi = { text: form.vi.trim(), ...(form.linkUrl.trim() && form.linkLabelVi.trim() ? { linkLabel: form.linkLabelVi.trim() } : {}) };
    const enLabel = usingTemplate() ? form.linkLabelVi.trim() : form.linkLabelEn.trim();
    const en = form.en.trim() ? { text: form.en.trim(), ...(form.linkUrl.trim() && enLabel ? { linkLabel: enLabel } : {}) } : undefined;
    return { content: { vi, ...(en ? { en } : {}) }, linkUrl: form.linkUrl.trim() || null, imageUrl: form.imageUrl.trim() || null };
  };

  const audience = () => {
    const a = {};
    if (form.platforms.length) a.platforms = [...form.platforms];
    if (form.languages.length) a.languages = [...form.languages];
    const provinces = scoped ? [] : splitCodes(form.provinces);
    if (provinces.length) a.provinces = provinces;
    const districts = splitCodes(form.districts);
    if (districts.length) a.districts = districts;
    if (form.benefitTypes.length) a.benefitTypes = [...form.benefitTypes];
    if (form.linkedOnly) a.linkedOnly = true;
    return a;
  };

  // ---- live estimate (debounced; a late answer for an older filter is dropped)
  let estimateSerial = 0;
  let estimateTimer;
  let recipients = null;
  ctx.onDispose(() => clearTimeout(estimateTimer));
  function scheduleEstimate() {
    clearTimeout(estimateTimer);
    const serial = ++estimateSerial;
    const codesOk = (scoped || splitCodes(form.provinces).every((c) => /^\d{2}$/.test(c))) && splitCodes(form.districts).every((c) => /^\d{3}$/.test(c));
    if (!codesOk) {
      recipients = null;
      delete estimateOut.dataset.count;
      estimateOut.textContent = t('consoleBroadcasts.composer.estimateFailed');
      renderApproval();
      return;
    }
    estimateOut.textContent = t('consoleBroadcasts.composer.estimating');
    // The count shown is the answer for the filter shown, or none.
    delete estimateOut.dataset.count;
    recipients = null;
    renderApproval();
    estimateTimer = setTimeout(async () => {
      try {
        const { recipients: n } = await ctx.api.post('/broadcasts/estimate', { audience: audience() });
        if (serial !== estimateSerial) return;
        recipients = n;
        estimateOut.textContent = t('consoleBroadcasts.composer.estimate', { count: ctx.fmt.number(n) });
        estimateOut.dataset.count = String(n);
      } catch {
        if (serial !== estimateSerial) return;
        recipients = null;
        estimateOut.textContent = t('consoleBroadcasts.composer.estimateFailed');
      }
      renderApproval();
    }, 400);
  }

  function renderApproval() {
    const reasons = approvalReasons(ctx, { recipients, threshold: settings.approvalThreshold, hasLink: form.linkUrl.trim() !== '', urgent: form.urgent });
    const unknown = recipients === null && reasons.length === 0;
    approvalBox.dataset.needsApproval = unknown ? 'unknown' : String(reasons.length > 0);
    fill(approvalBox,
      reasons.length > 0
        ? [h('p', null, t('consoleBroadcasts.composer.approvalNeeded')), h('ul', null, reasons.map((r) => h('li', null, r)))]
        : h('p', null, t(unknown ? 'consoleBroadcasts.composer.approvalUnknown' : 'consoleBroadcasts.composer.approvalNotNeeded', { threshold: ctx.fmt.number(settings.approvalThreshold) })),
    );
  }

  function renderCounters(b) {
    for (const [lang, out] of [['vi', viCount], ['en', enCount]]) {
      const text = (lang === 'vi' ? form.vi : form.en).trim();
      const over = text.length > limits.text;
      out.classList.toggle('over', over);
      if (text === '') {
        out.textContent = t('consoleBroadcasts.composer.count', { count: 0, max: ctx.fmt.number(limits.text) });
        continue;
      }
      const message = messageFor(b, lang);
      out.textContent = [
        t('consoleBroadcasts.composer.count', { count: ctx.fmt.number(text.length), max: ctx.fmt.number(limits.text) }),
        t('consoleBroadcasts.composer.partsTelegram', { count: telegramBubbles(message, limits).length }),
        t('consoleBroadcasts.composer.partsZalo', { count: zaloBubbles(message, limits).length, max: ctx.fmt.number(limits.zaloText) }),
      ].join(' · ');
    }
  }

  function renderVisibility() {
    laterBox.hidden = form.when !== 'later';
    detachedNote.hidden = !(template() && form.detached);
    labelEnInput.disabled = usingTemplate();
    labelEnField.querySelector('.hint').hidden = !usingTemplate();
    const implied = Boolean(scoped) || splitCodes(form.provinces).length > 0 || splitCodes(form.districts).length > 0 || form.benefitTypes.length > 0;
    linkedBox.disabled = implied;
    linkedBox.checked = implied || form.linkedOnly;
    linkedNote.hidden = !implied;
  }

  /** Redraws what depends on the form; `estimate` when the audience filter changed (the estimate, and with it the approval note, is asked again). */
  function changed({ estimate = false } = {}) {
    // The summary of a refused send goes once the officer edits; the messages by the fields stay until their field changes.
    if (!busy) fill(errors);
    save();
    renderVisibility();
    const b = currentBroadcast();
    renderCounters(b);
    if (estimate) scheduleEstimate();
    else renderApproval();
    preview.update(b);
  }

  // ---- wiring
  const bindText = (el, key, after) =>
    el.addEventListener('input', () => {
      form[key] = el.value;
      after?.();
      changed();
    });
  bindText(titleInput, 'title', () => titleField.setError(''));
  const detachOnEdit = () => {
    if (template() && !form.detached) form.detached = true;
  };
  bindText(viText, 'vi', () => {
    detachOnEdit();
    viField.setError('');
  });
  bindText(enText, 'en', () => {
    detachOnEdit();
    enField.setError('');
  });
  bindText(linkInput, 'linkUrl', () => linkField.setError(''));
  bindText(labelViInput, 'linkLabelVi', () => labelViField.setError(''));
  bindText(labelEnInput, 'linkLabelEn', () => labelEnField.setError(''));
  bindText(imageInput, 'imageUrl', () => imageField.setError(''));
  // The link is checked against the allow-list when the field is left, as the server will check it.
  linkInput.addEventListener('change', () => {
    const url = form.linkUrl.trim();
    const problem = url ? linkProblem(url, settings.allowedLinkDomains) : null;
    linkField.setError(problem ? serverErrorText(ctx, { code: problem }, settings, ctx.session) : '');
  });
  const bindGroup = (group, key) =>
    group.boxes.forEach(({ box }) =>
      box.addEventListener('change', () => {
        form[key] = group.values();
        changed({ estimate: true });
      }),
    );
  bindGroup(platformsGroup, 'platforms');
  bindGroup(languagesGroup, 'languages');
  bindGroup(benefitGroup, 'benefitTypes');
  for (const [el, key, wrapper] of [[provincesInput, 'provinces', provincesField], [districtsInput, 'districts', districtsField]]) {
    el.addEventListener('input', () => {
      form[key] = el.value;
      wrapper.setError?.('');
      changed({ estimate: true });
    });
  }
  linkedBox.addEventListener('change', () => {
    form.linkedOnly = linkedBox.checked;
    changed({ estimate: true });
  });
  for (const { r } of [whenNow, whenLater]) {
    r.addEventListener('change', () => {
      form.when = r.value;
      scheduleError.hidden = true;
      changed();
    });
  }
  bindText(dateInput, 'date', () => (scheduleError.hidden = true));
  bindText(timeInput, 'time', () => (scheduleError.hidden = true));
  urgentBox.addEventListener('change', () => {
    form.urgent = urgentBox.checked;
    changed();
  });

  // ---- checks before sending; everything typed stays where it is
  function validate() {
    const problems = [];
    const fail = (wrapper, message, focus) => {
      wrapper.setError(message);
      problems.push(focus);
    };
    if (!form.title.trim()) fail(titleField, errorMessage(ctx, { code: 'validation_failed' }), titleInput);
    if (usingTemplate()) {
      for (const [name, wrapper] of templateFieldWrappers) {
        if (!form.templateFields[name]?.trim()) fail(wrapper, t('consoleBroadcasts.composer.templateFieldMissing'), wrapper.querySelector('input'));
      }
    }
    for (const [lang, wrapper, el] of [['vi', viField, viText], ['en', enField, enText]]) {
      const text = form[lang].trim();
      if (lang === 'vi' && text === '') fail(wrapper, t('consoleBroadcasts.composer.required'), el);
      else if (text.length > limits.text) fail(wrapper, t('consoleBroadcasts.composer.tooLong', { max: ctx.fmt.number(limits.text) }), el);
      else if (linksInText(text).length > 0) fail(wrapper, serverErrorText(ctx, { code: 'link_in_text' }, settings, ctx.session), el);
    }
    const url = form.linkUrl.trim();
    if (url) {
      const problem = linkProblem(url, settings.allowedLinkDomains);
      if (problem) fail(linkField, serverErrorText(ctx, { code: problem }, settings, ctx.session), linkInput);
      if (!form.linkLabelVi.trim()) fail(labelViField, t('consoleBroadcasts.composer.linkButtonRequired'), labelViInput);
    }
    if (form.imageUrl.trim() && linkProblem(form.imageUrl.trim(), ['*']) === 'link_invalid') fail(imageField, t('consoleBroadcasts.serverErrors.link_invalid'), imageInput);
    if (!scoped && !splitCodes(form.provinces).every((c) => /^\d{2}$/.test(c))) fail(provincesField, t('consoleBroadcasts.composer.provincesInvalid'), provincesInput);
    if (!splitCodes(form.districts).every((c) => /^\d{3}$/.test(c))) fail(districtsField, t('consoleBroadcasts.composer.districtsInvalid'), districtsInput);
    if (form.when === 'later') {
      const at = sendAtOf(form);
      const message = !at ? t('consoleBroadcasts.composer.scheduleRequired') : Date.parse(at) <= Date.now() ? t('consoleBroadcasts.composer.schedulePast') : '';
      if (message) {
        scheduleError.textContent = message;
        scheduleError.hidden = false;
        problems.push(at ? timeInput : dateInput);
      }
    }
    return problems;
  }

  /** Puts a server refusal next to the field it names. */
  function showServerError(err) {
    const text = serverErrorText(ctx, err, settings, ctx.session);
    const f = err.field ?? '';
    const target =
      f === 'title' ? [titleField, titleInput]
      : f.startsWith('content.en.linkLabel') ? [labelEnField, labelEnInput]
      : f.startsWith('content.vi.linkLabel') || f === 'linkLabel' ? [labelViField, labelViInput]
      : f.startsWith('content.en') ? [enField, enText]
      : f.startsWith('content') ? [viField, viText]
      : f === 'linkUrl' ? [linkField, linkInput]
      : f === 'imageUrl' ? [imageField, imageInput]
      : f.startsWith('audience.provinces') && !scoped ? [provincesField, provincesInput]
      : f.startsWith('audience.districts') ? [districtsField, districtsInput]
      : f.startsWith('template') ? [templateField, templateSelect]
      : null;
    if (target) {
      target[0].setError(text);
      fill(errors, h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.composer.fixErrors')));
      target[1].focus();
    } else {
      fill(errors, h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-error' }, text));
      errors.scrollIntoView({ block: 'nearest' });
    }
  }

  async function send(submit) {
    if (busy) return;
    fill(errors);
    for (const w of [titleField, viField, enField, linkField, labelViField, labelEnField, imageField, districtsField, templateField, ...templateFieldWrappers.values()]) w.setError('');
    provincesField.setError?.('');
    scheduleError.hidden = true;
    const problems = validate();
    if (problems.length > 0) {
      fill(errors, h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.composer.fixErrors')));
      problems[0].focus();
      return;
    }
    busy = true;
    submitBtn.disabled = true;
    draftBtn.disabled = true;
    const b = currentBroadcast();
    const body = {
      title: form.title.trim(),
      ...(usingTemplate()
        ? {
            template: { id: template().id, version: template().version, fields: Object.fromEntries(Object.entries(form.templateFields).map(([k, v]) => [k, v.trim()])) },
            ...(b.linkUrl ? { linkLabel: form.linkLabelVi.trim() } : {}),
          }
        : { content: b.content }),
      ...(b.linkUrl ? { linkUrl: b.linkUrl } : {}),
      ...(b.imageUrl ? { imageUrl: b.imageUrl } : {}),
      audience: audience(),
      ...(form.when === 'later' ? { sendAt: sendAtOf(form) } : {}),
      ...(form.urgent ? { ignoreQuietHours: true } : {}),
    };
    let created;
    try {
      created = await ctx.api.post('/broadcasts', body);
    } catch (err) {
      busy = false;
      submitBtn.disabled = false;
      draftBtn.disabled = false;
      showServerError(err);
      return;
    }
    sessionStorage.removeItem(DRAFT_KEY);
    if (!submit) {
      ctx.toast(t('consoleBroadcasts.composer.savedDraft'), 'success');
      ctx.navigate(`#/broadcasts/${encodeURIComponent(created.id)}`);
      return;
    }
    try {
      const after = await ctx.api.post(`/broadcasts/${encodeURIComponent(created.id)}/submit`);
      const key = after.status === 'pending_approval' ? 'sentForApproval' : after.status === 'scheduled' ? 'sentScheduled' : 'sentNow';
      ctx.toast(t(`consoleBroadcasts.composer.${key}`), 'success');
    } catch {
      ctx.toast(t('consoleBroadcasts.composer.submitFailed'), 'error');
    }
    ctx.navigate(`#/broadcasts/${encodeURIComponent(created.id)}`);
  }
  formEl.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void send(true);
  });

  renderTemplateFields();
  changed({ estimate: true });
}

/** The chosen Vietnam date and time as ISO 8601 with the +07:00 offset, or null if incomplete. */
function sendAtOf(form) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date) || !/^\d{2}:\d{2}$/.test(form.time)) return null;
  return `${form.date}T${form.time}:00+07:00`;
}
