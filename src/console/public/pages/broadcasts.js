import { append, clear } from '../lib/dom.js';
import { button, confirmDialog, emptyState, errorBox, errorMessage, field, nextId, pageHeader, progressBar } from '../lib/ui.js';
import { DEFAULT_LIMITS, messageFor, telegramBubbles, telegramChat, zaloBotBubbles, zaloBubbles, zaloChat } from '../lib/chat-preview.js';

/**
 * Broadcasts: the list (#/broadcasts), the composer (#/broadcasts/new) and one
 * broadcast with its approval step, live progress and final report
 * (#/broadcasts/<id>). The API enforces every rule; this page hides what the
 * role may not do and explains what the server will answer.
 */

const CSS = '/console/assets/pages/broadcasts.css';
const PLATFORMS = ['telegram', 'zalo', 'zalo-bot', 'simulator'];
const BENEFIT_TYPES = ['pension', 'monthly_allowance', 'lump_sum', 'unemployment', 'social_assistance', 'merit'];
const OPEN = ['draft', 'pending_approval', 'approved', 'scheduled', 'sending'];
const FIELD = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;
const KNOWN_TEMPLATE_FIELDS = ['province_hotline', 'period', 'pay_day'];
const KNOWN_REASONS = ['outside_window', 'bad_request', 'network', 'rate_limited', 'no_channel', 'send_failed', 'zalo_token', 'unsubscribed', 'cancelled', 'unknown'];
/** What the composer keeps while typing, so a session timeout or a slip of navigation loses nothing. */
const DRAFT_KEY = 'lhb-console-broadcast-draft';

/** Used until GET /broadcasts/settings answers (or if it cannot). */
const FALLBACK_SETTINGS = {
  approvalThreshold: 1000,
  allowedLinkDomains: [],
  quietHours: { start: '21:00', end: '07:00' },
  platformNights: { zalo: { start: '22:00', end: '06:00' } },
  timeZone: 'Asia/Ho_Chi_Minh',
  platforms: [],
  limits: { text: 3500, linkLabel: 40, title: 120, ...DEFAULT_LIMITS },
};

export async function mount(ctx) {
  ctx.root.append(ctx.h('link', { rel: 'stylesheet', href: CSS }));
  const [first] = ctx.params;
  if (!first) return listPage(ctx);
  if (first === 'new') return composerPage(ctx);
  return detailPage(ctx, first);
}

// ------------------------------------------------------------------ shared helpers

async function loadSettings(ctx) {
  try {
    const s = await ctx.api.get('/broadcasts/settings');
    return { ...FALLBACK_SETTINGS, ...s, limits: { ...FALLBACK_SETTINGS.limits, ...s.limits } };
  } catch {
    return FALLBACK_SETTINGS;
  }
}

/**
 * Runs `tick` again after the delay it returns (null stops), never two at once,
 * and stops for good when the page is left.
 */
function poll(ctx, tick, firstDelay) {
  let stopped = false;
  let running = false;
  let again = false;
  let timer;
  const run = async () => {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    let next;
    try {
      next = await tick();
    } catch {
      next = 5000;
    }
    running = false;
    if (stopped) return;
    if (again) {
      again = false;
      void run();
      return;
    }
    if (next) timer = setTimeout(run, next);
  };
  ctx.onDispose(() => {
    stopped = true;
    clearTimeout(timer);
  });
  timer = setTimeout(run, firstDelay);
  return {
    /** Looks again now (after an action), keeping one loop. */
    now() {
      clearTimeout(timer);
      void run();
    },
  };
}

/** Replaces an element's children; null and false are skipped (unlike replaceChildren, which would print "null"). */
const fill = (el, ...children) => append(clear(el), children);

const statusBadge = (ctx, status) => ctx.h('span', { class: `badge badge-${status}`, 'data-testid': 'status', 'data-status': status }, ctx.t(`consoleBroadcasts.status.${status}`));

const finalCount = (c) => c.sent + c.blocked + c.failed + c.skipped;

const staffLabel = (ctx, b, keyId) => (keyId ? (b.staffLabels?.[keyId] ?? ctx.t('consoleBroadcasts.detail.unknownStaff')) : '');

/** Why the server will (or did) hold a broadcast for approval. */
function approvalReasons(ctx, { recipients, threshold, hasLink, urgent }) {
  const t = ctx.t;
  return [
    recipients !== null && recipients > threshold ? t('consoleBroadcasts.composer.reasonLarge', { threshold: ctx.fmt.number(threshold) }) : null,
    hasLink ? t('consoleBroadcasts.composer.reasonLink') : null,
    urgent ? t('consoleBroadcasts.composer.reasonUrgent') : null,
  ].filter(Boolean);
}

/** Port of checkLink (src/broadcast/links.ts), so the page says what the server would. */
function linkProblem(url, domains) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return 'link_invalid';
  }
  if (parsed.protocol !== 'https:') return 'link_not_https';
  if (parsed.username || parsed.password) return 'link_invalid';
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  return domains.some((d) => host === d.toLowerCase() || host.endsWith(`.${d.toLowerCase()}`)) ? null : 'link_not_allowed';
}

const linksInText = (text) => [...text.matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)].map((m) => m[0]);

function reasonLabel(ctx, code) {
  const t = ctx.t;
  if (KNOWN_REASONS.includes(code)) return t(`consoleBroadcasts.reasons.${code}`);
  const http = /^http_(\d+)$/.exec(code);
  if (http) return t('consoleBroadcasts.reasons.http', { code: http[1] });
  const zalo = /^zalo_(-?\d+)$/.exec(code);
  if (zalo) return t('consoleBroadcasts.reasons.zalo', { code: zalo[1] });
  return t('consoleBroadcasts.reasons.other', { code });
}

/** The server's refusal in the staff member's language. */
function serverErrorText(ctx, err, settings, session) {
  const t = ctx.t;
  switch (err?.code) {
    case 'link_not_allowed':
      return t('consoleBroadcasts.serverErrors.link_not_allowed', { domains: settings.allowedLinkDomains.join(', ') });
    case 'link_not_https':
    case 'link_invalid':
    case 'link_in_text':
    case 'template_fields':
    case 'template_unknown':
    case 'forbidden':
      return t(`consoleBroadcasts.serverErrors.${err.code}`);
    case 'province_scope':
      return t('consoleBroadcasts.serverErrors.province_scope', { province: session.province ?? '' });
    default:
      return errorMessage(ctx, err);
  }
}

// ------------------------------------------------------------------ preview

/**
 * Telegram and Zalo side by side (Zalo Bot too when this deployment has it),
 * in either language, redrawn by `update(broadcast)`.
 */
function previewPanel(ctx, settings, { heading = 'h2' } = {}) {
  const { h, t } = ctx;
  let lang = 'vi';
  let last = null;
  const telegramName = settings.platforms.find((p) => p.id === 'telegram')?.name ?? t('consoleBroadcasts.preview.defaultBotName');
  const zaloName = settings.platforms.find((p) => p.id === 'zalo')?.name ?? t('consoleBroadcasts.preview.defaultOaName');
  const withZaloBot = settings.platforms.some((p) => p.id === 'zalo-bot');
  const phones = h('div', { class: 'cp-phones' });
  const fallbackNote = h('p', { class: 'hint', hidden: true }, t('consoleBroadcasts.preview.fallbackVi'));
  const langButtons = ['vi', 'en'].map((l) =>
    h('button', {
      type: 'button',
      class: 'btn btn-plain',
      'aria-pressed': String(l === lang),
      'data-testid': `preview-lang-${l}`,
      'on:click': () => {
        lang = l;
        for (const b of langButtons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
        if (last) update(last);
      },
      'data-lang': l,
    }, t(`consoleBroadcasts.languages.${l}`)),
  );
  const titleId = nextId('preview');
  const el = h('section', { class: 'card bc-preview', 'aria-labelledby': titleId, 'data-testid': 'preview' },
    h(heading, { id: titleId }, t('consoleBroadcasts.preview.heading')),
    h('div', { class: 'row', role: 'group', 'aria-label': t('consoleBroadcasts.preview.languageLabel') }, langButtons),
    fallbackNote,
    phones,
    h('p', { class: 'hint' }, t('consoleBroadcasts.preview.notes')),
  );
  const limits = settings.limits;
  function update(b) {
    last = b;
    const message = messageFor(b, lang);
    fallbackNote.hidden = !(lang === 'en' && !b.content.en);
    const placeholder = t('consoleBroadcasts.preview.empty');
    const empty = message.text.trim() === '' && !message.photo;
    const column = (label, node, note = null) => h('figure', { class: 'cp-column' }, h('figcaption', null, label), node, note);
    fill(phones,
      column(t('consoleBroadcasts.preview.telegram'), telegramChat(ctx, { botName: telegramName, bubbles: empty ? [] : telegramBubbles(message, limits), placeholder })),
      column(
        t('consoleBroadcasts.preview.zalo'),
        zaloChat(ctx, { oaName: zaloName, bubbles: empty ? [] : zaloBubbles(message, limits), placeholder, subtitle: t('consoleBroadcasts.preview.zaloOa') }),
        h('p', { class: 'hint' }, t('consoleBroadcasts.preview.zaloWindow')),
      ),
      withZaloBot
        ? column(t('consoleBroadcasts.preview.zaloBot'), zaloChat(ctx, {
            oaName: settings.platforms.find((p) => p.id === 'zalo-bot')?.name ?? zaloName,
            bubbles: empty ? [] : zaloBotBubbles(message, limits),
            placeholder,
            testId: 'preview-zalo-bot',
            subtitle: t('consoleBroadcasts.preview.zaloBotSubtitle'),
          }))
        : null,
    );
  }
  return { el, update };
}

// ------------------------------------------------------------------ list

async function listPage(ctx) {
  const { h, t } = ctx;
  const actions = ctx.can('broadcaster') ? [h('a', { class: 'btn btn-primary', href: '#/broadcasts/new', 'data-testid': 'new-broadcast' }, t('consoleBroadcasts.list.new'))] : [];
  const area = h('div', { 'data-testid': 'broadcast-list' });
  ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.list.title'), ...actions), area);

  const render = (items) => {
    if (items.length === 0) {
      fill(area, emptyState(ctx, t('consoleBroadcasts.list.empty')));
      return;
    }
    const rows = items.map((b) => {
      const total = b.progress.total;
      const done = finalCount(b.progress.counts);
      const showProgress = ['sending', 'done', 'cancelled'].includes(b.status) && total > 0;
      return h('tr', { 'data-id': b.id },
        h('td', null,
          h('a', { href: `#/broadcasts/${encodeURIComponent(b.id)}` }, b.title),
          b.sendAt && ['scheduled', 'pending_approval', 'approved', 'draft'].includes(b.status)
            ? h('div', { class: 'muted small' }, t('consoleBroadcasts.list.sendAt', { time: ctx.fmt.dateTime(b.sendAt) }))
            : null,
        ),
        h('td', null, statusBadge(ctx, b.status)),
        h('td', null, ctx.fmt.dateTime(b.createdAt), h('div', { class: 'muted small' }, t('consoleBroadcasts.list.by', { label: staffLabel(ctx, b, b.createdBy) }))),
        h('td', { class: 'num' }, b.estimatedRecipients === null && total === 0 ? '—' : ctx.fmt.number(Math.max(total, b.estimatedRecipients ?? 0))),
        h('td', null,
          showProgress
            ? h('div', { class: 'bc-mini' },
                h('span', { class: 'bc-mini-bar', 'aria-hidden': 'true' }, h('span', { style: `width:${((done / total) * 100).toFixed(1)}%` })),
                h('span', null, t('consoleBroadcasts.list.progressText', { done: ctx.fmt.number(done), total: ctx.fmt.number(total) }), ` (${ctx.fmt.percent(done / total, 0)})`),
              )
            : t('consoleBroadcasts.list.noProgress'),
        ),
      );
    });
    fill(area,
      h('div', { class: 'table-wrap' },
        h('table', { class: 'data' },
          h('caption', { class: 'sr-only' }, t('consoleBroadcasts.list.caption')),
          h('thead', null, h('tr', null,
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colTitle')),
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colStatus')),
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colCreated')),
            h('th', { scope: 'col', class: 'num' }, t('consoleBroadcasts.list.colAudience')),
            h('th', { scope: 'col' }, t('consoleBroadcasts.list.colProgress')),
          )),
          h('tbody', null, rows),
        ),
      ),
    );
  };

  let items;
  try {
    ({ items } = await ctx.api.get('/broadcasts?limit=100'));
  } catch (err) {
    fill(area, errorBox(ctx, err));
    return;
  }
  render(items);
  // Keeps the figures moving while something is being sent; a scheduled one is looked at now and then.
  const delayFor = (list) => (list.some((b) => b.status === 'sending' || b.status === 'approved') ? 2000 : list.some((b) => OPEN.includes(b.status) && b.status !== 'draft') ? 15000 : null);
  const first = delayFor(items);
  if (first) {
    poll(ctx, async () => {
      const { items: fresh } = await ctx.api.get('/broadcasts?limit=100');
      render(fresh);
      return delayFor(fresh);
    }, first);
  }
}

// ------------------------------------------------------------------ composer

const emptyForm = () => ({
  title: '',
  templateId: '',
  templateFields: {},
  detached: false,
  vi: '',
  en: '',
  linkUrl: '',
  linkLabelVi: '',
  linkLabelEn: '',
  imageUrl: '',
  platforms: [],
  languages: [],
  provinces: '',
  districts: '',
  benefitTypes: [],
  linkedOnly: false,
  when: 'now',
  date: '',
  time: '',
  urgent: false,
});

const splitCodes = (text) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

function fillTemplate(text, values) {
  return text.replace(FIELD, (whole, name) => (values[name]?.trim() ? values[name].trim() : whole));
}

function templateFieldsOf(template) {
  return [...new Set([...template.text.vi.matchAll(FIELD)].map((m) => m[1]))];
}

async function composerPage(ctx) {
  const { h, t } = ctx;
  ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.composer.title'), h('a', { class: 'btn', href: '#/broadcasts' }, t('consoleBroadcasts.composer.back'))));
  if (!ctx.can('broadcaster')) {
    ctx.root.append(h('div', { class: 'alert alert-info', role: 'status' }, t('consoleBroadcasts.composer.notAllowed')));
    return;
  }
  const [settings, templates, copied] = await Promise.all([
    loadSettings(ctx),
    ctx.api.get('/broadcasts/templates').then((r) => r.items).catch(() => []),
    ctx.query.get('from') ? ctx.api.get(`/broadcasts/${encodeURIComponent(ctx.query.get('from'))}`).catch(() => null) : Promise.resolve(null),
  ]);
  const limits = settings.limits;
  const scoped = ctx.session.province;

  // ---- state: restored from this tab's storage, or copied from another broadcast
  let form = emptyForm();
  let restored = false;
  if (copied) {
    form = {
      ...form,
      title: copied.title,
      vi: copied.content.vi.text,
      en: copied.content.en?.text ?? '',
      linkUrl: copied.linkUrl ?? '',
      linkLabelVi: copied.content.vi.linkLabel ?? '',
      linkLabelEn: copied.content.en?.linkLabel ?? '',
      imageUrl: copied.imageUrl ?? '',
      platforms: copied.audience.platforms,
      languages: copied.audience.languages,
      provinces: scoped ? '' : copied.audience.provinces.join(', '),
      districts: (copied.audience.districts ?? []).join(', '),
      benefitTypes: copied.audience.benefitTypes,
      linkedOnly: copied.audience.linkedOnly,
      urgent: copied.ignoreQuietHours,
    };
  } else {
    try {
      const saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null');
      if (saved && typeof saved === 'object') {
        form = { ...form, ...saved };
        restored = true;
      }
    } catch {
      // A damaged saved draft is dropped.
    }
  }
  const save = () => sessionStorage.setItem(DRAFT_KEY, JSON.stringify(form));
  const template = () => templates.find((x) => x.id === form.templateId) ?? null;
  const usingTemplate = () => template() !== null && !form.detached;
  /** A create/submit is under way. */
  let busy = false;

  // ---- inputs
  const errors = h('div', { 'aria-live': 'assertive' });
  const input = (attrs) => h('input', { type: 'text', ...attrs });

  const titleInput = input({ name: 'title', maxlength: String(limits.title), value: form.title, 'data-testid': 'title', autocomplete: 'off' });
  const titleField = field(ctx, { label: t('consoleBroadcasts.composer.titleLabel'), input: titleInput, hint: t('consoleBroadcasts.composer.titleHint') });

  // Template picker: built-in warnings first, then staff templates.
  const tplName = (x) => (document.documentElement.lang === 'en' ? x.title.en : undefined) ?? x.title.vi;
  const builtIn = templates.filter((x) => x.builtIn);
  const staffTpl = templates.filter((x) => !x.builtIn);
  const templateSelect = h('select', { name: 'template', 'data-testid': 'template' },
    h('option', { value: '' }, t('consoleBroadcasts.composer.templateNone')),
    builtIn.length ? h('optgroup', { label: t('consoleBroadcasts.composer.templateBuiltIn') }, builtIn.map((x) => h('option', { value: x.id }, tplName(x)))) : null,
    staffTpl.length ? h('optgroup', { label: t('consoleBroadcasts.composer.templateStaff') }, staffTpl.map((x) => h('option', { value: x.id }, tplName(x)))) : null,
  );
  templateSelect.value = form.templateId;
  const templateField = field(ctx, { label: t('consoleBroadcasts.composer.templateLabel'), input: templateSelect, hint: t('consoleBroadcasts.composer.templateHint') });
  const templateFieldsBox = h('div');
  const detachedNote = h('div', { class: 'alert alert-warning', role: 'status', hidden: true },
    h('p', null, t('consoleBroadcasts.composer.templateDetached')),
    button(ctx, t('consoleBroadcasts.composer.templateRestore'), () => {
      form.detached = false;
      applyTemplate();
      changed();
    }, { testId: 'template-restore' }),
  );
  const templateFieldWrappers = new Map();

  const viText = h('textarea', { name: 'text-vi', rows: '7', lang: 'vi', 'data-testid': 'text-vi', value: form.vi });
  const enText = h('textarea', { name: 'text-en', rows: '7', lang: 'en', 'data-testid': 'text-en', value: form.en });
  const viField = field(ctx, { label: t('consoleBroadcasts.composer.viLabel'), input: viText, hint: t('consoleBroadcasts.composer.textHint') });
  const enField = field(ctx, { label: t('consoleBroadcasts.composer.enLabel'), input: enText, hint: t('consoleBroadcasts.composer.enHint') });
  const counter = () => h('p', { class: 'bc-counter', 'aria-live': 'polite' });
  const viCount = counter();
  const enCount = counter();
  viField.append(viCount);
  enField.append(enCount);

  const linkInput = input({ type: 'url', name: 'link', inputmode: 'url', value: form.linkUrl, 'data-testid': 'link-url', autocomplete: 'off', placeholder: 'https://' });
  const linkField = field(ctx, { label: t('consoleBroadcasts.composer.linkLabel'), input: linkInput, hint: t('consoleBroadcasts.composer.linkHint', { domains: settings.allowedLinkDomains.join(', ') || '—' }) });
  const labelViInput = input({ name: 'link-label-vi', maxlength: String(limits.linkLabel), value: form.linkLabelVi, 'data-testid': 'link-label-vi' });
  const labelViField = field(ctx, { label: t('consoleBroadcasts.composer.linkButtonVi'), input: labelViInput, hint: t('consoleBroadcasts.composer.linkButtonHint', { max: limits.linkLabel }) });
  const labelEnInput = input({ name: 'link-label-en', maxlength: String(limits.linkLabel), value: form.linkLabelEn, 'data-testid': 'link-label-en' });
  const labelEnField = field(ctx, { label: t('consoleBroadcasts.composer.linkButtonEn'), input: labelEnInput, hint: t('consoleBroadcasts.composer.linkButtonTemplate') });
  const imageInput = input({ type: 'url', name: 'image', inputmode: 'url', value: form.imageUrl, 'data-testid': 'image-url', autocomplete: 'off', placeholder: 'https://' });
  const imageField = field(ctx, { label: t('consoleBroadcasts.composer.imageLabel'), input: imageInput, hint: t('consoleBroadcasts.composer.imageHint') });

  const checkboxGroup = (legend, hint, values, selected, labelOf, testPrefix) => {
    const hintId = nextId('hint');
    const boxes = values.map((v) => {
      const box = h('input', { type: 'checkbox', value: v, checked: selected.includes(v), id: nextId('cb'), 'data-testid': `${testPrefix}-${v}` });
      return { v, box, el: h('label', { class: 'bc-check', for: box.id }, box, ' ', labelOf(v)) };
    });
    const el = h('fieldset', { 'aria-describedby': hintId }, h('legend', null, legend), h('p', { class: 'hint', id: hintId }, hint), h('div', { class: 'bc-checks' }, boxes.map((b) => b.el)));
    return { el, values: () => boxes.filter((b) => b.box.checked).map((b) => b.v), boxes };
  };
  const platformIds = settings.platforms.length ? settings.platforms.map((p) => p.id) : PLATFORMS;
  const platformsGroup = checkboxGroup(t('consoleBroadcasts.composer.platformsLegend'), t('consoleBroadcasts.composer.platformsHint'), platformIds, form.platforms, (v) => t(`consoleBroadcasts.platforms.${v}`), 'platform');
  const languagesGroup = checkboxGroup(t('consoleBroadcasts.composer.languagesLegend'), t('consoleBroadcasts.composer.languagesHint'), ['vi', 'en'], form.languages, (v) => t(`consoleBroadcasts.languages.${v}`), 'language');
  const benefitGroup = checkboxGroup(t('consoleBroadcasts.composer.benefitLegend'), t('consoleBroadcasts.composer.benefitHint'), BENEFIT_TYPES, form.benefitTypes, (v) => t(`consoleBroadcasts.benefitTypes.${v}`), 'benefit');
  const provincesInput = input({ name: 'provinces', inputmode: 'numeric', value: form.provinces, 'data-testid': 'provinces', autocomplete: 'off' });
  const provincesField = scoped
    ? h('p', { class: 'bc-fixed', 'data-testid': 'province-fixed' }, t('consoleBroadcasts.composer.provinceFixed', { code: scoped }))
    : field(ctx, { label: t('consoleBroadcasts.composer.provincesLabel'), input: provincesInput, hint: t('consoleBroadcasts.composer.provincesHint') });
  const districtsInput = input({ name: 'districts', inputmode: 'numeric', value: form.districts, 'data-testid': 'districts', autocomplete: 'off' });
  const districtsField = field(ctx, { label: t('consoleBroadcasts.composer.districtsLabel'), input: districtsInput, hint: t('consoleBroadcasts.composer.districtsHint') });
  const linkedBox = h('input', { type: 'checkbox', id: nextId('cb'), checked: form.linkedOnly, 'data-testid': 'linked-only' });
  const linkedNote = h('p', { class: 'hint', hidden: true }, t('consoleBroadcasts.composer.linkedImplied'));
  const linkedField = h('div', { class: 'field' }, h('label', { class: 'bc-check', for: linkedBox.id }, linkedBox, ' ', t('consoleBroadcasts.composer.linkedOnly')), linkedNote);
  const estimateOut = h('output', { class: 'bc-estimate', 'data-testid': 'estimate', 'aria-live': 'polite' }, '—');
  const estimateBox = h('div', { class: 'bc-estimate-box' }, h('span', { class: 'label' }, t('consoleBroadcasts.composer.estimateLabel')), estimateOut);

  const whenName = nextId('when');
  const radio = (value, label) => {
    const r = h('input', { type: 'radio', name: whenName, value, id: nextId('r'), checked: form.when === value, 'data-testid': `when-${value}` });
    return { r, el: h('label', { class: 'bc-check', for: r.id }, r, ' ', label) };
  };
  const whenNow = radio('now', t('consoleBroadcasts.composer.whenNow'));
  const whenLater = radio('later', t('consoleBroadcasts.composer.whenLater'));
  const dateInput = h('input', { type: 'date', name: 'date', value: form.date, 'data-testid': 'send-date' });
  const timeInput = h('input', { type: 'time', name: 'time', value: form.time, 'data-testid': 'send-time' });
  const dateField = field(ctx, { label: t('consoleBroadcasts.composer.dateLabel'), input: dateInput });
  const timeField = field(ctx, { label: t('consoleBroadcasts.composer.timeLabel'), input: timeInput });
  const laterBox = h('div', { class: 'bc-later' }, dateField, timeField);
  const urgentBox = h('input', { type: 'checkbox', id: nextId('cb'), checked: form.urgent, 'data-testid': 'urgent' });
  const quietNotes = [
    settings.quietHours ? t('consoleBroadcasts.composer.quietHours', settings.quietHours) : null,
    settings.platformNights?.zalo ? t('consoleBroadcasts.composer.zaloNight', settings.platformNights.zalo) : null,
  ].filter(Boolean);
  const scheduleSection = h('fieldset', null,
    h('legend', null, t('consoleBroadcasts.composer.sectionSchedule')),
    h('div', { class: 'bc-checks' }, whenNow.el, whenLater.el),
    laterBox,
    quietNotes.map((n) => h('p', { class: 'hint' }, n)),
    h('label', { class: 'bc-check', for: urgentBox.id }, urgentBox, ' ', t('consoleBroadcasts.composer.urgent')),
  );
  const scheduleError = h('p', { class: 'error', hidden: true });
  scheduleSection.append(scheduleError);

  const approvalBox = h('div', { class: 'alert alert-info', 'data-testid': 'approval-summary', 'aria-live': 'polite' });

  const submitBtn = h('button', { type: 'submit', class: 'btn btn-primary', 'data-testid': 'submit' }, t('consoleBroadcasts.composer.submit'));
  const draftBtn = button(ctx, t('consoleBroadcasts.composer.saveDraft'), () => send(false), { testId: 'save-draft' });

  const preview = previewPanel(ctx, settings);

  const section = (titleKey, ...children) => {
    const id = nextId('sec');
    return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, t(titleKey)), ...children);
  };
  const formEl = h('form', { class: 'bc-form', novalidate: true, 'data-testid': 'composer' },
    errors,
    restored ? h('div', { class: 'alert alert-info', role: 'status' }, t('consoleBroadcasts.composer.restored')) : null,
    section('consoleBroadcasts.composer.sectionTitle', titleField),
    templates.length ? section('consoleBroadcasts.composer.sectionTemplate', templateField, templateFieldsBox, detachedNote) : null,
    section('consoleBroadcasts.composer.sectionText', viField, enField),
    // Right after the text on a narrow screen; beside the whole form, kept in view, on a wide one (CSS).
    preview.el,
    section('consoleBroadcasts.composer.sectionLink', linkField, h('div', { class: 'bc-pair' }, labelViField, labelEnField), imageField),
    section('consoleBroadcasts.composer.sectionAudience', platformsGroup.el, languagesGroup.el, provincesField, districtsField, benefitGroup.el, linkedField, estimateBox),
    h('section', { class: 'card' }, scheduleSection),
    section('consoleBroadcasts.composer.sectionApproval', approvalBox, h('div', { class: 'row' }, submitBtn, draftBtn)),
  );
  ctx.root.append(formEl);

  // ---- template handling
  function renderTemplateFields() {
    templateFieldWrappers.clear();
    const tpl = template();
    if (!tpl || tpl.fields.length === 0) {
      fill(templateFieldsBox);
      return;
    }
    const inputs = tpl.fields.map((name) => {
      const el = input({ name: `tf-${name}`, value: form.templateFields[name] ?? '', 'data-testid': `template-field-${name}`, autocomplete: 'off' });
      el.addEventListener('input', () => {
        form.templateFields[name] = el.value;
        wrapper.setError('');
        applyTemplate();
        changed();
      });
      const known = KNOWN_TEMPLATE_FIELDS.includes(name);
      const wrapper = field(ctx, {
        label: known ? t(`consoleBroadcasts.templateFields.${name}`) : t('consoleBroadcasts.templateFields.other', { name }),
        input: el,
        hint: known ? t(`consoleBroadcasts.templateFields.${name}Hint`) : undefined,
      });
      templateFieldWrappers.set(name, wrapper);
      return wrapper;
    });
    fill(templateFieldsBox, h('fieldset', null, h('legend', null, t('consoleBroadcasts.composer.templateFieldsLegend')), inputs));
  }
  function applyTemplate() {
    const tpl = template();
    if (!tpl || form.detached) return;
    form.vi = fillTemplate(tpl.text.vi, form.templateFields);
    form.en = tpl.text.en ? fillTemplate(tpl.text.en, form.templateFields) : '';
    viText.value = form.vi;
    enText.value = form.en;
  }
  templateSelect.addEventListener('change', async () => {
    // Text the officer wrote (not filled by the current template) is only replaced when they agree.
    const ownText = (form.vi.trim() !== '' || form.en.trim() !== '') && (template() === null || form.detached);
    if (ownText && templateSelect.value !== '') {
      const answer = await confirmDialog(ctx, {
        title: t('consoleBroadcasts.composer.templateReplaceTitle'),
        body: t('consoleBroadcasts.composer.templateReplaceBody'),
        confirmLabel: t('consoleBroadcasts.composer.templateReplaceConfirm'),
      });
      if (!answer.ok) {
        templateSelect.value = form.templateId;
        templateSelect.focus();
        return;
      }
    }
    form.templateId = templateSelect.value;
    form.detached = false;
    const tpl = template();
    if (tpl) {
      form.templateFields = Object.fromEntries(templateFieldsOf(tpl).map((f) => [f, form.templateFields[f] ?? '']));
      if (!form.title.trim()) {
        form.title = tplName(tpl);
        titleInput.value = form.title;
      }
    } else {
      form.templateFields = {};
    }
    renderTemplateFields();
    applyTemplate();
    changed();
  });

  // ---- the message as the API will store it (for the preview and the body)
  const currentBroadcast = () => {
    const vi = { text: form.vi.trim(), ...(form.linkUrl.trim() && form.linkLabelVi.trim() ? { linkLabel: form.linkLabelVi.trim() } : {}) };
    const enLabel = usingTemplate() ? form.linkLabelVi.trim() : form.linkLabelEn.trim();
    const en = form.en.trim() ? { text: form.en.trim(), ...(form.linkUrl.trim() && enLabel ? { linkLabel: enLabel } : {}) } : undefined;
    return { content: { vi, ...(en ? { en } : {}) }, linkUrl: form.linkUrl.trim() || null, imageUrl: form.imageUrl.trim() || null };
  };

  const audience = () => {
    const a = {};
    if (form.platforms.length) a.platforms = [...form.platforms];
    if (form.languages.length) a.languages = [...form.languages];
    const provinces = scoped ? [] : splitCodes(form.provinces);
    if (provinces.length) a.provinces = provinces;
    const districts = splitCodes(form.districts);
    if (districts.length) a.districts = districts;
    if (form.benefitTypes.length) a.benefitTypes = [...form.benefitTypes];
    if (form.linkedOnly) a.linkedOnly = true;
    return a;
  };

  // ---- live estimate (debounced; a late answer for an older filter is dropped)
  let estimateSerial = 0;
  let estimateTimer;
  let recipients = null;
  ctx.onDispose(() => clearTimeout(estimateTimer));
  function scheduleEstimate() {
    clearTimeout(estimateTimer);
    const serial = ++estimateSerial;
    const codesOk = (scoped || splitCodes(form.provinces).every((c) => /^\d{2}$/.test(c))) && splitCodes(form.districts).every((c) => /^\d{3}$/.test(c));
    if (!codesOk) {
      recipients = null;
      delete estimateOut.dataset.count;
      estimateOut.textContent = t('consoleBroadcasts.composer.estimateFailed');
      renderApproval();
      return;
    }
    estimateOut.textContent = t('consoleBroadcasts.composer.estimating');
    // The count shown is the answer for the filter shown, or none.
    delete estimateOut.dataset.count;
    recipients = null;
    renderApproval();
    estimateTimer = setTimeout(async () => {
      try {
        const { recipients: n } = await ctx.api.post('/broadcasts/estimate', { audience: audience() });
        if (serial !== estimateSerial) return;
        recipients = n;
        estimateOut.textContent = t('consoleBroadcasts.composer.estimate', { count: ctx.fmt.number(n) });
        estimateOut.dataset.count = String(n);
      } catch {
        if (serial !== estimateSerial) return;
        recipients = null;
        estimateOut.textContent = t('consoleBroadcasts.composer.estimateFailed');
      }
      renderApproval();
    }, 400);
  }

  function renderApproval() {
    const reasons = approvalReasons(ctx, { recipients, threshold: settings.approvalThreshold, hasLink: form.linkUrl.trim() !== '', urgent: form.urgent });
    const unknown = recipients === null && reasons.length === 0;
    approvalBox.dataset.needsApproval = unknown ? 'unknown' : String(reasons.length > 0);
    fill(approvalBox,
      reasons.length > 0
        ? [h('p', null, t('consoleBroadcasts.composer.approvalNeeded')), h('ul', null, reasons.map((r) => h('li', null, r)))]
        : h('p', null, t(unknown ? 'consoleBroadcasts.composer.approvalUnknown' : 'consoleBroadcasts.composer.approvalNotNeeded', { threshold: ctx.fmt.number(settings.approvalThreshold) })),
    );
  }

  function renderCounters() {
    const b = currentBroadcast();
    for (const [lang, out] of [['vi', viCount], ['en', enCount]]) {
      const text = (lang === 'vi' ? form.vi : form.en).trim();
      const over = text.length > limits.text;
      out.classList.toggle('over', over);
      if (text === '') {
        out.textContent = t('consoleBroadcasts.composer.count', { count: 0, max: ctx.fmt.number(limits.text) });
        continue;
      }
      const message = messageFor(b, lang);
      out.textContent = [
        t('consoleBroadcasts.composer.count', { count: ctx.fmt.number(text.length), max: ctx.fmt.number(limits.text) }),
        t('consoleBroadcasts.composer.partsTelegram', { count: telegramBubbles(message, limits).length }),
        t('consoleBroadcasts.composer.partsZalo', { count: zaloBubbles(message, limits).length, max: ctx.fmt.number(limits.zaloText) }),
      ].join(' · ');
    }
  }

  function renderVisibility() {
    laterBox.hidden = form.when !== 'later';
    detachedNote.hidden = !(template() && form.detached);
    labelEnInput.disabled = usingTemplate();
    labelEnField.querySelector('.hint').hidden = !usingTemplate();
    const implied = Boolean(scoped) || splitCodes(form.provinces).length > 0 || splitCodes(form.districts).length > 0 || form.benefitTypes.length > 0;
    linkedBox.disabled = implied;
    linkedBox.checked = implied || form.linkedOnly;
    linkedNote.hidden = !implied;
  }

  function changed() {
    // The summary of a refused send goes once the officer edits; the messages by the fields stay until their field changes.
    if (!busy) fill(errors);
    save();
    renderVisibility();
    renderCounters();
    renderApproval();
    preview.update(currentBroadcast());
  }

  // ---- wiring
  const bindText = (el, key, after) =>
    el.addEventListener('input', () => {
      form[key] = el.value;
      after?.();
      changed();
    });
  bindText(titleInput, 'title', () => titleField.setError(''));
  const detachOnEdit = () => {
    if (template() && !form.detached) form.detached = true;
  };
  bindText(viText, 'vi', () => {
    detachOnEdit();
    viField.setError('');
  });
  bindText(enText, 'en', () => {
    detachOnEdit();
    enField.setError('');
  });
  bindText(linkInput, 'linkUrl', () => linkField.setError(''));
  bindText(labelViInput, 'linkLabelVi', () => labelViField.setError(''));
  bindText(labelEnInput, 'linkLabelEn', () => labelEnField.setError(''));
  bindText(imageInput, 'imageUrl', () => imageField.setError(''));
  // The link is checked against the allow-list when the field is left, as the server will check it.
  linkInput.addEventListener('change', () => {
    const url = form.linkUrl.trim();
    const problem = url ? linkProblem(url, settings.allowedLinkDomains) : null;
    linkField.setError(problem ? serverErrorText(ctx, { code: problem }, settings, ctx.session) : '');
  });
  const bindGroup = (group, key) =>
    group.boxes.forEach(({ box }) =>
      box.addEventListener('change', () => {
        form[key] = group.values();
        changed();
        scheduleEstimate();
      }),
    );
  bindGroup(platformsGroup, 'platforms');
  bindGroup(languagesGroup, 'languages');
  bindGroup(benefitGroup, 'benefitTypes');
  for (const [el, key, wrapper] of [[provincesInput, 'provinces', provincesField], [districtsInput, 'districts', districtsField]]) {
    el.addEventListener('input', () => {
      form[key] = el.value;
      wrapper.setError?.('');
      changed();
      scheduleEstimate();
    });
  }
  linkedBox.addEventListener('change', () => {
    form.linkedOnly = linkedBox.checked;
    changed();
    scheduleEstimate();
  });
  for (const { r } of [whenNow, whenLater]) {
    r.addEventListener('change', () => {
      form.when = r.value;
      scheduleError.hidden = true;
      changed();
    });
  }
  bindText(dateInput, 'date', () => (scheduleError.hidden = true));
  bindText(timeInput, 'time', () => (scheduleError.hidden = true));
  urgentBox.addEventListener('change', () => {
    form.urgent = urgentBox.checked;
    changed();
  });

  // ---- checks before sending; everything typed stays where it is
  function validate() {
    const problems = [];
    const fail = (wrapper, message, focus) => {
      wrapper.setError(message);
      problems.push(focus);
    };
    if (!form.title.trim()) fail(titleField, errorMessage(ctx, { code: 'validation_failed' }), titleInput);
    if (usingTemplate()) {
      for (const [name, wrapper] of templateFieldWrappers) {
        if (!form.templateFields[name]?.trim()) fail(wrapper, t('consoleBroadcasts.composer.templateFieldMissing'), wrapper.querySelector('input'));
      }
    }
    for (const [lang, wrapper, el] of [['vi', viField, viText], ['en', enField, enText]]) {
      const text = form[lang].trim();
      if (lang === 'vi' && text === '') fail(wrapper, t('consoleBroadcasts.composer.required'), el);
      else if (text.length > limits.text) fail(wrapper, t('consoleBroadcasts.composer.tooLong', { max: ctx.fmt.number(limits.text) }), el);
      else if (linksInText(text).length > 0) fail(wrapper, serverErrorText(ctx, { code: 'link_in_text' }, settings, ctx.session), el);
    }
    const url = form.linkUrl.trim();
    if (url) {
      const problem = linkProblem(url, settings.allowedLinkDomains);
      if (problem) fail(linkField, serverErrorText(ctx, { code: problem }, settings, ctx.session), linkInput);
      if (!form.linkLabelVi.trim()) fail(labelViField, t('consoleBroadcasts.composer.linkButtonRequired'), labelViInput);
    }
    if (form.imageUrl.trim() && linkProblem(form.imageUrl.trim(), ['*']) === 'link_invalid') fail(imageField, t('consoleBroadcasts.serverErrors.link_invalid'), imageInput);
    if (!scoped && !splitCodes(form.provinces).every((c) => /^\d{2}$/.test(c))) fail(provincesField, t('consoleBroadcasts.composer.provincesInvalid'), provincesInput);
    if (!splitCodes(form.districts).every((c) => /^\d{3}$/.test(c))) fail(districtsField, t('consoleBroadcasts.composer.districtsInvalid'), districtsInput);
    if (form.when === 'later') {
      const at = sendAtOf(form);
      const message = !at ? t('consoleBroadcasts.composer.scheduleRequired') : Date.parse(at) <= Date.now() ? t('consoleBroadcasts.composer.schedulePast') : '';
      if (message) {
        scheduleError.textContent = message;
        scheduleError.hidden = false;
        problems.push(at ? timeInput : dateInput);
      }
    }
    return problems;
  }

  /** Puts a server refusal next to the field it names. */
  function showServerError(err) {
    const text = serverErrorText(ctx, err, settings, ctx.session);
    const f = err.field ?? '';
    const target =
      f === 'title' ? [titleField, titleInput]
      : f.startsWith('content.en.linkLabel') ? [labelEnField, labelEnInput]
      : f.startsWith('content.vi.linkLabel') || f === 'linkLabel' ? [labelViField, labelViInput]
      : f.startsWith('content.en') ? [enField, enText]
      : f.startsWith('content') ? [viField, viText]
      : f === 'linkUrl' ? [linkField, linkInput]
      : f === 'imageUrl' ? [imageField, imageInput]
      : f.startsWith('audience.provinces') && !scoped ? [provincesField, provincesInput]
      : f.startsWith('audience.districts') ? [districtsField, districtsInput]
      : f.startsWith('template') ? [templateField, templateSelect]
      : null;
    if (target) {
      target[0].setError(text);
      fill(errors, h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.composer.fixErrors')));
      target[1].focus();
    } else {
      fill(errors, h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'form-error' }, text));
      errors.scrollIntoView({ block: 'nearest' });
    }
  }

  async function send(submit) {
    if (busy) return;
    fill(errors);
    for (const w of [titleField, viField, enField, linkField, labelViField, labelEnField, imageField, districtsField, templateField, ...templateFieldWrappers.values()]) w.setError('');
    provincesField.setError?.('');
    scheduleError.hidden = true;
    const problems = validate();
    if (problems.length > 0) {
      fill(errors, h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.composer.fixErrors')));
      problems[0].focus();
      return;
    }
    busy = true;
    submitBtn.disabled = true;
    draftBtn.disabled = true;
    const b = currentBroadcast();
    const body = {
      title: form.title.trim(),
      ...(usingTemplate()
        ? {
            template: { id: template().id, version: template().version, fields: Object.fromEntries(Object.entries(form.templateFields).map(([k, v]) => [k, v.trim()])) },
            ...(b.linkUrl ? { linkLabel: form.linkLabelVi.trim() } : {}),
          }
        : { content: b.content }),
      ...(b.linkUrl ? { linkUrl: b.linkUrl } : {}),
      ...(b.imageUrl ? { imageUrl: b.imageUrl } : {}),
      audience: audience(),
      ...(form.when === 'later' ? { sendAt: sendAtOf(form) } : {}),
      ...(form.urgent ? { ignoreQuietHours: true } : {}),
    };
    let created;
    try {
      created = await ctx.api.post('/broadcasts', body);
    } catch (err) {
      busy = false;
      submitBtn.disabled = false;
      draftBtn.disabled = false;
      showServerError(err);
      return;
    }
    sessionStorage.removeItem(DRAFT_KEY);
    if (!submit) {
      ctx.toast(t('consoleBroadcasts.composer.savedDraft'), 'success');
      ctx.navigate(`#/broadcasts/${encodeURIComponent(created.id)}`);
      return;
    }
    try {
      const after = await ctx.api.post(`/broadcasts/${encodeURIComponent(created.id)}/submit`);
      const key = after.status === 'pending_approval' ? 'sentForApproval' : after.status === 'scheduled' ? 'sentScheduled' : 'sentNow';
      ctx.toast(t(`consoleBroadcasts.composer.${key}`), 'success');
    } catch {
      ctx.toast(t('consoleBroadcasts.composer.submitFailed'), 'error');
    }
    ctx.navigate(`#/broadcasts/${encodeURIComponent(created.id)}`);
  }
  formEl.addEventListener('submit', (ev) => {
    ev.preventDefault();
    void send(true);
  });

  renderTemplateFields();
  changed();
  scheduleEstimate();
}

/** The chosen Vietnam date and time as ISO 8601 with the +07:00 offset, or null if incomplete. */
function sendAtOf(form) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date) || !/^\d{2}:\d{2}$/.test(form.time)) return null;
  return `${form.date}T${form.time}:00+07:00`;
}

// ------------------------------------------------------------------ one broadcast

async function detailPage(ctx, id) {
  const { h, t } = ctx;
  const path = `/broadcasts/${encodeURIComponent(id)}`;
  const back = h('a', { class: 'btn', href: '#/broadcasts' }, t('consoleBroadcasts.detail.back'));
  let b;
  let settings;
  try {
    [b, settings] = await Promise.all([ctx.api.get(path), loadSettings(ctx)]);
  } catch (err) {
    ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.list.title'), back), err?.status === 404 || err?.status === 400 ? h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.detail.notFound')) : errorBox(ctx, err));
    return;
  }

  const titleEl = h('span', null, b.title);
  const badgeSlot = h('span');
  const header = pageHeader(ctx, '', back);
  fill(header.querySelector('h1'), titleEl, ' ', badgeSlot);
  const stateBox = h('div', { 'data-testid': 'state' });
  const actionError = h('div', { 'aria-live': 'assertive' });
  const progressCard = h('section', { class: 'card', 'aria-labelledby': 'bc-progress-title', 'data-testid': 'progress' });
  const reportCard = h('section', { class: 'card', hidden: true, 'aria-labelledby': 'bc-report-title', 'data-testid': 'report' });
  const contentCard = h('section', { class: 'card', 'aria-labelledby': 'bc-content-title' });
  const preview = previewPanel(ctx, settings);
  ctx.root.append(header, actionError, stateBox, progressCard, reportCard, h('div', { class: 'bc-detail' }, contentCard, preview.el));

  // Progress: built once so the bar moves instead of being redrawn.
  const bar = progressBar(ctx, { value: 0, max: 0, label: t('consoleBroadcasts.progress.label') });
  bar.setAttribute('data-testid', 'progress-bar');
  const stat = (key) => {
    const dd = h('dd', { 'data-testid': `progress-${key}` }, '0');
    return { key, dd, el: h('div', { class: `bc-stat bc-stat-${key}` }, h('dt', null, t(`consoleBroadcasts.progress.${key}`)), dd) };
  };
  const stats = ['sent', 'blocked', 'failed', 'skipped', 'pending', 'rate', 'eta'].map(stat);
  const progressNote = h('p', { class: 'muted' });
  progressCard.append(h('h2', { id: 'bc-progress-title' }, t('consoleBroadcasts.progress.heading')), bar, h('dl', { class: 'bc-stats' }, stats.map((s) => s.el)), progressNote);

  let reportLoaded = false;
  let lastStatus = null;

  function renderProgress() {
    const p = b.progress;
    const done = finalCount(p.counts);
    bar.update(done, p.total);
    const values = {
      sent: ctx.fmt.number(p.counts.sent),
      blocked: ctx.fmt.number(p.counts.blocked),
      failed: ctx.fmt.number(p.counts.failed),
      skipped: ctx.fmt.number(p.counts.skipped),
      pending: ctx.fmt.number(p.pending),
      rate: t('consoleBroadcasts.progress.rateValue', { rate: ctx.fmt.number(p.ratePerSecond) }),
      eta: b.status === 'sending' && p.etaSeconds !== null ? ctx.fmt.duration(p.etaSeconds) : '—',
    };
    for (const s of stats) s.dd.textContent = values[s.key];
    const started = ['sending', 'done', 'cancelled'].includes(b.status) && b.startedAt;
    progressNote.textContent = !started ? t('consoleBroadcasts.progress.waiting') : p.total === 0 && b.status === 'done' ? t('consoleBroadcasts.progress.noRecipients') : '';
    progressNote.hidden = progressNote.textContent === '';
    progressCard.hidden = b.status === 'draft' || b.status === 'rejected' || (b.status === 'cancelled' && !b.startedAt);
  }

  function renderState() {
    fill(badgeSlot, statusBadge(ctx, b.status));
    titleEl.textContent = b.title;
    const by = (keyId) => (keyId ? t('consoleBroadcasts.detail.byLabel', { label: staffLabel(ctx, b, keyId) }) : '');
    const reasons = approvalReasons(ctx, { recipients: b.estimatedRecipients, threshold: settings.approvalThreshold, hasLink: Boolean(b.linkUrl), urgent: b.ignoreQuietHours });
    const lines = [];
    const actions = [];
    const isApprover = ctx.can() && !b.yours;
    switch (b.status) {
      case 'draft':
        lines.push(t('consoleBroadcasts.detail.draft'));
        if (ctx.can('broadcaster')) actions.push(button(ctx, t('consoleBroadcasts.detail.submit'), () => act('submit'), { variant: 'primary', testId: 'submit-broadcast' }));
        break;
      case 'pending_approval':
        lines.push(isApprover ? t('consoleBroadcasts.detail.pendingApprover') : b.yours ? t('consoleBroadcasts.detail.pendingYours') : t('consoleBroadcasts.detail.pendingOther'));
        if (reasons.length) lines.push(t('consoleBroadcasts.detail.approvalReasons', { reasons: reasons.join(', ') }));
        if (isApprover) {
          actions.push(button(ctx, t('consoleBroadcasts.detail.approve'), approve, { variant: 'primary', testId: 'approve' }));
          actions.push(button(ctx, t('consoleBroadcasts.detail.reject'), reject, { variant: 'danger', testId: 'reject' }));
        }
        break;
      case 'approved':
        lines.push(t('consoleBroadcasts.detail.approved'));
        break;
      case 'scheduled':
        lines.push(t('consoleBroadcasts.detail.scheduled', { time: ctx.fmt.dateTime(b.sendAt) }));
        break;
      case 'sending':
        lines.push(t('consoleBroadcasts.detail.sending'));
        break;
      case 'done':
        lines.push(t('consoleBroadcasts.detail.done', { time: ctx.fmt.dateTime(b.finishedAt) }));
        break;
      case 'cancelled':
        lines.push(t('consoleBroadcasts.detail.cancelled', { time: ctx.fmt.dateTime(b.finishedAt), by: by(b.cancelledBy) }));
        break;
      case 'rejected':
        lines.push(t('consoleBroadcasts.detail.rejected', { by: by(b.rejectedBy), reason: b.rejectionReason ?? '' }));
        break;
    }
    if (OPEN.includes(b.status) && ctx.can('broadcaster')) actions.push(button(ctx, t('consoleBroadcasts.detail.cancel'), cancel, { variant: 'danger', testId: 'cancel-broadcast' }));
    if (['rejected', 'cancelled', 'done'].includes(b.status) && ctx.can('broadcaster')) {
      actions.push(h('a', { class: 'btn', href: `#/broadcasts/new?from=${encodeURIComponent(b.id)}`, 'data-testid': 'copy' }, t('consoleBroadcasts.detail.copy')));
    }
    const kind = b.status === 'rejected' || b.status === 'cancelled' ? 'alert-warning' : 'alert-info';
    fill(stateBox,
      h('div', { class: `alert ${kind}`, 'data-testid': 'state-text' }, lines.map((l) => h('p', null, l))),
      actions.length ? h('div', { class: 'row bc-actions' }, actions) : null,
    );
  }

  function renderContent() {
    const a = b.audience;
    const join = (list, labelOf) => list.map(labelOf).join(', ');
    const audienceLines = [
      a.platforms.length ? t('consoleBroadcasts.detail.audiencePlatforms', { list: join(a.platforms, (p) => t(`consoleBroadcasts.platforms.${p}`)) }) : null,
      a.languages.length ? t('consoleBroadcasts.detail.audienceLanguages', { list: join(a.languages, (l) => t(`consoleBroadcasts.languages.${l}`)) }) : null,
      a.provinces.length ? t('consoleBroadcasts.detail.audienceProvinces', { list: a.provinces.join(', ') }) : null,
      a.districts?.length ? t('consoleBroadcasts.detail.audienceDistricts', { list: a.districts.join(', ') }) : null,
      a.benefitTypes.length ? t('consoleBroadcasts.detail.audienceBenefits', { list: join(a.benefitTypes, (x) => t(`consoleBroadcasts.benefitTypes.${x}`)) }) : null,
      a.linkedOnly ? t('consoleBroadcasts.detail.audienceLinked') : null,
    ].filter(Boolean);
    const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
    const link = b.linkUrl ? `${b.content.vi.linkLabel ?? ''} → ${b.linkUrl}` : t('consoleBroadcasts.detail.none');
    fill(contentCard,
      h('h2', { id: 'bc-content-title' }, t('consoleBroadcasts.detail.sectionContent')),
      h('dl', { class: 'bc-facts' },
        row(t('consoleBroadcasts.detail.textVi'), h('span', { class: 'bc-text', lang: 'vi' }, b.content.vi.text)),
        row(t('consoleBroadcasts.detail.textEn'), b.content.en ? h('span', { class: 'bc-text', lang: 'en' }, b.content.en.text) : t('consoleBroadcasts.detail.noEn')),
        row(t('consoleBroadcasts.detail.link'), link),
        b.imageUrl ? row(t('consoleBroadcasts.detail.image'), b.imageUrl) : null,
        row(t('consoleBroadcasts.detail.audience'), audienceLines.length ? h('ul', { class: 'bc-plain' }, audienceLines.map((l) => h('li', null, l))) : t('consoleBroadcasts.detail.audienceAll')),
        b.estimatedRecipients !== null ? row(t('consoleBroadcasts.detail.estimated'), ctx.fmt.number(b.estimatedRecipients)) : null,
        row(t('consoleBroadcasts.detail.schedule'), [b.sendAt ? ctx.fmt.dateTime(b.sendAt) : t('consoleBroadcasts.detail.scheduleNow'), b.ignoreQuietHours ? ` · ${t('consoleBroadcasts.detail.urgent')}` : '']),
        b.template ? row(t('consoleBroadcasts.detail.template'), t('consoleBroadcasts.detail.templateValue', b.template)) : null,
        row(t('consoleBroadcasts.detail.createdBy'), `${staffLabel(ctx, b, b.createdBy)} · ${ctx.fmt.dateTime(b.createdAt)}`),
        b.approvedBy ? row(t('consoleBroadcasts.detail.approvedBy'), staffLabel(ctx, b, b.approvedBy)) : null,
      ),
    );
    preview.update(b);
  }

  async function renderReport() {
    if (reportLoaded) return;
    let r;
    try {
      r = await ctx.api.get(`${path}/report`);
    } catch {
      return;
    }
    // A cancelled broadcast may still have sends in flight: look again on the next poll.
    if (!r.final) return;
    reportLoaded = true;
    const reasonTable = (captionKey, reasons) => {
      const entries = Object.entries(reasons);
      if (entries.length === 0) return null;
      return h('table', { class: 'data bc-reasons' },
        h('caption', null, t(captionKey)),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('consoleBroadcasts.report.colReason')), h('th', { scope: 'col', class: 'num' }, t('consoleBroadcasts.report.colCount')))),
        h('tbody', null, entries.map(([code, n]) => h('tr', { 'data-reason': code }, h('td', null, reasonLabel(ctx, code)), h('td', { class: 'num' }, ctx.fmt.number(n))))),
      );
    };
    const fact = (label, value, testId) => h('div', { class: 'bc-stat' }, h('dt', null, label), h('dd', { 'data-testid': testId }, value));
    fill(reportCard,
      h('h2', { id: 'bc-report-title' }, t('consoleBroadcasts.report.heading')),
      h('dl', { class: 'bc-stats' },
        fact(t('consoleBroadcasts.report.recipients'), ctx.fmt.number(r.recipients), 'report-recipients'),
        ['sent', 'blocked', 'failed', 'skipped'].map((k) => fact(t(`consoleBroadcasts.progress.${k}`), ctx.fmt.number(r.counts[k]), `report-${k}`)),
        fact(t('consoleBroadcasts.report.firstSent'), ctx.fmt.dateTime(r.firstSentAt), 'report-first'),
        fact(t('consoleBroadcasts.report.lastSent'), ctx.fmt.dateTime(r.lastSentAt), 'report-last'),
        fact(t('consoleBroadcasts.report.achievedRate'), r.achievedRatePerSecond === null ? '—' : t('consoleBroadcasts.progress.rateValue', { rate: ctx.fmt.number(r.achievedRatePerSecond) }), 'report-rate'),
      ),
      reasonTable('consoleBroadcasts.report.failures', r.failureReasons) ?? h('p', { class: 'muted' }, t('consoleBroadcasts.report.noFailures')),
      reasonTable('consoleBroadcasts.report.skips', r.skipReasons),
    );
    reportCard.hidden = false;
  }

  function render() {
    if (b.status !== lastStatus) {
      renderState();
      renderContent();
      lastStatus = b.status;
    }
    renderProgress();
    if ((b.status === 'done' || b.status === 'cancelled') && b.startedAt) void renderReport();
  }

  /** About every second while sending; slower while waiting; stops once nothing can change. */
  const delayFor = () => {
    if (b.status === 'sending' || b.status === 'approved') return 1000;
    if (b.status === 'cancelled' && (b.progress.counts.sending > 0 || (b.startedAt && !reportLoaded))) return 1000;
    if (b.status === 'done' && !reportLoaded) return 1000;
    if (b.status === 'pending_approval' || b.status === 'scheduled') return 5000;
    return null;
  };
  const poller = poll(ctx, async () => {
    b = await ctx.api.get(path);
    render();
    return delayFor();
  }, delayFor() ?? 5000);

  /** One action on the broadcast; refusals are explained, and the page shows the state that holds now. */
  async function run(action, body) {
    fill(actionError);
    try {
      b = await ctx.api.post(`${path}/${action}`, body);
      render();
      return true;
    } catch (err) {
      const text = err?.code === 'four_eyes' ? t('consoleBroadcasts.detail.fourEyes') : err?.code === 'invalid_state' ? t('consoleBroadcasts.detail.invalidState') : serverErrorText(ctx, err, settings, ctx.session);
      fill(actionError, h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'action-error' }, text));
      try {
        b = await ctx.api.get(path);
        render();
      } catch {
        // The error above already says what happened.
      }
      return false;
    } finally {
      poller.now();
    }
  }
  async function act(action) {
    if (await run(action)) ctx.toast(t('consoleBroadcasts.detail.submittedToast'), 'success');
  }
  async function approve() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.approveTitle'),
      body: t('consoleBroadcasts.detail.approveBody', { title: b.title, count: ctx.fmt.number(b.estimatedRecipients ?? 0) }),
      confirmLabel: t('consoleBroadcasts.detail.approveConfirm'),
    });
    if (answer.ok && (await run('approve'))) ctx.toast(t('consoleBroadcasts.detail.approvedToast'), 'success');
  }
  async function reject() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.rejectTitle'),
      body: t('consoleBroadcasts.detail.rejectBody'),
      confirmLabel: t('consoleBroadcasts.detail.rejectConfirm'),
      reasonLabel: t('consoleBroadcasts.detail.rejectReason'),
      danger: true,
    });
    if (answer.ok && (await run('reject', { reason: answer.reason }))) ctx.toast(t('consoleBroadcasts.detail.rejectedToast'), 'success');
  }
  async function cancel() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.cancelTitle'),
      body: t('consoleBroadcasts.detail.cancelBody'),
      confirmLabel: t('consoleBroadcasts.detail.cancelConfirm'),
      danger: true,
    });
    if (answer.ok && (await run('cancel'))) ctx.toast(t('consoleBroadcasts.detail.cancelledToast'), 'success');
  }

  render();
}
