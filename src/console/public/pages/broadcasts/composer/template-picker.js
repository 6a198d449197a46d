import { language } from '../../../lib/i18n.js';
import { button, confirmDialog, field } from '../../../lib/ui.js';
import { fill } from '../../../lib/dom.js';

/**
 * The template picker: built-in warnings first, then staff templates; the
 * fields a template names ({{province_hotline}}), and the note shown once the
 * officer edits the filled text (the broadcast then no longer records the template).
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/types.js').FieldWrapper} FieldWrapper
 * @typedef {import('../../../lib/api-types.js').BroadcastTemplate} BroadcastTemplate
 * @typedef {import('./form-state.js').ComposerForm} ComposerForm
 * @typedef {ReturnType<typeof templatePicker>} TemplatePicker
 */

/** Fields with their own label and hint in the locale files; others are labelled by name. */
const KNOWN_TEMPLATE_FIELDS = ['province_hotline', 'period', 'pay_day'];
const PLACEHOLDER = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/**
 * The template text with the fields filled in so far; an empty field keeps its placeholder.
 * @param {string} text @param {Record<string, string>} values
 */
function fillTemplate(text, values) {
  return text.replace(PLACEHOLDER, (whole, name) => (values[name]?.trim() ? values[name].trim() : whole));
}

/**
 * The input of one named field, labelled by its own words when the locale files have them.
 * @param {PageContext} ctx @param {string} name @param {ComposerForm} form @param {() => void} edited
 * @returns {FieldWrapper}
 */
function fieldInput(ctx, name, form, edited) {
  const { h, t } = ctx;
  const el = h('input', { type: 'text', name: `tf-${name}`, value: form.templateFields[name] ?? '', 'data-testid': `template-field-${name}`, autocomplete: 'off' });
  const known = KNOWN_TEMPLATE_FIELDS.includes(name);
  el.addEventListener('input', () => {
    form.templateFields[name] = el.value;
    edited();
  });
  return field(ctx, {
    label: known ? t(`consoleBroadcasts.templateFields.${name}`) : t('consoleBroadcasts.templateFields.other', { name }),
    input: el,
    hint: known ? t(`consoleBroadcasts.templateFields.${name}Hint`) : undefined,
  });
}

/**
 * @param {PageContext} ctx
 * @param {{
 *   templates: BroadcastTemplate[], form: ComposerForm,
 *   showText: () => void, showTitle: () => void, changed: () => void,
 * }} deps `showText`/`showTitle` put the form's text and title back into their inputs
 */
export function templatePicker(ctx, { templates, form, showText, showTitle, changed }) {
  const { h, t } = ctx;
  /** @param {BroadcastTemplate} x */
  const nameOf = (x) => (language() === 'en' ? x.title.en : undefined) ?? x.title.vi;
  const template = () => templates.find((x) => x.id === form.templateId) ?? null;
  const usingTemplate = () => template() !== null && !form.detached;

  const builtIn = templates.filter((x) => x.builtIn);
  const staff = templates.filter((x) => !x.builtIn);
  const select = h('select', { name: 'template', 'data-testid': 'template' },
    h('option', { value: '' }, t('consoleBroadcasts.composer.templateNone')),
    builtIn.length ? h('optgroup', { label: t('consoleBroadcasts.composer.templateBuiltIn') }, builtIn.map((x) => h('option', { value: x.id }, nameOf(x)))) : null,
    staff.length ? h('optgroup', { label: t('consoleBroadcasts.composer.templateStaff') }, staff.map((x) => h('option', { value: x.id }, nameOf(x)))) : null,
  );
  select.value = form.templateId;
  const selectField = field(ctx, { label: t('consoleBroadcasts.composer.templateLabel'), input: select, hint: t('consoleBroadcasts.composer.templateHint') });
  const fieldsBox = h('div');
  const detachedNote = h('div', { class: 'alert alert-warning', role: 'status', hidden: true },
    h('p', null, t('consoleBroadcasts.composer.templateDetached')),
    button(ctx, t('consoleBroadcasts.composer.templateRestore'), () => {
      form.detached = false;
      apply();
      changed();
    }, { testId: 'template-restore' }),
  );
  /** @type {Map<string, FieldWrapper>} */
  const wrappers = new Map();

  function renderFields() {
    wrappers.clear();
    const tpl = template();
    if (!tpl || tpl.fields.length === 0) {
      fill(fieldsBox);
      return;
    }
    const inputs = tpl.fields.map((name) => {
      const wrapper = fieldInput(ctx, name, form, () => {
        wrapper.setError('');
        apply();
        changed();
      });
      wrappers.set(name, wrapper);
      return wrapper;
    });
    fill(fieldsBox, h('fieldset', null, h('legend', null, t('consoleBroadcasts.composer.templateFieldsLegend')), inputs));
  }

  /** Writes the template, filled so far, into the text (unless the officer took the text over). */
  function apply() {
    const tpl = template();
    if (!tpl || form.detached) return;
    form.vi = fillTemplate(tpl.text.vi, form.templateFields);
    form.en = tpl.text.en ? fillTemplate(tpl.text.en, form.templateFields) : '';
    showText();
  }

  select.addEventListener('change', async () => {
    // Text the officer wrote (not filled by the current template) is only replaced when they agree.
    const ownText = (form.vi.trim() !== '' || form.en.trim() !== '') && (template() === null || form.detached);
    if (ownText && select.value !== '') {
      const answer = await confirmDialog(ctx, {
        title: t('consoleBroadcasts.composer.templateReplaceTitle'),
        body: t('consoleBroadcasts.composer.templateReplaceBody'),
        confirmLabel: t('consoleBroadcasts.composer.templateReplaceConfirm'),
      });
      if (!answer.ok) {
        select.value = form.templateId;
        select.focus();
        return;
      }
    }
    form.templateId = select.value;
    form.detached = false;
    const tpl = template();
    if (tpl) {
      form.templateFields = Object.fromEntries(tpl.fields.map((f) => [f, form.templateFields[f] ?? '']));
      if (!form.title.trim()) {
        form.title = nameOf(tpl);
        showTitle();
      }
    } else {
      form.templateFields = {};
    }
    renderFields();
    apply();
    changed();
  });

  return {
    field: selectField,
    select,
    fieldsBox,
    detachedNote,
    /** The template's fields by name, for their errors. */
    wrappers,
    template,
    usingTemplate,
    renderFields,
    /** Editing the filled text detaches it from the template. */
    detachOnEdit() {
      if (template() && !form.detached) form.detached = true;
    },
    renderVisibility() {
      detachedNote.hidden = !(template() && form.detached);
    },
    /** Fields left empty, as [wrapper, input] to flag. @returns {FieldWrapper[]} */
    missingFields() {
      if (!usingTemplate()) return [];
      return [...wrappers].filter(([name]) => !form.templateFields[name]?.trim()).map(([, wrapper]) => wrapper);
    },
    /** The template part of POST /broadcasts. */
    body() {
      const tpl = template();
      if (!tpl) return null;
      return { id: tpl.id, version: tpl.version, fields: Object.fromEntries(Object.entries(form.templateFields).map(([k, v]) => [k, v.trim()])) };
    },
  };
}
