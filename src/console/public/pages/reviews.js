/**
 * Review queues: payment-method requests and relatives' links, worked one item
 * at a time, oldest first, with keyboard shortcuts. The server decides what a
 * role may do; this page only hides what would be refused.
 */
import { clear } from '../lib/dom.js';
import { button, confirmDialog, emptyState, errorBox, errorMessage, pageHeader } from '../lib/ui.js';

const QUEUES = ['requests', 'links'];
/** The list routes' maxima: a queue that long is shown as "more than N". */
const LIMITS = { requests: 500, links: 200 };
/** Common reasons offered when rejecting, by queue (texts in the locale files). */
const REASONS = {
  requests: ['nameMismatch', 'accountInvalid', 'notMe', 'unreachable'],
  links: ['blurry', 'notCertified', 'mismatch', 'expired'],
};
const SHORTCUTS = [
  { keys: ['A'], help: 'approve', decides: true },
  { keys: ['R'], help: 'reject', decides: true },
  { keys: ['J', 'N'], help: 'next' },
  { keys: ['K', 'P'], help: 'previous' },
  { keys: ['?'], help: 'help' },
];

/** Pending payment-method requests: `submitted`, and `frozen` ones (someone said "this was not me"), oldest first. */
async function loadRequests(api) {
  const limit = LIMITS.requests;
  const [submitted, frozen] = await Promise.all([
    api.get(`/requests?status=submitted&limit=${limit}`),
    api.get(`/requests?status=frozen&limit=${limit}`),
  ]);
  const items = [...submitted.items, ...frozen.items].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
  return { items, capped: submitted.items.length >= limit || frozen.items.length >= limit };
}

async function loadLinks(api) {
  const { items } = await api.get(`/links?status=pending&limit=${LIMITS.links}`);
  return { items, capped: items.length >= LIMITS.links };
}

const LOADERS = { requests: loadRequests, links: loadLinks };

/** Single-key shortcuts can be turned off (WCAG 2.1.4); the choice is kept in this browser. */
const SHORTCUTS_KEY = 'lhb-console-shortcuts';
function shortcutsWanted() {
  try {
    return localStorage.getItem(SHORTCUTS_KEY) !== 'off';
  } catch {
    return true;
  }
}
function rememberShortcuts(on) {
  try {
    localStorage.setItem(SHORTCUTS_KEY, on ? 'on' : 'off');
  } catch {
    // Storage refused (private mode): the choice holds for this page only.
  }
}

/** True when a key press is someone typing, which shortcuts must leave alone. */
function isTyping(target) {
  if (!(target instanceof Element)) return false;
  return target.matches('input, textarea, select') || /** @type {HTMLElement} */ (target).isContentEditable;
}

/** @param {any} ctx */
export async function mount(ctx) {
  const { h, t, fmt } = ctx;
  const tr = (key, vars) => t(`consoleReviews.${key}`, vars);
  const queue = QUEUES.includes(ctx.params[0]) ? ctx.params[0] : 'requests';
  const canDecide = ctx.can('reviewer');
  const state = { items: [], index: 0, capped: false, busy: false, loaded: false, error: null };
  const counts = { requests: null, links: null };

  const tabLinks = Object.fromEntries(
    QUEUES.map((name) => [
      name,
      h('a', { href: `#/reviews/${name}`, 'aria-current': name === queue ? 'page' : null, 'data-testid': `tab-${name}` }, tr(`tab.${name}`)),
    ]),
  );
  const tabs = h('nav', { class: 'review-tabs', 'aria-label': tr('queueLabel') }, h('ul', null, QUEUES.map((name) => h('li', null, tabLinks[name]))));
  const status = h('p', { class: 'review-status', 'aria-live': 'polite', 'data-testid': 'review-count' });
  const body = h('div', { class: 'review-body' });
  let shortcutsOn = shortcutsWanted();
  /** A button's shortcut hint and aria-keyshortcuts, only while shortcuts are on. */
  const withShortcut = (el, keys) => {
    if (shortcutsOn) el.setAttribute('aria-keyshortcuts', keys);
    else el.removeAttribute('aria-keyshortcuts');
    const hint = el.querySelector('kbd');
    if (hint) hint.hidden = !shortcutsOn;
    return el;
  };
  const helpButton = button(ctx, tr('button.help'), () => showHelp(), { variant: 'plain', shortcut: '?' });
  const shortcutsToggle = h('input', {
    type: 'checkbox',
    id: 'review-shortcuts',
    checked: shortcutsOn,
    'data-testid': 'shortcuts-toggle',
    'on:change': () => {
      shortcutsOn = shortcutsToggle.checked;
      rememberShortcuts(shortcutsOn);
      withShortcut(helpButton, '?');
      // Redraws the action buttons with or without their hints (the item stays, focus stays on the checkbox).
      if (state.loaded) render();
    },
  });
  withShortcut(helpButton, '?');
  const refreshButton = button(ctx, tr('button.retry'), () => void refresh(), { variant: 'plain', testId: 'refresh' });

  ctx.root.append(
    h('link', { rel: 'stylesheet', href: '/console/assets/pages/reviews.css' }),
    pageHeader(ctx, tr('title'), h('div', { class: 'review-shortcuts' }, shortcutsToggle, h('label', { for: 'review-shortcuts' }, tr('shortcuts.toggle'))), refreshButton, helpButton),
    tabs,
    h('p', { class: 'alert alert-info', 'data-testid': 'viewer-note', hidden: canDecide }, tr('viewerNote')),
    status,
    body,
  );

  const current = () => state.items[state.index] ?? null;

  function showCount(name) {
    const link = tabLinks[name];
    const count = counts[name];
    link.querySelector('.badge')?.remove();
    if (count) link.append(' ', h('span', { class: count.n > 0 ? 'badge badge-pending' : 'badge' }, count.capped ? `${fmt.number(count.n)}+` : fmt.number(count.n)));
  }

  function countText() {
    const n = state.items.length;
    if (state.capped) return tr('count.more', { count: fmt.number(n) });
    return n === 1 ? tr('count.one') : tr('count.many', { count: fmt.number(n) });
  }

  /**
   * Reloads the queue. After a decision the decided item is gone, so the same
   * position shows the next one; `keepId` keeps a still-pending item in view.
   */
  async function reload({ keepId } = {}) {
    try {
      const result = await LOADERS[queue](ctx.api);
      state.items = result.items;
      state.capped = result.capped;
      state.error = null;
      counts[queue] = { n: result.items.length, capped: result.capped };
      const kept = keepId ? state.items.findIndex((i) => i.id === keepId || i.reference === keepId) : -1;
      state.index = kept >= 0 ? kept : Math.max(0, Math.min(state.index, state.items.length - 1));
    } catch (err) {
      state.error = err;
    }
    state.loaded = true;
    showCount(queue);
  }

  async function loadOtherCount() {
    const other = QUEUES.find((name) => name !== queue);
    try {
      const result = await LOADERS[other](ctx.api);
      counts[other] = { n: result.items.length, capped: result.capped };
      showCount(other);
    } catch {
      // The other tab's count is a courtesy; its own page reports errors.
    }
  }

  function render({ focus = false } = {}) {
    clear(body);
    if (state.error) {
      status.textContent = '';
      const box = errorBox(ctx, state.error);
      body.append(box, button(ctx, tr('button.retry'), () => void refresh()));
      if (focus) focusBlock(box);
      return;
    }
    const item = current();
    if (!item) {
      status.textContent = '';
      const empty = emptyState(ctx, tr(`empty.${queue}`));
      empty.setAttribute('data-testid', 'review-empty');
      body.append(empty);
      if (focus) focusBlock(empty);
      return;
    }
    status.textContent = `${countText()} · ${tr('position', { index: fmt.number(state.index + 1), total: fmt.number(state.items.length) })}`;
    const heading = h('h2', { tabindex: '-1', class: 'review-heading', 'data-testid': 'review-heading' }, item.beneficiary?.fullName ?? '—', ' ', h('span', { class: 'muted' }, reference(item)));
    body.append(
      h('article', { class: 'card review-item', 'aria-labelledby': 'review-heading', 'data-testid': 'review-item', 'data-id': item.id },
        Object.assign(heading, { id: 'review-heading' }),
        queue === 'requests' ? requestDetails(item) : linkDetails(item),
      ),
      actions(item),
    );
    if (focus) heading.focus();
  }

  /** Keeps keyboard focus on the page when what had it (a decided item's buttons) is gone. */
  function focusBlock(el) {
    el.setAttribute('tabindex', '-1');
    el.focus();
  }

  async function refresh() {
    const keepId = current()?.id;
    await Promise.all([reload({ keepId }), loadOtherCount()]);
    render({ focus: true });
  }

  const reference = (item) => item.reference ?? item.id.slice(-6).toUpperCase();

  /** A description list from [label, value] pairs; null values are left out. */
  function details(title, pairs) {
    const rows = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
    return h('section', { class: 'review-section' },
      h('h3', null, title),
      h('dl', { class: 'review-dl' }, rows.map(([label, value]) => [h('dt', null, label), h('dd', null, value)])),
    );
  }

  function nameMatch(value) {
    if (value === true) return h('span', { class: 'match match-ok', 'data-testid': 'name-match' }, tr('nameMatch.ok'));
    if (value === false) {
      return h('span', { class: 'match match-bad', 'data-testid': 'name-match' },
        h('strong', null, tr('nameMatch.mismatch')), h('br'), tr('nameMatch.mismatchHint'));
    }
    return null;
  }

  const period = (p) => (p ? `${p.slice(5, 7)}/${p.slice(0, 4)}` : null);

  function requestDetails(item) {
    const m = item.method;
    const warnings = [];
    if (item.notMe) {
      warnings.push(
        h('section', { class: 'alert alert-error review-notme', 'data-testid': 'not-me' },
          h('h3', null, tr('notMe.title')),
          h('p', null, tr('notMe.text', { time: fmt.dateTime(item.notMeAt) })),
          item.reviewedAt ? h('p', null, tr('notMe.approvedBefore')) : null,
          canDecide ? h('p', null, h('strong', null, tr('notMe.onlyReject'))) : null,
        ),
      );
    }
    if (item.withinMinInterval && item.status === 'submitted') warnings.push(h('p', { class: 'alert alert-warning' }, tr('withinInterval')));
    // Approved before the freeze: the dates it had. Still submitted: what approving today would set.
    const schedule = item.coolingOffUntil
      ? [[tr('field.coolingOff'), fmt.date(item.coolingOffUntil)], [tr('field.effective'), period(item.effectiveFromPeriod)]]
      : item.ifApprovedNow
        ? [[tr('field.coolingOff'), tr('schedule.ifApproved', { until: fmt.date(item.ifApprovedNow.coolingOffUntil), period: period(item.ifApprovedNow.effectiveFromPeriod) })]]
        : [];
    return [
      warnings,
      h('div', { class: 'review-grid' },
        details(tr('section.person'), [
          [tr('field.beneficiary'), item.beneficiary?.fullName],
          [tr('field.bhxhCode'), item.beneficiary?.bhxhCodeMasked],
          [tr('field.province'), item.provinceCode],
        ]),
        details(tr('section.method'), [
          [tr('field.method'), h('strong', null, tr(`method.${m.kind}`))],
          [tr('field.bank'), m.kind === 'bank' ? [m.bankName ?? '—', m.bankBin ? h('span', { class: 'muted' }, ` (BIN ${m.bankBin})`) : null] : null],
          [tr('field.wallet'), m.kind === 'ewallet' ? tr(`wallet.${m.walletProvider}`) : null],
          [m.kind === 'ewallet' ? tr('field.walletPhone') : tr('field.account'), m.accountMasked ? h('span', { class: 'mono' }, m.accountMasked) : null],
          [tr('field.holder'), m.holderName],
          [tr('field.nameMatch'), nameMatch(m.nameMatches)],
          [tr('field.homeReason'), m.homeReason ? tr(`homeReason.${m.homeReason}`) : null],
        ]),
        details(tr('section.request'), [
          [tr('field.reference'), h('span', { class: 'mono' }, item.reference)],
          [tr('field.requestedBy'), tr(`requestedBy.${item.requestedBy.role}`)],
          [tr('field.channel'), tr(`channel.${item.requestedBy.channel}`)],
          [tr('field.submittedAt'), fmt.dateTime(item.createdAt)],
          ...schedule,
        ]),
      ),
    ];
  }

  function photo(item) {
    // Looking at someone's papers is reviewer work (the server refuses viewers, and audits each view).
    if (!canDecide) return h('p', { class: 'muted', 'data-testid': 'photo-reviewer-only' }, tr('document.photoReviewerOnly'));
    const url = ctx.api.url(`/links/${encodeURIComponent(item.id)}/photo`);
    const fallback = h('p', { class: 'alert alert-warning', hidden: true, 'data-testid': 'photo-missing' }, tr('document.photoMissing'));
    const open = h('a', { href: url, target: '_blank', rel: 'noopener' }, tr('document.photoOpen'));
    const img = h('img', {
      class: 'review-photo',
      alt: tr('document.photo'),
      'data-testid': 'link-photo',
      'on:error': () => {
        img.hidden = true;
        open.hidden = true;
        fallback.hidden = false;
      },
    });
    img.src = url; // after the error listener is in place
    return h('figure', { class: 'review-figure' }, img, fallback, h('figcaption', null, tr('document.photo'), ' ', open));
  }

  function linkDetails(item) {
    const doc = item.document;
    return h('div', { class: 'review-grid' },
      details(tr('section.person'), [
        [tr('field.beneficiary'), item.beneficiary?.fullName],
        [tr('field.bhxhCode'), item.beneficiary?.bhxhCodeMasked],
        [tr('field.province'), item.provinceCode],
      ]),
      details(tr('section.request'), [
        [tr('field.reference'), h('span', { class: 'mono' }, reference(item))],
        [tr('field.requestedBy'), tr(`requestedBy.${item.role}`)],
        [tr('field.relationship'), item.relationship ? h('strong', null, tr(`relationship.${item.relationship}`)) : null],
        [tr('field.channel'), tr(`channel.${item.channel}`)],
        [tr('field.submittedAt'), fmt.dateTime(item.createdAt)],
      ]),
      doc
        ? h('div', { class: 'review-document' },
          details(tr('document.title'), [
            [tr('document.type'), tr(`document.kind.${doc.kind}`)],
            [tr('document.number'), h('span', { class: 'mono' }, doc.number)],
            [tr('document.issuedOn'), fmt.date(doc.issuedOn)],
            [tr('document.issuer'), doc.issuer],
            [tr('document.expiresOn'), doc.expiresOn ? fmt.date(doc.expiresOn) : tr('document.noExpiry')],
          ]),
          photo(item),
        )
        : null,
    );
  }

  function actions(item) {
    const atStart = state.index === 0;
    const atEnd = state.index >= state.items.length - 1;
    const approve = canDecide ? button(ctx, tr('button.approve'), () => void approveCurrent(), { variant: 'primary', shortcut: 'A', testId: 'approve' }) : null;
    const reject = canDecide ? button(ctx, tr('button.reject'), () => void rejectCurrent(), { variant: 'danger', shortcut: 'R', testId: 'reject' }) : null;
    // A frozen request can only be rejected: the server refuses approval, so the button says so by being off.
    if (approve && queue === 'requests' && item.status !== 'submitted') approve.disabled = true;
    const prev = button(ctx, tr('button.previous'), () => move(-1), { shortcut: 'K', testId: 'previous' });
    const next = button(ctx, tr('button.next'), () => move(1), { shortcut: 'J', testId: 'next' });
    withShortcut(prev, 'K P');
    withShortcut(next, 'J N');
    if (approve) withShortcut(approve, 'A');
    if (reject) withShortcut(reject, 'R');
    prev.disabled = atStart;
    next.disabled = atEnd;
    for (const b of [approve, reject]) if (b) b.disabled ||= state.busy;
    return h('div', { class: 'row review-actions' }, approve, reject, h('span', { class: 'review-spacer' }), prev, next);
  }

  function move(step) {
    const to = state.index + step;
    if (to < 0 || to >= state.items.length) return;
    state.index = to;
    render({ focus: true });
  }

  async function approveCurrent() {
    const item = current();
    if (!item || !canDecide || state.busy) return;
    if (queue === 'requests' && item.status !== 'submitted') {
      ctx.toast(tr('notMe.onlyReject'), 'error');
      return;
    }
    const name = item.beneficiary?.fullName ?? '';
    const override = queue === 'requests' && item.withinMinInterval === true;
    const text = queue === 'requests'
      ? tr('approve.body', { reference: item.reference, name })
      : tr('approve.bodyLink', { reference: reference(item), name, relationship: item.relationship ? tr(`relationship.${item.relationship}`).toLowerCase() : '' });
    const warnings = [];
    if (queue === 'requests' && item.method.nameMatches === false) warnings.push(tr('approve.nameWarning'));
    if (override) warnings.push(tr('approve.overrideWarning'));
    const { ok } = await confirmDialog(ctx, {
      title: tr('approve.title'),
      body: [text, warnings.map((w) => [' ', h('strong', null, w)])],
      confirmLabel: tr(override ? 'approve.confirmOverride' : 'approve.confirm'),
    });
    if (!ok) return;
    // The override is what the reviewer just confirmed, having been warned.
    await decide(item, 'approve', queue === 'requests' ? (override ? { overrideFrequency: true } : {}) : undefined);
  }

  async function rejectCurrent() {
    const item = current();
    if (!item || !canDecide || state.busy) return;
    let keys = REASONS[queue];
    // The reason that fits what the reviewer is looking at comes first.
    if (queue === 'requests') {
      const first = item.notMe ? 'notMe' : item.method.nameMatches === false ? 'nameMismatch' : null;
      if (first) keys = [first, ...keys.filter((k) => k !== first)];
    }
    const { ok, reason } = await confirmDialog(ctx, {
      title: tr('reject.title', { reference: reference(item) }),
      body: tr('reject.common'),
      confirmLabel: tr('reject.confirm'),
      reasonLabel: tr('reject.reasonLabel'),
      reasonOptions: keys.map((k) => tr(`reject.reasons.${queue}.${k}`)),
      danger: true,
    });
    if (!ok) return;
    if (reason.length < 3) {
      ctx.toast(tr('reject.tooShort'), 'error');
      return;
    }
    await decide(item, 'reject', { reason });
  }

  async function decide(item, verb, payload) {
    state.busy = true;
    render();
    let keepId;
    try {
      const result = await ctx.api.post(`/${queue}/${encodeURIComponent(item.id)}/${verb}`, payload);
      ctx.toast(tr(verb === 'approve' ? 'approve.done' : 'reject.done', { reference: result.reference ?? reference(item) }), 'success');
    } catch (err) {
      const known = { already_decided: 'error.alreadyDecided', beneficiary_frozen: 'error.beneficiaryFrozen', too_soon: 'error.tooSoon' }[err?.code];
      ctx.toast(known ? tr(known) : tr('error.failed', { message: errorMessage(ctx, err) }), 'error');
      // Still pending (refused for a reason the reviewer can fix): stay on it.
      if (err?.code !== 'already_decided') keepId = item.id;
    }
    await reload({ keepId });
    state.busy = false;
    render({ focus: true });
  }

  function showHelp() {
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

  /** @param {KeyboardEvent} ev */
  function onKey(ev) {
    if (!shortcutsOn || ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey || ev.repeat) return;
    if (isTyping(ev.target) || document.querySelector('dialog[open]')) return;
    const action = {
      a: () => void approveCurrent(),
      r: () => void rejectCurrent(),
      j: () => move(1),
      n: () => move(1),
      k: () => move(-1),
      p: () => move(-1),
      '?': () => showHelp(),
    }[ev.key.length === 1 ? ev.key.toLowerCase() : ''];
    if (!action) return;
    ev.preventDefault();
    action();
  }

  document.addEventListener('keydown', onKey);
  ctx.onDispose(() => document.removeEventListener('keydown', onKey));

  const wanted = ctx.query.get('id');
  await Promise.all([reload({ keepId: wanted ?? undefined }), loadOtherCount()]);
  render();
}
