import { errorMessage, field } from '../../lib/ui.js';
import { vocabulary } from '../../lib/vocabulary.js';

/**
 * Staff notes on a case, oldest first, and (for keys that may write them) a
 * form to add one; the server says if a note is too long.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').FraudCaseDetail} FraudCaseDetail
 */

/**
 * @param {PageContext} ctx @param {HTMLElement} box
 * @param {{ current: FraudCaseDetail, path: string, reload: () => Promise<void> }} deps
 */
export function renderNotes(ctx, box, { current, path, reload }) {
  const { h, t } = ctx;
  box.append(h('h2', { id: 'fraud-notes-title' }, t('consoleFraud.notes.title')));
  if (current.notes.length === 0) box.append(h('p', { class: 'muted' }, t('consoleFraud.notes.none')));
  else {
    box.append(h('ol', { class: 'fraud-notes', 'data-testid': 'notes' },
      current.notes.map((n) =>
        h('li', { 'data-testid': 'note' },
          h('p', { class: 'fraud-note-text' }, n.text),
          h('p', { class: 'muted fraud-note-meta' }, t('consoleFraud.notes.by', { at: ctx.fmt.dateTime(n.at), by: current.staffLabels[n.by] ?? n.by })),
        ),
      ),
    ));
  }
  if (!ctx.may('postFraudCasesByCaseNumberNotes')) return;
  // The box can take no more than the server keeps, so nothing typed is cut off later.
  const text = h('textarea', { name: 'text', rows: '3', maxlength: String(vocabulary().fraudNoteMax), 'data-testid': 'note-text' });
  const textField = field(ctx, { label: t('consoleFraud.notes.label'), input: text, hint: t('consoleFraud.notes.hint') });
  const submit = h('button', { type: 'submit', class: 'btn', 'data-testid': 'note-submit' }, t('consoleFraud.notes.add'));
  const form = h('form', { novalidate: true, class: 'fraud-note-form' }, textField, submit);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = text.value.trim();
    textField.setError('');
    if (!value) {
      textField.setError(t('consoleFraud.notes.empty'));
      text.focus();
      return;
    }
    submit.disabled = true;
    try {
      await ctx.api.post(`${path}/notes`, { text: value });
      ctx.toast(t('consoleFraud.notes.added'), 'success');
      await reload();
      box.querySelector('textarea')?.focus();
    } catch (err) {
      textField.setError(errorMessage(ctx, err));
      submit.disabled = false;
    }
  });
  box.append(form);
}
