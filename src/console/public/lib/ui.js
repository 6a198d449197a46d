import { h } from './dom.js';

/**
 * @typedef {import('./types.js').UiContext} UiContext
 * @typedef {import('./types.js').FieldWrapper} FieldWrapper
 * @typedef {import('./types.js').ProgressBar} ProgressBar
 */

let uid = 0;
/** Ids for label/hint wiring. @param {string} prefix */
export const nextId = (prefix = 'f') => `${prefix}-${++uid}`;

/**
 * The page title (focused after navigation, so screen readers announce the page) and its actions.
 * @param {unknown} ctx @param {string} title @param {...unknown} actions
 */
export function pageHeader(ctx, title, ...actions) {
  return h('div', { class: 'page-header' }, h('h1', { tabindex: '-1', 'data-page-title': '' }, title), ...actions);
}

/**
 * A labelled progress bar; `.update(value, max)` moves it.
 * @param {UiContext} ctx @param {{ value?: number, max?: number, label?: string }} spec
 * @returns {ProgressBar}
 */
export function progressBar(ctx, { value = 0, max = 100, label = '' }) {
  const fill = h('div', { class: 'fill' });
  const bar = h('div', { class: 'bar', role: 'progressbar', 'aria-valuemin': '0', 'aria-label': label }, fill);
  const figure = h('span', { class: 'figure' });
  const el = h('div', { class: 'progress' }, h('div', { class: 'label' }, h('span', null, label), figure), bar);
  /** @param {number} v @param {number} m */
  const update = (v, m) => {
    const ratio = m > 0 ? Math.min(1, Math.max(0, v / m)) : 0;
    fill.style.width = `${(ratio * 100).toFixed(1)}%`;
    bar.setAttribute('aria-valuemax', String(m));
    bar.setAttribute('aria-valuenow', String(v));
    bar.setAttribute('aria-valuetext', ctx.fmt.percent(ratio));
    figure.textContent = ctx.fmt.percent(ratio);
  };
  update(value, max);
  return Object.assign(el, { update });
}

/**
 * A status shown as a coloured pill; the words carry the meaning, the colour (console.css `.badge-<status>`) backs them up.
 * @param {unknown} ctx @param {string} status @param {string} label @param {Record<string, unknown>} [attrs] e.g. data-testid, data-status
 */
export const badge = (ctx, status, label, attrs = {}) => h('span', { class: `badge badge-${status}`, ...attrs }, label);

/** @param {unknown} ctx @param {string} text */
export const emptyState = (ctx, text) => h('p', { class: 'empty' }, text);

/**
 * What went wrong, in the staff member's language; the server's own words follow for specifics.
 * @param {Pick<UiContext, 't'>} ctx @param {unknown} err
 */
export function errorMessage(ctx, err) {
  const e = /** @type {{ code?: unknown, message?: unknown } | null | undefined} */ (err && typeof err === 'object' ? err : null);
  const code = e && 'code' in e ? String(e.code) : 'unknown';
  const known = ['network', 'forbidden', 'csrf_failed', 'session_expired', 'not_found', 'too_many_attempts', 'conflict', 'validation_failed', 'too_large'];
  const text = known.includes(code) ? ctx.t(`console.errors.${code}`) : ctx.t('console.errors.unknown');
  const detail = e && e.message && e.message !== code && code !== 'network' ? String(e.message) : '';
  return detail ? `${text} (${detail})` : text;
}

/** @param {Pick<UiContext, 't'>} ctx @param {unknown} err */
export const errorBox = (ctx, err) => h('div', { class: 'alert alert-error', role: 'alert' }, errorMessage(ctx, err));

/**
 * A label, its input and optional hint/error, wired for screen readers.
 * @param {unknown} ctx
 * @param {{ label: string, input: HTMLElement, hint?: string, error?: string }} spec
 * @returns {FieldWrapper}
 */
export function field(ctx, { label, input, hint, error }) {
  input.id ||= nextId('field');
  const hintId = hint ? `${input.id}-hint` : null;
  const errorId = `${input.id}-error`;
  const errorEl = h('p', { class: 'error', id: errorId, hidden: !error }, error ?? '');
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  input.setAttribute('aria-describedby', describedBy);
  const wrapper = h('div', { class: 'field' }, h('label', { for: input.id }, label), hint ? h('p', { class: 'hint', id: hintId }, hint) : null, input, errorEl);
  /** Shows (or with '' hides) a message under the input without touching what was typed. @param {string} message */
  const setError = (message) => {
    errorEl.textContent = message ?? '';
    errorEl.hidden = !message;
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  return Object.assign(wrapper, { setError });
}

/**
 * @param {unknown} ctx @param {string} label @param {(ev: Event) => void} onClick
 * @param {{ variant?: 'primary'|'danger'|'plain', shortcut?: string, type?: string, testId?: string }} [opts]
 */
export function button(ctx, label, onClick, opts = {}) {
  const cls = ['btn', opts.variant ? `btn-${opts.variant}` : ''].filter(Boolean).join(' ');
  return h(
    'button',
    { type: opts.type ?? 'button', class: cls, 'on:click': onClick, 'aria-keyshortcuts': opts.shortcut, 'data-testid': opts.testId },
    label,
    opts.shortcut ? h('kbd', { 'aria-hidden': 'true' }, opts.shortcut) : null,
  );
}

/**
 * A modal question. With `reasonLabel` it asks for a reason and refuses an empty one.
 * @param {Pick<UiContext, 't'>} ctx
 * @param {{ title: string, body?: unknown, confirmLabel: string, reasonLabel?: string, reasonOptions?: string[], danger?: boolean }} spec
 * @returns {Promise<{ ok: boolean, reason: string }>}
 */
export function confirmDialog(ctx, { title, body, confirmLabel, reasonLabel, reasonOptions, danger = false }) {
  return new Promise((resolve) => {
    const titleId = nextId('dlg');
    const reason = reasonLabel ? h('textarea', { rows: '3', required: true }) : null;
    const reasonField = reason && reasonLabel ? field(ctx, { label: reasonLabel, input: reason }) : null;
    const choices = reason && reasonField && reasonOptions?.length
      ? h('div', { class: 'row' }, reasonOptions.map((text) => button(ctx, text, () => { reason.value = text; reasonField.setError(''); reason.focus(); }, { variant: 'plain' })))
      : null;
    const dialog = h('dialog', { 'aria-labelledby': titleId });
    /** @param {boolean} ok */
    const close = (ok) => {
      if (ok && reason && reasonField && reason.value.trim() === '') {
        reasonField.setError(ctx.t('console.dialog.reasonRequired'));
        reason.focus();
        return;
      }
      dialog.close();
      dialog.remove();
      resolve({ ok, reason: reason ? reason.value.trim() : '' });
    };
    dialog.append(
      h('h2', { id: titleId }, title),
      body ? h('p', null, body) : '',
      choices ?? '',
      reasonField ?? '',
      h('div', { class: 'row' },
        button(ctx, confirmLabel, () => close(true), { variant: danger ? 'danger' : 'primary', testId: 'dialog-confirm' }),
        button(ctx, ctx.t('console.dialog.cancel'), () => close(false), { testId: 'dialog-cancel' }),
      ),
    );
    dialog.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    (reason ?? dialog.querySelector('button'))?.focus();
  });
}
