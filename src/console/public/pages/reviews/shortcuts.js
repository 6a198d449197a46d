import { button } from '../../lib/ui.js';

/**
 * Single-key shortcuts of the review queues (A approve, R reject, J/N next,
 * K/P previous, ? help), which can be turned off (WCAG 2.1.4); the choice is
 * kept in this browser.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {{ approve: () => void, reject: () => void, next: () => void, previous: () => void, help: () => void }} ShortcutActions
 */

const SHORTCUTS = [
  { keys: ['A'], help: 'approve', decides: true },
  { keys: ['R'], help: 'reject', decides: true },
  { keys: ['J', 'N'], help: 'next' },
  { keys: ['K', 'P'], help: 'previous' },
  { keys: ['?'], help: 'help' },
];

const STORAGE_KEY = 'lhb-console-shortcuts';

export function shortcutsWanted() {
  try {
    return localStorage.getItem(STORAGE_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** @param {boolean} on */
export function rememberShortcuts(on) {
  try {
    localStorage.setItem(STORAGE_KEY, on ? 'on' : 'off');
  } catch {
    // Storage refused (private mode): the choice holds for this page only.
  }
}

/** True when a key press is someone typing, which shortcuts must leave alone. @param {EventTarget | null} target */
function isTyping(target) {
  if (!(target instanceof Element)) return false;
  return target.matches('input, textarea, select') || /** @type {HTMLElement} */ (target).isContentEditable;
}

/**
 * A button's shortcut hint and aria-keyshortcuts, only while shortcuts are on.
 * @template {HTMLElement} E
 * @param {E} el @param {string} keys @param {boolean} on
 * @returns {E}
 */
export function withShortcut(el, keys, on) {
  if (on) el.setAttribute('aria-keyshortcuts', keys);
  else el.removeAttribute('aria-keyshortcuts');
  const hint = el.querySelector('kbd');
  if (hint) hint.hidden = !on;
  return el;
}

/** The list of shortcuts in a dialog (deciding ones only for keys that may decide). @param {PageContext} ctx @param {boolean} canDecide */
export function showShortcutHelp(ctx, canDecide) {
  const { h } = ctx;
  /** @param {string} key */
  const tr = (key) => ctx.t(`consoleReviews.${key}`);
  if (document.querySelector('dialog[open]')) return;
  const titleId = 'review-help-title';
  const rows = SHORTCUTS.filter((s) => canDecide || !s.decides).map((s) =>
    h('tr', null, h('th', { scope: 'row' }, s.keys.map((k, i) => [i > 0 ? ' / ' : '', h('kbd', null, k)])), h('td', null, tr(`help.${s.help}`))),
  );
  const dialog = h('dialog', { 'aria-labelledby': titleId, class: 'review-help', 'data-testid': 'shortcut-help' },
    h('h2', { id: titleId }, tr('help.title')),
    h('p', null, tr('help.intro')),
    h('table', { class: 'data' }, h('tbody', null, rows)),
    h('div', { class: 'row' }, button(ctx, tr('help.close'), () => dialog.close(), { variant: 'primary' })),
  );
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  dialog.querySelector('button')?.focus();
}

/**
 * Listens for the shortcuts on the whole document until the page is left.
 * @param {PageContext} ctx @param {() => boolean} enabled @param {ShortcutActions} actions
 */
export function listenForShortcuts(ctx, enabled, actions) {
  /** @type {Record<string, () => void>} */
  const byKey = { a: actions.approve, r: actions.reject, j: actions.next, n: actions.next, k: actions.previous, p: actions.previous, '?': actions.help };
  /** @param {KeyboardEvent} ev */
  function onKey(ev) {
    if (!enabled() || ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
    if (isTyping(ev.target) || document.querySelector('dialog[open]')) return;
    const action = byKey[ev.key.length === 1 ? ev.key.toLowerCase() : ''];
    if (!action) return;
    ev.preventDefault();
    action();
  }
  document.addEventListener('keydown', onKey);
  ctx.onDispose(() => document.removeEventListener('keydown', onKey));
}
