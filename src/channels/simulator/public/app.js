// Chat simulator page: talks to /simulator/api/* and shows the bot's replies the way
// Telegram, a Zalo Official Account or the Zalo Bot Platform (text only) would; with
// "silent over 7 days", a notice shows as the Zalo template message that carries it. Plain ES module, no build step. Message content is only ever
// put into the page with textContent (never innerHTML): it comes from the bot and users.

const API = '/simulator/api';
const CHAT_KEY = 'simulator.chatId';
const STYLE_KEY = 'simulator.style';
const SILENT_KEY = 'simulator.silent';
const STYLES = ['telegram', 'zalo', 'zalo-bot'];
const POLL_MS = 1500;
const PAGE_SIZE = 200; // the server returns at most this many messages per request
const ZALO_MAX_BUTTONS = 3;
const CHAT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
const NUMBERED_RE = /^\s*\d+[.)]\s/;

const TEXT = {
  busy: ['Hệ thống đang bận, vui lòng thử lại.', 'The system is busy, please try again.'],
  rejected: ['Tin nhắn chưa gửi được, vui lòng thử lại.', 'The message was not accepted.'],
  offline: ['Không kết nối được máy chủ, vui lòng thử lại.', 'Cannot reach the server, please try again.'],
  pollFailed: ['Mất kết nối, đang thử lại…', 'Connection lost, retrying…'],
  typeNumber: 'Hoặc gõ số để chọn:',
  photoSent: '📷 Ảnh (thử) / Photo (demo)',
  photo: '🖼 Ảnh / Photo',
  phoneLabel: 'Số điện thoại / Phone number',
  phoneSend: 'Gửi / Send',
  phoneCancel: 'Hủy / Cancel',
  phoneInvalid: 'Vui lòng nhập số điện thoại, ví dụ 0912345678. (Please enter a phone number.)',
  opensNewTab: '(mở trong thẻ mới / opens in a new tab)',
  templateBadge: 'Tin mẫu Zalo',
  templateButton: 'Nhắn tin cho OA',
  /** The title Zalo shows on each kind of notice's template (the OA chooses it when it writes the template). */
  templateTitles: {
    broadcast: 'Thông báo từ BHXH',
    payment_credited: 'Lương hưu đã được chi trả',
    payment_returned: 'Lương hưu bị ngân hàng trả lại',
    request_approved: 'Yêu cầu đổi cách nhận lương đã được duyệt',
    request_rejected: 'Yêu cầu đổi cách nhận lương chưa được duyệt',
    bank_change_alert: 'Cảnh báo đổi tài khoản nhận lương',
    authorisation_expiring: 'Giấy ủy quyền sắp hết hạn',
    fraud_case_status: 'Tình trạng tin báo lừa đảo',
  },
  /** How a template's parameters are labelled, by the notice field that fills them. */
  fieldLabels: {
    title: 'Tiêu đề', text: 'Nội dung', hotline: 'Tổng đài', date: 'Ngày', full_name: 'Họ tên', period: 'Kỳ', amount: 'Số tiền',
    account: 'Tài khoản', paid_on: 'Ngày chuyển', reference: 'Mã yêu cầu', effective_on: 'Ngày áp dụng', reason: 'Lý do',
    expires_on: 'Hết hạn', case_number: 'Mã hồ sơ', status: 'Tình trạng',
  },
};

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const els = {
  list: /** @type {HTMLOListElement} */ ($('messages')),
  chat: $('chat'),
  empty: $('empty'),
  typing: $('typing'),
  error: $('error'),
  form: /** @type {HTMLFormElement} */ ($('composer')),
  input: /** @type {HTMLInputElement} */ ($('text-input')),
  send: /** @type {HTMLButtonElement} */ ($('send-button')),
  photo: /** @type {HTMLButtonElement} */ ($('photo-button')),
  newChat: /** @type {HTMLButtonElement} */ ($('new-chat')),
  start: /** @type {HTMLButtonElement} */ ($('start-button')),
  chatId: $('chat-id'),
  styleButtons: /** @type {HTMLButtonElement[]} */ ([...document.querySelectorAll('.style-option')]),
  silentToggle: $('silent-toggle'),
  silent: /** @type {HTMLInputElement} */ ($('silent-input')),
};

const state = {
  chatId: '',
  style: 'telegram',
  /** Zalo OA style: the person last wrote over 7 days ago, so notices arrive as template messages. */
  silent: false,
  /** Every message shown, in order, so a style switch can draw them again. */
  records: [],
  seen: new Set(),
  lastId: '',
  loaded: false,
  busy: false,
  /** @type {Element | null} */
  focusBeforeBusy: null,
  /** The next messages come in answer to the user: bring them into view whatever the scroll. */
  revealNext: false,
  /** @type {Promise<void> | null} */
  pollRun: null,
  pollAgain: false,
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  timer: undefined,
  errorKind: '',
};

// ---------- storage ----------

function load(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function save(key, value) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private mode or storage disabled: the page still works for this visit.
  }
}

function randomChatId() {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return 'sim-' + [...bytes].map((b) => b.toString(36).padStart(2, '0')).join('').slice(0, 14);
}

// ---------- errors and busy state ----------

/** Shows a Vietnamese message with its English line under it. */
function showError(kind, [vi, en]) {
  state.errorKind = kind;
  const viLine = el('span', 'vi', vi);
  const enLine = el('span', 'en', en);
  enLine.lang = 'en';
  els.error.replaceChildren(viLine, enLine);
  els.error.hidden = false;
}

function clearError(kind) {
  if (kind && state.errorKind !== kind) return;
  state.errorKind = '';
  els.error.textContent = '';
  els.error.hidden = true;
}

function setBusy(busy) {
  state.busy = busy;
  if (busy) state.focusBeforeBusy = document.activeElement;
  els.input.disabled = busy;
  els.send.disabled = busy;
  els.photo.disabled = busy;
  els.start.disabled = busy;
  document.body.classList.toggle('is-busy', busy);
  els.list.setAttribute('aria-busy', String(busy));
  els.typing.hidden = !busy;
  if (busy) scrollToEnd(true);
  if (busy) return;
  // Disabled controls lose focus; give it back so keyboard users keep their place.
  const before = state.focusBeforeBusy;
  state.focusBeforeBusy = null;
  const lost = document.activeElement === null || document.activeElement === document.body;
  if (els.form.dataset.refocus === 'true' || (lost && before === els.send)) els.input.focus();
  else if (lost && before instanceof window.HTMLElement && before.isConnected) before.focus();
  delete els.form.dataset.refocus;
}

// ---------- rendering ----------

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function timeOf(at) {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '';
  return date.toLocaleTimeString('vi-VN', { hour: '2-digit', minute: '2-digit' });
}

function safeUrl(raw) {
  try {
    const url = new window.URL(String(raw), window.location.href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** Zalo shows few buttons: keep those that cannot be typed, then the first numbered ones. */
function splitButtons(buttons) {
  if (state.style !== 'zalo' || buttons.length <= ZALO_MAX_BUTTONS) return { shown: buttons, typed: [] };
  const numbered = buttons.filter((b) => NUMBERED_RE.test(b.label));
  const fixed = buttons.filter((b) => !NUMBERED_RE.test(b.label)).slice(0, ZALO_MAX_BUTTONS);
  const keep = new Set([...fixed, ...numbered.slice(0, ZALO_MAX_BUTTONS - fixed.length)]);
  return { shown: buttons.filter((b) => keep.has(b)), typed: buttons.filter((b) => !keep.has(b)) };
}

function renderUser(record) {
  const li = el('li', 'msg msg-user');
  li.dataset.testid = 'user-message';
  li.dataset.id = record.id;
  const bubble = el('div', 'bubble');
  bubble.append(el('span', 'visually-hidden', 'Ông/Bà: '), el('p', 'text', record.display ?? ''));
  const time = timeOf(record.at);
  if (time) bubble.append(el('span', 'time', time));
  li.append(bubble);
  return li;
}

function renderPhoto(photo) {
  const url = safeUrl(photo);
  if (url && url.origin === window.location.origin) {
    const img = el('img', 'photo');
    img.src = url.href;
    img.alt = 'Ảnh / Photo';
    img.loading = 'lazy';
    return img;
  }
  const box = el('p', 'photo-placeholder', TEXT.photo);
  if (url) {
    const a = el('a', 'inline-link', url.hostname);
    a.href = url.href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    box.append(' ', a);
  }
  return box;
}

function renderContact(label) {
  const wrap = el('div', 'contact');
  const button = el('button', 'contact-button', label.startsWith('📱') ? label : `📱 ${label}`);
  button.type = 'button';
  button.dataset.testid = 'contact-button';
  button.setAttribute('aria-expanded', 'false');

  const form = el('form', 'contact-form');
  form.hidden = true;
  form.dataset.testid = 'contact-form';
  const inputId = `phone-${Math.random().toString(36).slice(2, 10)}`;
  const labelEl = el('label', 'contact-label', TEXT.phoneLabel);
  labelEl.htmlFor = inputId;
  const input = el('input', 'contact-input');
  input.id = inputId;
  input.type = 'tel';
  input.inputMode = 'tel';
  input.autocomplete = 'tel';
  input.maxLength = 32;
  // Empty: a pre-filled number sent by mistake would be someone else's and count as a failed attempt.
  input.value = '';
  input.placeholder = '09…';
  input.dataset.testid = 'phone-input';
  const hint = el('p', 'contact-hint');
  hint.hidden = true;
  hint.setAttribute('role', 'alert');
  const row = el('div', 'contact-row');
  const submit = el('button', 'contact-send', TEXT.phoneSend);
  submit.type = 'submit';
  submit.dataset.testid = 'phone-send';
  const cancel = el('button', 'contact-cancel', TEXT.phoneCancel);
  cancel.type = 'button';
  row.append(submit, cancel);
  form.append(labelEl, input, hint, row);

  const close = () => {
    form.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    button.focus();
  };
  button.addEventListener('click', () => {
    const opening = form.hidden;
    form.hidden = !opening;
    button.setAttribute('aria-expanded', String(opening));
    if (opening) {
      input.focus();
      input.select();
    }
  });
  cancel.addEventListener('click', close);
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') close();
  });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const phone = input.value.trim();
    if (!/^\+?[0-9][0-9 .-]{5,30}$/.test(phone)) {
      hint.textContent = TEXT.phoneInvalid;
      hint.hidden = false;
      input.focus();
      return;
    }
    hint.hidden = true;
    if (await send({ kind: 'contact', phone, display: `📱 ${phone}` })) {
      form.hidden = true;
      button.setAttribute('aria-expanded', 'false');
    }
  });
  wrap.append(button, form);
  return wrap;
}

/**
 * A notice as Zalo shows a template message to someone silent for over 7 days:
 * the template's title, a table of its parameters, one button. Zalo sends it in
 * place of the whole message.
 */
function renderTemplate(record, notice) {
  const li = el('li', 'msg msg-bot msg-template');
  li.dataset.testid = 'template-message';
  li.dataset.id = record.id;
  const card = el('div', 'bubble template-card');
  card.append(el('span', 'visually-hidden', 'Trợ lý: '), el('p', 'template-badge', TEXT.templateBadge), el('p', 'template-title', TEXT.templateTitles[notice.kind] ?? notice.kind));
  const table = el('table', 'template-params');
  const body = el('tbody');
  for (const [name, value] of Object.entries(notice.fields ?? {})) {
    if (value === '') continue;
    const row = el('tr');
    row.append(el('th', '', TEXT.fieldLabels[name] ?? name), el('td', '', String(value)));
    body.append(row);
  }
  table.append(body);
  card.append(table);
  const time = timeOf(record.at);
  if (time) card.append(el('span', 'time', time));
  const button = el('button', 'choice-button template-button', TEXT.templateButton);
  button.type = 'button';
  button.addEventListener('click', () => els.input.focus());
  li.append(card, button);
  return li;
}

/** The Bot Platform has no buttons: options, the link and the phone request are lines of the text (as src/channels/zalo/bot-render.ts writes them). */
function botPlatformText(message) {
  const lines = (Array.isArray(message.buttons) ? message.buttons : []).map((b) => String(b.label));
  if (message.link) lines.unshift(`${message.link.label}: ${message.link.url}`);
  if (message.requestContact) lines.push(String(message.requestContact.label ?? ''));
  return [message.text ?? '', lines.join('\n')].filter((t) => t !== '').join('\n\n');
}

function renderBot(record) {
  const message = record.message ?? { text: '' };
  if (state.style === 'zalo' && state.silent && message.notice && typeof message.notice === 'object') return renderTemplate(record, message.notice);
  const li = el('li', 'msg msg-bot');
  li.dataset.testid = 'bot-message';
  li.dataset.id = record.id;
  if (state.style === 'zalo-bot') {
    const bubble = el('div', 'bubble');
    bubble.append(el('span', 'visually-hidden', 'Trợ lý: '));
    if (message.photo) bubble.append(renderPhoto(message.photo));
    bubble.append(el('p', 'text', botPlatformText(message)));
    const time = timeOf(record.at);
    if (time) bubble.append(el('span', 'time', time));
    li.append(bubble);
    return li;
  }

  const bubble = el('div', 'bubble');
  bubble.append(el('span', 'visually-hidden', 'Trợ lý: '));
  if (message.photo) bubble.append(renderPhoto(message.photo));
  if (message.text) bubble.append(el('p', 'text', message.text));

  const time = timeOf(record.at);
  if (time) bubble.append(el('span', 'time', time));
  li.append(bubble);

  // Options in their original order; in Zalo style those beyond the button limit are
  // a list to type from, in the place they would have had ("1, 2, then type 3-5, ↩ menu").
  const actions = el('div', 'choices');
  const buttons = Array.isArray(message.buttons) ? message.buttons : [];
  const { shown, typed } = splitButtons(buttons);
  /** @type {HTMLUListElement | null} */
  let typedList = null;
  for (const b of buttons) {
    if (typed.includes(b)) {
      if (!typedList) {
        const box = el('div', 'typed-options');
        box.dataset.testid = 'numbered-list';
        box.append(el('p', 'typed-hint', TEXT.typeNumber));
        typedList = /** @type {HTMLUListElement} */ (el('ul', 'typed-list'));
        box.append(typedList);
        actions.append(box);
      }
      typedList.append(el('li', 'typed-item', b.label));
      continue;
    }
    if (!shown.includes(b)) continue;
    const button = el('button', 'choice-button', b.label);
    button.type = 'button';
    button.dataset.testid = 'choice-button';
    button.addEventListener('click', () => {
      void send({ kind: 'button', payload: b.payload, display: b.label });
    });
    actions.append(button);
  }
  if (message.link) {
    const url = safeUrl(message.link.url);
    if (url) {
      const a = el('a', 'choice-button link-button');
      a.href = url.href;
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      a.dataset.testid = 'link-button';
      a.append(el('span', '', `🔗 ${message.link.label}`), el('span', 'external', ' ↗'));
      a.append(el('span', 'visually-hidden', ` ${TEXT.opensNewTab}`));
      actions.append(a);
    } else {
      actions.append(el('p', 'link-text', `🔗 ${message.link.label}`));
    }
  }
  if (message.requestContact) actions.append(renderContact(String(message.requestContact.label ?? '')));
  if (actions.childElementCount > 0) li.append(actions);
  return li;
}

function render(record) {
  return record.direction === 'in' ? renderUser(record) : renderBot(record);
}

function isNearEnd() {
  const c = els.chat;
  return c.scrollHeight - c.scrollTop - c.clientHeight < 160;
}

function scrollToEnd(force) {
  if (!force && !isNearEnd()) return;
  els.chat.scrollTop = els.chat.scrollHeight;
}

/**
 * Brings new messages into view without skipping their start: scroll to the end if
 * everything new fits on screen, else put the first new message at the top, so a long
 * answer is read from its first line.
 */
function reveal(first) {
  const c = els.chat;
  const max = c.scrollHeight - c.clientHeight;
  c.scrollTop = Math.max(0, Math.min(max, first.offsetTop - 12));
}

function updateEmpty() {
  els.empty.hidden = !state.loaded || state.records.length > 0 || els.list.querySelector('.pending') !== null;
}

/** Draws every message again (style switch) without screen readers re-reading them all. */
function renderAll() {
  const fragment = document.createDocumentFragment();
  for (const record of state.records) fragment.append(render(record));
  els.list.setAttribute('aria-live', 'off');
  els.list.replaceChildren(fragment);
  setTimeout(() => els.list.setAttribute('aria-live', 'polite'), 100);
  updateEmpty();
  scrollToEnd(true);
}

function addRecords(rows) {
  const follow = isNearEnd() || state.revealNext;
  /** @type {HTMLElement | null} */
  let first = null;
  for (const row of rows) {
    if (!row || typeof row.id !== 'string' || state.seen.has(row.id)) continue;
    state.seen.add(row.id);
    state.lastId = row.id;
    const record = {
      id: row.id,
      direction: row.direction === 'in' ? 'in' : 'out',
      display: typeof row.display === 'string' ? row.display : '',
      message: row.message && typeof row.message === 'object' ? row.message : undefined,
      at: row.at,
    };
    if (record.direction === 'in') els.list.querySelector('.pending')?.remove();
    state.records.push(record);
    const node = render(record);
    els.list.append(node);
    first ??= node;
  }
  if (first) {
    state.revealNext = false;
    updateEmpty();
    // The history of a page just opened: show its end, as chat apps do.
    if (!state.loaded) scrollToEnd(true);
    else if (follow) reveal(first);
  }
}

// ---------- server ----------

async function pollOnce() {
  const chatId = state.chatId;
  for (;;) {
    const query = new URLSearchParams({ chatId });
    if (state.lastId) query.set('after', state.lastId);
    const res = await fetch(`${API}/messages?${query}`, { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok) throw new Error(`messages ${res.status}`);
    const body = await res.json();
    if (chatId !== state.chatId) return; // a new chat started meanwhile; its own poll follows
    const rows = Array.isArray(body.messages) ? body.messages : [];
    addRecords(rows);
    if (rows.length < PAGE_SIZE) return;
  }
}

/** Fetches new messages; concurrent callers share one run, and a call during a run triggers one more. */
function poll() {
  if (state.pollRun) {
    state.pollAgain = true;
    return state.pollRun;
  }
  state.pollRun = (async () => {
    try {
      do {
        state.pollAgain = false;
        await pollOnce();
      } while (state.pollAgain);
      clearError('poll');
    } catch {
      if (!state.errorKind) showError('poll', TEXT.pollFailed);
    } finally {
      state.pollRun = null;
      if (!state.loaded) {
        state.loaded = true;
        updateEmpty();
      }
    }
  })();
  return state.pollRun;
}

function schedulePoll() {
  clearTimeout(state.timer);
  state.timer = setTimeout(async () => {
    if (document.visibilityState !== 'hidden') await poll();
    schedulePoll();
  }, POLL_MS);
}

/** Sends one user message; resolves true when the bot accepted it. */
async function send(body) {
  if (state.busy) return false;
  setBusy(true);
  clearError();
  const pending = el('li', 'msg msg-user pending');
  pending.append(el('div', 'bubble', body.display ?? body.text ?? ''));
  els.list.append(pending);
  updateEmpty();
  scrollToEnd(true);
  state.revealNext = true;

  let ok = false;
  try {
    const res = await fetch(`${API}/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ chatId: state.chatId, ...body }),
    });
    ok = res.ok;
    if (res.status === 503) showError('send', TEXT.busy);
    else if (!res.ok) showError('send', TEXT.rejected);
  } catch {
    showError('send', TEXT.offline);
  }
  await poll();
  state.revealNext = false;
  pending.remove();
  updateEmpty();
  setBusy(false);
  return ok;
}

async function sendTyped() {
  const text = els.input.value.trim();
  if (!text) {
    els.input.focus();
    return;
  }
  els.form.dataset.refocus = 'true';
  if (await send({ kind: 'text', text, display: text })) {
    // Only clear what was sent: on failure the text stays so the user can resend it.
    if (els.input.value.trim() === text) els.input.value = '';
  }
}

// ---------- chat and style ----------

function useChat(chatId) {
  state.chatId = chatId;
  state.records = [];
  state.seen = new Set();
  state.lastId = '';
  state.loaded = false;
  save(CHAT_KEY, chatId);
  els.chatId.textContent = chatId;
  els.list.replaceChildren();
  clearError();
  updateEmpty();
}

function applyStyle(style) {
  state.style = STYLES.includes(style) ? style : 'telegram';
  save(STYLE_KEY, state.style);
  // Both Zalo styles look like Zalo; the Bot Platform has no buttons at all.
  document.body.classList.toggle('style-zalo', state.style !== 'telegram');
  document.body.classList.toggle('style-zalo-bot', state.style === 'zalo-bot');
  document.body.classList.toggle('style-telegram', state.style === 'telegram');
  for (const b of els.styleButtons) b.setAttribute('aria-pressed', String(b.dataset.style === state.style));
  els.input.placeholder = state.style === 'telegram' ? 'Tin nhắn…' : 'Nhập tin nhắn…';
  els.silentToggle.hidden = state.style !== 'zalo';
}

// ---------- start ----------

function init() {
  const storedChat = load(CHAT_KEY);
  useChat(storedChat && CHAT_ID_RE.test(storedChat) ? storedChat : randomChatId());
  applyStyle(load(STYLE_KEY) ?? 'telegram');
  state.silent = load(SILENT_KEY) === 'true';
  els.silent.checked = state.silent;
  els.silent.addEventListener('change', () => {
    state.silent = els.silent.checked;
    save(SILENT_KEY, String(state.silent));
    renderAll();
  });

  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    void sendTyped();
  });
  els.photo.addEventListener('click', () => {
    void send({ kind: 'photo', display: TEXT.photoSent });
  });
  els.start.addEventListener('click', () => {
    void send({ kind: 'text', text: '/start', display: '/start' });
  });
  els.newChat.addEventListener('click', () => {
    if (state.busy) return;
    useChat(randomChatId());
    void poll();
    els.input.focus();
  });
  for (const button of els.styleButtons) {
    button.addEventListener('click', () => {
      if (button.dataset.style === state.style) return;
      applyStyle(button.dataset.style ?? 'telegram');
      renderAll();
    });
  }
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void poll();
  });

  void poll().then(() => {
    scrollToEnd(true);
    document.documentElement.dataset.ready = 'true';
  });
  schedulePoll();
}

init();
