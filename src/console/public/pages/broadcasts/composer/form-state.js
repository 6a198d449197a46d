/**
 * What the composer holds while the officer writes: the form as typed, kept in
 * this tab's storage so a session timeout or a slip of navigation loses
 * nothing, and the message and audience the API will be sent.
 *
 * @typedef {import('../../../lib/api-types.js').Broadcast} Broadcast
 * @typedef {import('../../../lib/api-types.js').BroadcastContent} BroadcastContent
 */

/**
 * @typedef {{
 *   title: string, templateId: string, templateFields: Record<string, string>, detached: boolean,
 *   vi: string, en: string, linkUrl: string, linkLabelVi: string, linkLabelEn: string, imageUrl: string,
 *   source: 'chats' | 'register', platforms: string[], languages: string[], provinces: string, districts: string, benefitTypes: string[], linkedOnly: boolean,
 *   when: string, date: string, time: string, urgent: boolean,
 * }} ComposerForm
 *
 * The audience filter as POST /broadcasts and /broadcasts/estimate take it: only what was chosen.
 * @typedef {{ source?: 'register', platforms?: string[], languages?: string[], provinces?: string[], districts?: string[], benefitTypes?: string[], linkedOnly?: boolean }} AudienceFilter
 *
 * The message as the API stores it.
 * @typedef {{ content: BroadcastContent, linkUrl: string | null, imageUrl: string | null }} Message
 */

const DRAFT_KEY = 'lhb-console-broadcast-draft';

/** @returns {ComposerForm} */
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
  source: /** @type {'chats' | 'register'} */ ('chats'),
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

/**
 * The form to start from: a copy of another broadcast, else the draft this tab kept, else empty.
 * @param {Broadcast | null} copied @param {string | null} scoped the key's own province, if it has one
 * @returns {{ form: ComposerForm, restored: boolean }}
 */
export function initialForm(copied, scoped) {
  const form = emptyForm();
  if (copied) {
    return {
      restored: false,
      form: {
        ...form,
        title: copied.title,
        vi: copied.content.vi.text,
        en: copied.content.en?.text ?? '',
        linkUrl: copied.linkUrl ?? '',
        linkLabelVi: copied.content.vi.linkLabel ?? '',
        linkLabelEn: copied.content.en?.linkLabel ?? '',
        imageUrl: copied.imageUrl ?? '',
        source: copied.audience.source ?? 'chats',
        platforms: copied.audience.platforms,
        languages: copied.audience.languages,
        provinces: scoped ? '' : copied.audience.provinces.join(', '),
        districts: (copied.audience.districts ?? []).join(', '),
        benefitTypes: copied.audience.benefitTypes,
        linkedOnly: copied.audience.linkedOnly,
        urgent: copied.ignoreQuietHours,
      },
    };
  }
  try {
    const saved = JSON.parse(sessionStorage.getItem(DRAFT_KEY) ?? 'null');
    if (saved && typeof saved === 'object') return { form: { ...form, ...saved }, restored: true };
  } catch {
    // A damaged saved draft is dropped.
  }
  return { form, restored: false };
}

/** @param {ComposerForm} form */
export const saveDraft = (form) => sessionStorage.setItem(DRAFT_KEY, JSON.stringify(form));

export const dropDraft = () => sessionStorage.removeItem(DRAFT_KEY);

/** Codes typed as a list ("01, 79; 48"). @param {string} text */
export const splitCodes = (text) => text.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);

/**
 * The message as the API will store it (for the preview and the body). With a
 * template, English speakers get the Vietnamese button label.
 * @param {ComposerForm} form @param {boolean} usingTemplate
 * @returns {Message}
 */
export function messageOf(form, usingTemplate) {
  const link = form.linkUrl.trim();
  const vi = { text: form.vi.trim(), ...(link && form.linkLabelVi.trim() ? { linkLabel: form.linkLabelVi.trim() } : {}) };
  const enLabel = usingTemplate ? form.linkLabelVi.trim() : form.linkLabelEn.trim();
  const en = form.en.trim() ? { text: form.en.trim(), ...(link && enLabel ? { linkLabel: enLabel } : {}) } : undefined;
  return { content: { vi, ...(en ? { en } : {}) }, linkUrl: link || null, imageUrl: form.imageUrl.trim() || null };
}

/**
 * @param {ComposerForm} form @param {string | null} scoped a scoped key's audience is its province, added by the server
 * @returns {AudienceFilter}
 */
export function audienceOf(form, scoped) {
  /** @type {AudienceFilter} */
  const a = {};
  // Everyone in the register: platforms, languages and "linked only" do not apply.
  const register = form.source === 'register';
  if (register) a.source = 'register';
  if (form.platforms.length && !register) a.platforms = [...form.platforms];
  if (form.languages.length && !register) a.languages = [...form.languages];
  const provinces = scoped ? [] : splitCodes(form.provinces);
  if (provinces.length) a.provinces = provinces;
  const districts = splitCodes(form.districts);
  if (districts.length) a.districts = districts;
  if (form.benefitTypes.length) a.benefitTypes = [...form.benefitTypes];
  if (form.linkedOnly && !register) a.linkedOnly = true;
  return a;
}

/**
 * The chosen Vietnam date and time as ISO 8601 with the +07:00 offset, or null if incomplete.
 * @param {ComposerForm} form
 */
export function sendAtOf(form) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(form.date) || !/^\d{2}:\d{2}$/.test(form.time)) return null;
  return `${form.date}T${form.time}:00+07:00`;
}
