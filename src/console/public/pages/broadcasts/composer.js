import { button, errorBox, nextId, pageHeader } from '../../lib/ui.js';
import { fill } from '../../lib/dom.js';
import { initialForm, messageOf, saveDraft } from './composer/form-state.js';
import { messageFields } from './composer/message-fields.js';
import { templatePicker } from './composer/template-picker.js';
import { audiencePicker } from './composer/audience-picker.js';
import { schedulePicker } from './composer/schedule-picker.js';
import { approvalSummary } from './composer/approval-summary.js';
import { fieldErrors } from './composer/field-errors.js';
import { composerPreview } from './composer/preview-column.js';
import { submission } from './composer/submission.js';

/**
 * The composer (#/broadcasts/new, or ?from=<id> to start from a copy): text,
 * link, audience with a size estimate, schedule, and what approval it will
 * need, beside a live preview the server draws with each channel's own renderer.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').Broadcast} Broadcast
 * @typedef {import('../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('../../lib/api-types.js').BroadcastTemplate} BroadcastTemplate
 */

/**
 * What the composer starts from: the server's rules, the templates, and the broadcast to copy (if any).
 * @param {PageContext} ctx @returns {Promise<[BroadcastSettings, BroadcastTemplate[], Broadcast | null]>}
 */
function load(ctx) {
  const from = ctx.query.get('from');
  return Promise.all([
    /** @type {Promise<BroadcastSettings>} */ (ctx.api.get('/broadcasts/settings')),
    ctx.api.get('/broadcasts/templates').then((r) => /** @type {{ items: BroadcastTemplate[] }} */ (r).items).catch(() => []),
    from ? /** @type {Promise<Broadcast>} */ (ctx.api.get(`/broadcasts/${encodeURIComponent(from)}`)).catch(() => null) : Promise.resolve(null),
  ]);
}

/** @param {PageContext} ctx */
export async function composerPage(ctx) {
  const { h, t } = ctx;
  ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.composer.title'), h('a', { class: 'btn', href: '#/broadcasts' }, t('consoleBroadcasts.composer.back'))));
  if (!ctx.may('postBroadcasts')) {
    ctx.root.append(h('div', { class: 'alert alert-info', role: 'status' }, t('consoleBroadcasts.composer.notAllowed')));
    return;
  }
  let loaded;
  try {
    loaded = await load(ctx);
  } catch (err) {
    // Without the server's limits and rules the form cannot say what it will accept.
    ctx.root.append(errorBox(ctx, err));
    return;
  }
  const [settings, templates, copied] = loaded;
  const { form, restored } = initialForm(copied, ctx.session.province);

  const summary = h('div', { 'aria-live': 'assertive' });
  const fields = messageFields(ctx, settings, form);
  const template = templatePicker(ctx, {
    templates,
    form,
    showText: () => {
      fields.vi.input.value = form.vi;
      fields.en.input.value = form.en;
    },
    showTitle: () => {
      fields.title.input.value = form.title;
    },
    changed: () => changed(),
  });
  const audience = audiencePicker(ctx, settings, form, { changed: (opts) => changed(opts), estimated: () => approval.render(audience.estimate()) });
  const schedule = schedulePicker(ctx, settings, form, { changed: () => changed() });
  const approval = approvalSummary(ctx, settings, form);
  const errors = fieldErrors(ctx, settings, { fields, template, audience });
  const preview = composerPreview(ctx, settings, fields, errors);
  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'submit' }, t('consoleBroadcasts.composer.submit'));
  const draftBtn = button(ctx, t('consoleBroadcasts.composer.saveDraft'), () => void sending.send(false), { testId: 'save-draft' });
  const sending = submission(ctx, { settings, form, fields, template, schedule, errors, summary, buttons: [submitBtn, draftBtn], problems: preview.problems, estimate: () => audience.estimate() });

  /** @param {string} titleKey @param {...unknown} children */
  const section = (titleKey, ...children) => {
    const id = nextId('sec');
    return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, t(titleKey)), ...children);
  };
  const formEl = h('form', { class: 'bc-form', novalidate: true, 'data-testid': 'composer' },
    summary,
    restored ? h('div', { class: 'alert alert-info', role: 'status' }, t('consoleBroadcasts.composer.restored')) : null,
    section('consoleBroadcasts.composer.sectionTitle', fields.title.field),
    templates.length ? section('consoleBroadcasts.composer.sectionTemplate', template.field, template.fieldsBox, template.detachedNote) : null,
    section('consoleBroadcasts.composer.sectionText', fields.vi.field, fields.en.field),
    // Right after the text on a narrow screen; beside the whole form, kept in view, on a wide one (CSS).
    preview.el,
    section('consoleBroadcasts.composer.sectionLink', fields.link.field, h('div', { class: 'bc-pair' }, fields.labelVi.field, fields.labelEn.field), fields.image.field),
    section('consoleBroadcasts.composer.sectionAudience', ...audience.children),
    h('section', { class: 'card' }, schedule.el),
    section('consoleBroadcasts.composer.sectionApproval', approval.el, h('div', { class: 'row' }, submitBtn, draftBtn)),
  );
  ctx.root.append(formEl);

  /** Redraws what depends on the form; `estimate` when the audience filter changed (the estimate, and with it the approval note, is asked again). */
  function changed({ estimate = false } = {}) {
    // The summary of a refused send goes once the officer edits; the messages by the fields stay until their field changes.
    if (!sending.busy()) fill(summary);
    saveDraft(form);
    schedule.renderVisibility();
    template.renderVisibility();
    fields.showTemplateUse(template.usingTemplate());
    audience.renderVisibility();
    preview.renderCounters();
    if (estimate) audience.ask();
    else approval.render(audience.estimate());
    preview.update(messageOf(form, template.usingTemplate()));
  }

  fields.listen({ changed: () => changed(), textEdited: () => template.detachOnEdit() });
  formEl.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void sending.send(true);
  });
  template.renderFields();
  changed({ estimate: true });
}
