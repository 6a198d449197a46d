import { field } from '../../../lib/ui.js';

/**
 * The words of the notice: its staff-only title, the Vietnamese and English
 * texts with their counters, the link button and the image.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/types.js').FieldWrapper} FieldWrapper
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('./form-state.js').ComposerForm} ComposerForm
 * @typedef {{ field: FieldWrapper, input: HTMLInputElement | HTMLTextAreaElement }} Labelled
 * @typedef {ReturnType<typeof messageFields>} MessageFields
 */

/**
 * @param {PageContext} ctx @param {BroadcastSettings} settings @param {ComposerForm} form
 */
export function messageFields(ctx, settings, form) {
  const { h, t } = ctx;
  const limits = settings.limits;
  /** @param {Record<string, unknown>} attrs */
  const input = (attrs) => h('input', { type: 'text', ...attrs });
  /** @param {string} label @param {HTMLInputElement | HTMLTextAreaElement} el @param {string} [hint] @returns {Labelled} */
  const labelled = (label, el, hint) => ({ field: field(ctx, { label, input: el, hint }), input: el });

  const title = labelled(
    t('consoleBroadcasts.composer.titleLabel'),
    input({ name: 'title', maxlength: String(limits.title), value: form.title, 'data-testid': 'title', autocomplete: 'off' }),
    t('consoleBroadcasts.composer.titleHint'),
  );
  const vi = labelled(
    t('consoleBroadcasts.composer.viLabel'),
    h('textarea', { name: 'text-vi', rows: '7', lang: 'vi', 'data-testid': 'text-vi', value: form.vi }),
    t('consoleBroadcasts.composer.textHint'),
  );
  const en = labelled(
    t('consoleBroadcasts.composer.enLabel'),
    h('textarea', { name: 'text-en', rows: '7', lang: 'en', 'data-testid': 'text-en', value: form.en }),
    t('consoleBroadcasts.composer.enHint'),
  );
  const counter = () => h('p', { class: 'bc-counter', 'aria-live': 'polite' });
  const counters = { vi: counter(), en: counter() };
  vi.field.append(counters.vi);
  en.field.append(counters.en);

  const link = labelled(
    t('consoleBroadcasts.composer.linkLabel'),
    input({ type: 'url', name: 'link', inputmode: 'url', value: form.linkUrl, 'data-testid': 'link-url', autocomplete: 'off', placeholder: 'https://' }),
    t('consoleBroadcasts.composer.linkHint', { domains: settings.allowedLinkDomains.join(', ') || '—' }),
  );
  const labelVi = labelled(
    t('consoleBroadcasts.composer.linkButtonVi'),
    input({ name: 'link-label-vi', maxlength: String(limits.linkLabel), value: form.linkLabelVi, 'data-testid': 'link-label-vi' }),
    t('consoleBroadcasts.composer.linkButtonHint', { max: limits.linkLabel }),
  );
  const labelEn = labelled(
    t('consoleBroadcasts.composer.linkButtonEn'),
    input({ name: 'link-label-en', maxlength: String(limits.linkLabel), value: form.linkLabelEn, 'data-testid': 'link-label-en' }),
    t('consoleBroadcasts.composer.linkButtonTemplate'),
  );
  const image = labelled(
    t('consoleBroadcasts.composer.imageLabel'),
    input({ type: 'url', name: 'image', inputmode: 'url', value: form.imageUrl, 'data-testid': 'image-url', autocomplete: 'off', placeholder: 'https://' }),
    t('consoleBroadcasts.composer.imageHint'),
  );

  /**
   * The characters written, against the server's limit; `parts` adds how many
   * messages each platform will make of it (from the preview), when known.
   * @param {'vi' | 'en'} lang @param {string} [parts]
   */
  function showCount(lang, parts) {
    const text = form[lang].trim();
    const out = counters[lang];
    out.classList.toggle('over', text.length > limits.text);
    const count = t('consoleBroadcasts.composer.count', { count: ctx.fmt.number(text.length), max: ctx.fmt.number(limits.text) });
    out.textContent = text === '' || !parts ? count : `${count} · ${parts}`;
  }

  /** While a template fills the text, the English button reuses the Vietnamese label. @param {boolean} usingTemplate */
  function showTemplateUse(usingTemplate) {
    labelEn.input.disabled = usingTemplate;
    const hint = labelEn.field.querySelector('.hint');
    if (hint instanceof HTMLElement) hint.hidden = !usingTemplate;
  }

  /**
   * Keeps the form in step with typing; a field's message goes when it is edited.
   * @param {{ changed: () => void, textEdited: () => void }} hooks `textEdited` after the officer edits either text
   */
  function listen({ changed, textEdited }) {
    /** @type {[Labelled, 'title' | 'vi' | 'en' | 'linkUrl' | 'linkLabelVi' | 'linkLabelEn' | 'imageUrl'][]} */
    const bound = [[title, 'title'], [vi, 'vi'], [en, 'en'], [link, 'linkUrl'], [labelVi, 'linkLabelVi'], [labelEn, 'linkLabelEn'], [image, 'imageUrl']];
    for (const [{ field: wrapper, input: el }, key] of bound) {
      el.addEventListener('input', () => {
        form[key] = el.value;
        if (key === 'vi' || key === 'en') textEdited();
        wrapper.setError('');
        changed();
      });
    }
  }

  return { title, vi, en, link, labelVi, labelEn, image, showCount, showTemplateUse, listen };
}
