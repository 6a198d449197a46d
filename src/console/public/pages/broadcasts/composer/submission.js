import { fill } from '../../../lib/dom.js';
import { confirmDialog, errorMessage } from '../../../lib/ui.js';
import { audienceOf, dropDraft, messageOf, sendAtOf } from './form-state.js';

/**
 * Sending the form: what must be put right first (what is left empty, and what
 * the server's preview found), the draft it creates, the submit that follows,
 * and the server's refusals put next to the field they name.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/types.js').FieldWrapper} FieldWrapper
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('../../../lib/api-types.js').Broadcast} Broadcast
 * @typedef {import('./form-state.js').ComposerForm} ComposerForm
 * @typedef {import('./message-fields.js').MessageFields} MessageFields
 * @typedef {import('./template-picker.js').TemplatePicker} TemplatePicker
 * @typedef {import('./schedule-picker.js').SchedulePicker} SchedulePicker
 * @typedef {import('./field-errors.js').FieldErrors} FieldErrors
 * @typedef {import('./field-errors.js').Problem} Problem
 */

/**
 * @param {PageContext} ctx
 * @param {{
 *   settings: BroadcastSettings, form: ComposerForm, fields: MessageFields, template: TemplatePicker,
 *   schedule: SchedulePicker, errors: FieldErrors, summary: HTMLElement, buttons: HTMLButtonElement[],
 *   problems: () => Promise<Problem[]>, estimate: () => import('../../../lib/api-types.js').BroadcastEstimate | null,
 * }} parts `summary` the box above the form; `problems` what the server would refuse in the message as it stands now; `estimate` the audience as last estimated
 */
export function submission(ctx, { settings, form, fields, template, schedule, errors, summary, buttons, problems, estimate }) {
  const { h, t } = ctx;
  let busy = false;

  /** @param {Problem[]} refused @returns {HTMLElement[]} the inputs to flag, the first to focus first */
  function validate(refused) {
    /** @type {HTMLElement[]} */
    const flagged = [];
    /** @param {FieldWrapper} wrapper @param {string} message @param {HTMLElement | null} focus */
    const fail = (wrapper, message, focus) => {
      wrapper.setError(message);
      if (focus) flagged.push(focus);
    };
    if (!form.title.trim()) fail(fields.title.field, errorMessage(ctx, { code: 'validation_failed' }), fields.title.input);
    for (const wrapper of template.missingFields()) fail(wrapper, t('consoleBroadcasts.composer.templateFieldMissing'), wrapper.querySelector('input'));
    if (form.vi.trim() === '') fail(fields.vi.field, t('consoleBroadcasts.composer.required'), fields.vi.input);
    for (const lang of /** @type {const} */ (['vi', 'en'])) {
      if (form[lang].trim().length > settings.limits.text) fail(fields[lang].field, t('consoleBroadcasts.composer.tooLong', { max: ctx.fmt.number(settings.limits.text) }), fields[lang].input);
    }
    for (const problem of refused) {
      const target = errors.named(problem.field);
      if (target) fail(target.field, errors.problemText(problem), target.input);
    }
    const late = schedule.check();
    if (late) flagged.push(late);
    return flagged;
  }

  /** Puts a server refusal next to the field it names. @param {{ code?: string, field?: string, message?: string }} err */
  function showRefusal(err) {
    const text = errors.refusalText(err);
    const target = errors.named(err.field ?? '');
    if (target) {
      target.field.setError(text);
      fill(summary, h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.composer.fixErrors')));
      target.input.focus();
    } else {
      fill(summary, h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-error' }, text));
      summary.scrollIntoView({ block: 'nearest' });
    }
  }

  /** The body of POST /broadcasts: the template and its fields, or the text itself. */
  function bodyOf() {
    const message = messageOf(form, template.usingTemplate());
    const fromTemplate = template.usingTemplate() ? template.body() : null;
    return {
      title: form.title.trim(),
      ...(fromTemplate
        ? { template: fromTemplate, ...(message.linkUrl ? { linkLabel: form.linkLabelVi.trim() } : {}) }
        : { content: message.content }),
      ...(message.linkUrl ? { linkUrl: message.linkUrl } : {}),
      ...(message.imageUrl ? { imageUrl: message.imageUrl } : {}),
      audience: audienceOf(form, ctx.session.province),
      ...(form.when === 'later' ? { sendAt: sendAtOf(form) } : {}),
      ...(form.urgent ? { ignoreQuietHours: true } : {}),
    };
  }

  /** @param {boolean} on */
  function setBusy(on) {
    busy = on;
    for (const b of buttons) b.disabled = on;
  }

  /** Creates the draft, and with `submit` sends it on (or for approval); everything typed stays if refused. @param {boolean} submit */
  async function send(submit) {
    if (busy) return;
    setBusy(true);
    fill(summary);
    for (const wrapper of [...errors.all().map((l) => l.field), ...template.wrappers.values()]) wrapper.setError('');
    schedule.clearError();
    const flagged = validate(await problems());
    if (flagged.length > 0) {
      setBusy(false);
      fill(summary, h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.composer.fixErrors')));
      flagged[0]?.focus();
      return;
    }
    // A notice to thousands of elderly people cannot be unsent: say to whom and at what cost, and ask once.
    if (submit && !(await confirmed())) {
      setBusy(false);
      return;
    }
    /** @type {Broadcast} */
    let created;
    try {
      created = /** @type {Broadcast} */ (await ctx.api.post('/broadcasts', bodyOf()));
    } catch (err) {
      setBusy(false);
      showRefusal(/** @type {{ code?: string, field?: string }} */ (err));
      return;
    }
    dropDraft();
    const shown = `#/broadcasts/${encodeURIComponent(created.id)}`;
    if (!submit) {
      ctx.toast(t('consoleBroadcasts.composer.savedDraft'), 'success');
      ctx.navigate(shown);
      return;
    }
    try {
      const after = /** @type {Broadcast} */ (await ctx.api.post(`/broadcasts/${encodeURIComponent(created.id)}/submit`));
      const key = after.status === 'pending_approval' ? 'sentForApproval' : after.status === 'scheduled' ? 'sentScheduled' : 'sentNow';
      ctx.toast(t(`consoleBroadcasts.composer.${key}`), 'success');
    } catch {
      ctx.toast(t('consoleBroadcasts.composer.submitFailed'), 'error');
    }
    ctx.navigate(shown);
  }

  /** The officer confirms the send, knowing how many it reaches and what the Zalo templates cost. */
  async function confirmed() {
    const e = estimate();
    const n = ctx.fmt.number;
    const reach = e === null ? t('consoleBroadcasts.composer.confirmReachUnknown') : t('consoleBroadcasts.composer.confirmReach', { count: n(e.recipients) });
    const cost = e && e.cost !== null && e.cost > 0 ? ` ${t('consoleBroadcasts.composer.confirmCost', { amount: n(e.cost) })}` : '';
    const { ok } = await confirmDialog(ctx, { title: t('consoleBroadcasts.composer.confirmTitle'), body: `${reach}${cost}`, confirmLabel: t('consoleBroadcasts.composer.confirmSend') });
    return ok;
  }

  return { send, busy: () => busy };
}
