import { h, clear } from './lib/dom.js';
import { ApiError, createApi, sessionApi } from './lib/api.js';
import { LANGUAGES, language, loadLanguage, savedLanguage, t } from './lib/i18n.js';
import { fmt } from './lib/format.js';
import { button, errorBox, errorMessage, field, pageHeader } from './lib/ui.js';
import { loadVocabulary } from './lib/vocabulary.js';

/**
 * The console shell: sign-in, header and navigation, and a hash router that
 * loads one page module per section (`pages/<section>.js`, `mount(ctx)`).
 *
 * @typedef {import('./lib/api-types.js').Session} Session
 * @typedef {import('./lib/types.js').PageContext} PageContext
 * @typedef {import('./lib/types.js').ToastKind} ToastKind
 */

/**
 * Sections in menu order; `needs` (an admin API operation) hides a section from
 * keys the server says may not call it (the session's `can`). An `optional`
 * section exists only where the server has its routes (Zalo's, where an OA runs).
 * @type {{ id: string, needs?: string, href?: string, optional?: boolean }[]}
 */
const SECTIONS = [
  { id: 'dashboard' },
  { id: 'broadcasts' },
  { id: 'reviews', href: '#/reviews/requests' },
  { id: 'fraud' },
  { id: 'imports', needs: 'getImports' },
  { id: 'zalo', needs: 'getZaloTemplates', optional: true },
];

/**
 * Whether the server lets this session call `operation`. An operation the
 * server does not know is a console bug (a renamed route): said in the developer tools.
 * @param {Session | null} session @param {string} operation
 */
function may(session, operation) {
  if (!session) return false;
  if (!(operation in session.can)) console.warn('unknown admin API operation', operation);
  return session.can[operation] === true;
}

/** How often the idle check runs; the timeout itself comes from the server (CONSOLE_IDLE_MINUTES). */
const IDLE_CHECK_MS = 15_000;
/** Last input in any tab: the tabs share one session, so one busy tab keeps the others signed in. */
const ACTIVITY_KEY = 'lhb-console-activity';

const state = {
  /** Last keyboard, mouse or touch input: pages that poll keep the server session busy, so idleness is judged here. */
  lastActivity: Date.now(),
  /** @type {Session | null} */
  session: null,
  /** @type {(() => void)[]} */
  disposers: [],
  notice: '',
};

const appEl = () => /** @type {HTMLElement} */ (document.getElementById('app'));

const api = createApi({
  csrfToken: () => state.session?.csrfToken ?? '',
  onSignedOut: () => {
    if (!state.session) return;
    state.session = null;
    state.notice = t('console.signIn.expired');
    renderSignIn();
  },
  onSessionChanged: async () => {
    state.session = await sessionApi.current();
    if (state.session) {
      renderShell();
      toast(t('console.sessionChanged'), 'info');
    } else {
      state.notice = t('console.signIn.expired');
      renderSignIn();
    }
  },
});

/** @param {string} message @param {ToastKind} [kind] */
function toast(message, kind = 'info') {
  let box = document.querySelector('.toasts');
  if (!box) {
    box = h('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const el = h('div', { class: `toast toast-${kind}`, 'data-testid': 'toast' }, message);
  box.append(el);
  setTimeout(() => el.remove(), 6000);
}

function dispose() {
  for (const fn of state.disposers.splice(0)) {
    try {
      fn();
    } catch (err) {
      console.error(err);
    }
  }
  // Dialogs live on <body>, outside the page: a question about a record must not outlive its page.
  for (const dialog of document.querySelectorAll('body > dialog')) dialog.remove();
}

function renderSignIn() {
  dispose();
  const root = clear(appEl());
  const ctx = { t, fmt };
  const input = h('input', { type: 'password', name: 'key', autocomplete: 'off', spellcheck: 'false', required: true, 'data-testid': 'signin-key' });
  const keyField = field(ctx, { label: t('console.signIn.keyLabel'), input, hint: t('console.signIn.keyHint') });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'signin-submit' }, t('console.signIn.submit'));
  const form = h('form', { class: 'card signin', novalidate: true, 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, t('console.signIn.title')),
    h('p', { class: 'muted' }, t('console.signIn.intro')),
    state.notice ? h('div', { class: 'alert alert-info', role: 'status' }, state.notice) : null,
    keyField,
    h('div', { class: 'row' }, submit, languageSwitch()),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    if (!key) {
      keyField.setError(t('console.signIn.empty'));
      input.focus();
      return;
    }
    submit.disabled = true;
    try {
      state.session = await sessionApi.signIn(key);
      state.notice = '';
      state.lastActivity = Date.now();
      input.value = '';
      renderShell();
    } catch (err) {
      const code = err instanceof ApiError && (err.code === 'unauthorized' || err.code === 'too_many_attempts') ? err.code : null;
      keyField.setError(code ? t(`console.signIn.${code}`) : errorMessage(ctx, err));
      input.focus();
    } finally {
      submit.disabled = false;
    }
  });
  root.append(h('main', { id: 'main', tabindex: '-1' }, form));
  input.focus();
}

function languageSwitch() {
  return h('div', { class: 'row', role: 'group', 'aria-label': t('console.language') },
    LANGUAGES.map((lng) =>
      h('button', {
        type: 'button',
        class: 'btn btn-plain',
        lang: lng,
        'aria-pressed': String(lng === language()),
        'on:click': async () => {
          if (lng === language()) return;
          await loadLanguage(lng);
          if (state.session) renderShell();
          else renderSignIn();
        },
      }, t(`console.languages.${lng}`)),
    ),
  );
}

/** @param {string | null} province */
function provinceLabel(province) {
  return province ? t('console.province', { code: province }) : t('console.allProvinces');
}

function renderShell() {
  if (!state.session) return;
  const session = state.session;
  const { staff } = session;
  const root = clear(appEl());
  const nav = h('nav', { class: 'mainnav', 'aria-label': t('console.nav.label') },
    h('ul', null,
      SECTIONS.filter((s) => !s.needs || ((!s.optional || (session !== null && s.needs in session.can)) && may(session, s.needs))).map((s) =>
        h('li', null, h('a', { href: s.href ?? `#/${s.id}`, 'data-section': s.id }, t(`console.nav.${s.id}`))),
      ),
    ),
  );
  const header = h('header', { class: 'topbar' },
    h('span', { class: 'brand' }, t('console.brand')),
    h('span', { class: 'who', 'data-testid': 'who' },
      h('span', null, staff.label),
      h('span', { class: 'role-badge', 'data-testid': 'role' }, t(`console.roles.${staff.role}`)),
      h('span', { 'data-testid': 'province' }, provinceLabel(staff.province)),
    ),
    languageSwitch(),
    button({ t }, t('console.signOut'), () => signOut(), { testId: 'sign-out' }),
  );
  const main = h('main', { id: 'main', tabindex: '-1' });
  root.append(header, nav, main);
  route();
}

async function signOut(notice = t('console.signIn.signedOut')) {
  const csrf = state.session?.csrfToken ?? '';
  state.session = null;
  dispose();
  // The screen is cleared first: a desk left alone must not keep showing people's records,
  // nor keep a half-written broadcast for the next person at this browser.
  clear(appEl());
  sessionStorage.clear();
  // "Signed out" is shown once the server has ended the session (or could not be reached), not before.
  await sessionApi.signOut(csrf).catch(() => undefined);
  state.notice = notice;
  renderSignIn();
}

/** Signs out after CONSOLE_IDLE_MINUTES without input, even while a page keeps polling the API. */
function watchIdle() {
  const touch = () => {
    state.lastActivity = Date.now();
    localStorage.setItem(ACTIVITY_KEY, String(state.lastActivity));
  };
  for (const type of ['pointerdown', 'keydown', 'wheel', 'touchstart']) document.addEventListener(type, touch, { passive: true, capture: true });
  setInterval(() => {
    if (!state.session) return;
    const last = Math.max(state.lastActivity, Number(localStorage.getItem(ACTIVITY_KEY)) || 0);
    if (Date.now() - last > state.session.idleMinutes * 60_000) void signOut(t('console.signIn.expired'));
  }, IDLE_CHECK_MS);
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, query = ''] = raw.split('?');
  const segments = path.split('/').filter(Boolean).map((s) => decodeURIComponent(s));
  return { section: segments[0] ?? 'dashboard', params: segments.slice(1), query: new URLSearchParams(query) };
}

let routeSerial = 0;

async function route() {
  if (!state.session) return;
  const session = state.session;
  const main = document.getElementById('main');
  if (!main) return;
  dispose();
  clear(main);
  const serial = ++routeSerial;
  const { section, params, query } = parseHash();
  for (const link of document.querySelectorAll('.mainnav a')) {
    if (link.getAttribute('data-section') === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const known = SECTIONS.find((s) => s.id === section);
  // Each visit gets its own container and its own API client: a page still loading when the
  // officer moves on can neither draw into the next page nor start requests (photo views are audited).
  const pageRoot = h('div', { class: 'page' });
  main.append(pageRoot);
  const visit = new AbortController();
  state.disposers.push(() => visit.abort());
  const current = () => serial === routeSerial && !visit.signal.aborted;
  /** @type {PageContext} */
  const ctx = {
    root: pageRoot,
    params,
    query,
    api: api.forPage(visit.signal),
    t,
    fmt,
    h,
    session: session.staff,
    may: (operation) => may(state.session, operation),
    navigate: (hash) => {
      if (location.hash === hash) route();
      else location.hash = hash;
    },
    toast: (message, kind) => {
      if (current()) toast(message, kind);
    },
    onDispose: (fn) => {
      if (current()) state.disposers.push(fn);
      else fn();
    },
  };
  if (!known) {
    pageRoot.append(pageHeader(ctx, t('console.notFound.title')), h('p', null, t('console.notFound.body')), h('a', { href: '#/dashboard' }, t('console.nav.dashboard')));
    return;
  }
  document.title = `${t(`console.nav.${section}`)} · ${t('console.brand')}`;
  pageRoot.append(h('p', { class: 'muted', 'data-loading': '' }, t('console.loading')));
  try {
    const page = await import(`./pages/${section}.js`);
    if (!current()) return;
    clear(pageRoot);
    await page.mount(ctx);
  } catch (err) {
    if (!current() || (err instanceof ApiError && err.code === 'aborted')) return;
    console.error(err);
    clear(pageRoot);
    pageRoot.append(pageHeader(ctx, t(`console.nav.${section}`)), errorBox(ctx, err));
  }
  if (!current()) return;
  // Announce the new page: focus its title (or the main area) after the route's first render.
  const title = main.querySelector('[data-page-title]');
  (title instanceof HTMLElement ? title : main).focus({ preventScroll: false });
}

async function boot() {
  await Promise.all([loadLanguage(savedLanguage()), loadVocabulary()]);
  state.session = await sessionApi.current();
  window.addEventListener('hashchange', route);
  watchIdle();
  if (state.session) renderShell();
  else renderSignIn();
}

boot().catch((err) => {
  console.error(err);
  clear(appEl()).append(h('p', { class: 'boot', role: 'alert' }, 'Không tải được bảng điều khiển. Vui lòng tải lại trang. / The console could not load; reload the page.'));
});
