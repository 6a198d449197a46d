import { fill } from '../../lib/dom.js';
import { badge, errorMessage, nextId } from '../../lib/ui.js';
import { DEFAULT_LIMITS, messageFor, telegramBubbles, telegramChat, zaloBotBubbles, zaloBubbles, zaloChat } from '../../lib/chat-preview.js';

/** What more than one broadcasts screen (list, composer, detail) needs. */

export const OPEN = ['draft', 'pending_approval', 'approved', 'scheduled', 'sending'];

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

export async function loadSettings(ctx) {
  try {
    const s = await ctx.api.get('/broadcasts/settings');
    return { ...FALLBACK_SETTINGS, ...s, limits: { ...FALLBACK_SETTINGS.limits, ...s.limits } };
  } catch {
    return FALLBACK_SETTINGS;
  }
}

export const statusBadge = (ctx, status) => badge(ctx, status, ctx.t(`consoleBroadcasts.status.${status}`), { 'data-testid': 'status', 'data-status': status });

export const finalCount = (c) => c.sent + c.blocked + c.failed + c.skipped;

export const staffLabel = (ctx, b, keyId) => (keyId ? (b.staffLabels?.[keyId] ?? ctx.t('consoleBroadcasts.detail.unknownStaff')) : '');

/** Why the server will (or did) hold a broadcast for approval. */
export function approvalReasons(ctx, { recipients, threshold, hasLink, urgent }) {
  const t = ctx.t;
  return [
    recipients !== null && recipients > threshold ? t('consoleBroadcasts.composer.reasonLarge', { threshold: ctx.fmt.number(threshold) }) : null,
    hasLink ? t('consoleBroadcasts.composer.reasonLink') : null,
    urgent ? t('consoleBroadcasts.composer.reasonUrgent') : null,
  ].filter(Boolean);
}

/** The server's refusal in the staff member's language. */
export function serverErrorText(ctx, err, settings, session) {
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

/**
 * Telegram and Zalo side by side (Zalo Bot too when this deployment has it),
 * in either language, redrawn by `update(broadcast)`.
 */
export function previewPanel(ctx, settings, { heading = 'h2' } = {}) {
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
