import { field, nextId } from '../../../lib/ui.js';
import { sendAtOf } from './form-state.js';

/**
 * When the notice goes: now (once approved) or at a Vietnam date and time,
 * with the quiet hours the server keeps, and "urgent" to send through them.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('./form-state.js').ComposerForm} ComposerForm
 * @typedef {ReturnType<typeof schedulePicker>} SchedulePicker
 */

/**
 * @param {PageContext} ctx @param {BroadcastSettings} settings @param {ComposerForm} form
 * @param {{ changed: () => void }} hooks
 */
export function schedulePicker(ctx, settings, form, { changed }) {
  const { h, t } = ctx;
  const whenName = nextId('when');
  /** @param {string} value @param {string} label */
  const radio = (value, label) => {
    const r = h('input', { type: 'radio', name: whenName, value, id: nextId('r'), checked: form.when === value, 'data-testid': `when-${value}` });
    return { r, el: h('label', { class: 'bc-check', for: r.id }, r, ' ', label) };
  };
  const whenNow = radio('now', t('consoleBroadcasts.composer.whenNow'));
  const whenLater = radio('later', t('consoleBroadcasts.composer.whenLater'));
  const dateInput = h('input', { type: 'date', name: 'date', value: form.date, 'data-testid': 'send-date' });
  const timeInput = h('input', { type: 'time', name: 'time', value: form.time, 'data-testid': 'send-time' });
  const laterBox = h('div', { class: 'bc-later' }, field(ctx, { label: t('consoleBroadcasts.composer.dateLabel'), input: dateInput }), field(ctx, { label: t('consoleBroadcasts.composer.timeLabel'), input: timeInput }));
  const urgentBox = h('input', { type: 'checkbox', id: nextId('cb'), checked: form.urgent, 'data-testid': 'urgent' });
  const quietNotes = [
    settings.quietHours ? t('consoleBroadcasts.composer.quietHours', { ...settings.quietHours }) : null,
    settings.platformNights?.zalo ? t('consoleBroadcasts.composer.zaloNight', { ...settings.platformNights.zalo }) : null,
  ].filter(Boolean);
  const error = h('p', { class: 'error', hidden: true });
  const el = h('fieldset', null,
    h('legend', null, t('consoleBroadcasts.composer.sectionSchedule')),
    h('div', { class: 'bc-checks' }, whenNow.el, whenLater.el),
    laterBox,
    quietNotes.map((n) => h('p', { class: 'hint' }, n)),
    h('label', { class: 'bc-check', for: urgentBox.id }, urgentBox, ' ', t('consoleBroadcasts.composer.urgent')),
    error,
  );

  for (const { r } of [whenNow, whenLater]) {
    r.addEventListener('change', () => {
      form.when = r.value;
      error.hidden = true;
      changed();
    });
  }
  /** @type {[HTMLInputElement, 'date' | 'time'][]} */
  const moments = [[dateInput, 'date'], [timeInput, 'time']];
  for (const [input, key] of moments) {
    input.addEventListener('input', () => {
      form[key] = input.value;
      error.hidden = true;
      changed();
    });
  }
  urgentBox.addEventListener('change', () => {
    form.urgent = urgentBox.checked;
    changed();
  });

  return {
    el,
    renderVisibility() {
      laterBox.hidden = form.when !== 'later';
    },
    clearError() {
      error.hidden = true;
    },
    /** A later send needs a whole date and time still to come; the input to focus, or null when fine. */
    check() {
      if (form.when !== 'later') return null;
      const at = sendAtOf(form);
      const message = !at ? t('consoleBroadcasts.composer.scheduleRequired') : Date.parse(at) <= Date.now() ? t('consoleBroadcasts.composer.schedulePast') : '';
      if (!message) return null;
      error.textContent = message;
      error.hidden = false;
      return at ? timeInput : dateInput;
    },
  };
}
