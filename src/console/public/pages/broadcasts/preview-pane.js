import { fill } from '../../lib/dom.js';
import { nextId } from '../../lib/ui.js';
import { telegramChat, zaloChat } from '../../lib/chat-preview.js';

/**
 * Telegram and Zalo side by side (Zalo Bot too when this deployment runs it),
 * in either language, drawn from the server's preview: the bubbles each
 * channel's own renderer makes of the message (POST /broadcasts/preview).
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').Preview} Preview
 * @typedef {import('../../lib/api-types.js').Locale} Locale
 * @typedef {Partial<Record<Locale, Preview>>} Previews the preview in each language asked for
 * @typedef {ReturnType<typeof previewPane>} PreviewPane
 */

/**
 * @param {PageContext} ctx @param {{ heading?: 'h2' | 'h3' }} [opts]
 */
export function previewPane(ctx, { heading = 'h2' } = {}) {
  const { h, t } = ctx;
  /** @type {Locale} */
  let lang = 'vi';
  /** @type {Previews} */
  let shown = {};
  let hasEnglish = false;
  const phones = h('div', { class: 'cp-phones' });
  const fallbackNote = h('p', { class: 'hint', hidden: true }, t('consoleBroadcasts.preview.fallbackVi'));
  /** @type {Locale[]} */
  const langs = ['vi', 'en'];
  const langButtons = langs.map((l) =>
    h('button', {
      type: 'button',
      class: 'btn btn-plain',
      'aria-pressed': String(l === lang),
      'data-testid': `preview-lang-${l}`,
      'on:click': () => {
        lang = l;
        for (const b of langButtons) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
        draw();
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

  function draw() {
    // English speakers get the Vietnamese text while there is no English one.
    const preview = shown[lang] ?? shown.vi;
    fallbackNote.hidden = !(lang === 'en' && !hasEnglish);
    const channel = (/** @type {string} */ name) => preview?.channels.find((c) => c.channel === name);
    const telegram = channel('telegram');
    const zalo = channel('zalo');
    const zaloBot = channel('zalo-bot');
    const placeholder = t('consoleBroadcasts.preview.empty');
    const zaloName = zalo?.displayName ?? t('consoleBroadcasts.preview.defaultOaName');
    /** @param {string} label @param {Node} node @param {Node | null} [note] */
    const column = (label, node, note = null) => h('figure', { class: 'cp-column' }, h('figcaption', null, label), node, note);
    fill(phones,
      column(t('consoleBroadcasts.preview.telegram'), telegramChat(ctx, { botName: telegram?.displayName ?? t('consoleBroadcasts.preview.defaultBotName'), bubbles: telegram?.bubbles ?? [], placeholder })),
      column(
        t('consoleBroadcasts.preview.zalo'),
        zaloChat(ctx, { oaName: zaloName, bubbles: zalo?.bubbles ?? [], placeholder, subtitle: t('consoleBroadcasts.preview.zaloOa') }),
        h('p', { class: 'hint' }, t('consoleBroadcasts.preview.zaloWindow')),
      ),
      zaloBot?.enabled
        ? column(t('consoleBroadcasts.preview.zaloBot'), zaloChat(ctx, {
            oaName: zaloBot.displayName ?? zaloName,
            bubbles: zaloBot.bubbles,
            placeholder,
            testId: 'preview-zalo-bot',
            subtitle: t('consoleBroadcasts.preview.zaloBotSubtitle'),
          }))
        : null,
    );
  }
  draw();

  return {
    el,
    /** Draws the server's answers; `english` says whether the message has an English text of its own. @param {Previews} previews @param {boolean} english */
    show(previews, english) {
      shown = previews;
      hasEnglish = english;
      draw();
    },
  };
}
