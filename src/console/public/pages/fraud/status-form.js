import { ApiError } from '../../lib/api.js';
import { clear } from '../../lib/dom.js';
import { confirmDialog, errorBox, field } from '../../lib/ui.js';
import { vocabulary } from '../../lib/vocabulary.js';

/**
 * Moving a case on: the statuses the server says it may go to from here
 * (`nextStatuses`), an optional note, and a confirmation before closing it.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').FraudCaseDetail} FraudCaseDetail
 */

/**
 * @param {PageContext} ctx @param {HTMLElement} box
 * @param {{ current: FraudCaseDetail, path: string, reload: () => Promise<void> }} deps
 */
export function renderStatusForm(ctx, box, { current, path, reload }) {
  const { h, t } = ctx;
  const caseNumber = current.caseNumber;
  box.append(h('h2', { id: 'fraud-status-title' }, t('consoleFraud.changeStatus.title')));
  if (current.nextStatuses.length === 0) {
    box.append(h('p', { class: 'muted', tabindex: '-1', 'data-testid': 'status-final' }, t('consoleFraud.changeStatus.final')));
    return;
  }
  const noteMax = String(vocabulary().fraudNoteMax);
  const select = h('select', { name: 'status', 'data-testid': 'status-select', required: true },
    h('option', { value: '' }, t('consoleFraud.changeStatus.choose')),
    current.nextStatuses.map((s) => h('option', { value: s }, t(`consoleFraud.status.${s}`))),
  );
  const note = h('textarea', { name: 'note', rows: '3', maxlength: noteMax, 'data-testid': 'status-note' });
  const selectField = field(ctx, { label: t('consoleFraud.changeStatus.label'), input: select });
  const noteField = field(ctx, { label: t('consoleFraud.changeStatus.note'), input: note, hint: t('consoleFraud.changeStatus.noteHint') });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'status-submit' }, t('consoleFraud.changeStatus.submit'));
  const problem = h('div', { role: 'alert' });
  const form = h('form', { novalidate: true }, selectField, noteField, problem, submit);
  /** After a change the form is redrawn (or the case is now final): keep focus in the status box. */
  const refocus = () => {
    const target = box.querySelector('select, [data-testid="status-final"]');
    if (target instanceof HTMLElement) target.focus();
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(problem);
    selectField.setError('');
    const target = select.value;
    if (!target) {
      selectField.setError(t('consoleFraud.changeStatus.required'));
      select.focus();
      return;
    }
    if (target === 'closed') {
      const answer = await confirmDialog(ctx, {
        title: t('consoleFraud.changeStatus.confirmTitle'),
        body: t('consoleFraud.changeStatus.confirmBody', { caseNumber }),
        confirmLabel: t('consoleFraud.changeStatus.confirm'),
      });
      if (!answer.ok) {
        select.focus();
        return;
      }
    }
    submit.disabled = true;
    const text = note.value.trim();
    try {
      const result = /** @type {{ status: string, reporterNotified: boolean }} */ (await ctx.api.post(`${path}/status`, text ? { status: target, note: text } : { status: target }));
      const label = t(`consoleFraud.status.${result.status}`);
      const told = result.reporterNotified ? t('consoleFraud.changeStatus.notified') : t('consoleFraud.changeStatus.notNotified');
      ctx.toast(`${t('consoleFraud.changeStatus.done', { caseNumber, status: label })} ${told}`, 'success');
      await reload();
      refocus();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_transition') {
        ctx.toast(t('consoleFraud.changeStatus.conflict'), 'error');
        await reload().catch(() => undefined);
        refocus();
        return;
      }
      problem.append(errorBox(ctx, err));
      submit.disabled = false;
    }
  });
  box.append(form);
}
