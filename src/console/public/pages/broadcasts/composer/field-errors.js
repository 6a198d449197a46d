import { serverErrorText } from '../shared.js';

/**
 * Where the composer shows what the server says about a field (a refused
 * create, or a problem the preview found), and in which words.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/types.js').FieldWrapper} FieldWrapper
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('../../../lib/api-types.js').Preview['problems'][number]} Problem
 * @typedef {import('./message-fields.js').MessageFields} MessageFields
 * @typedef {import('./template-picker.js').TemplatePicker} TemplatePicker
 * @typedef {import('./audience-picker.js').AudiencePicker} AudiencePicker
 * @typedef {{ field: FieldWrapper, input: HTMLElement }} Labelled
 * @typedef {ReturnType<typeof fieldErrors>} FieldErrors
 */

/**
 * @param {PageContext} ctx @param {BroadcastSettings} settings
 * @param {{ fields: MessageFields, template: TemplatePicker, audience: AudiencePicker }} form
 */
export function fieldErrors(ctx, settings, { fields, template, audience }) {
  const t = ctx.t;
  return {
    /** Every field a message can stand under. @returns {Labelled[]} */
    all() {
      return [fields.title, fields.vi, fields.en, fields.link, fields.labelVi, fields.labelEn, fields.image, audience.districts, ...(audience.provinces ? [audience.provinces] : []), { field: template.field, input: template.select }];
    },

    /**
     * The field a server answer names (`content.en.linkLabel`, `audience.provinces.0`, …), if the form shows it.
     * @param {string} f @returns {Labelled | null}
     */
    named(f) {
      if (f === 'title') return fields.title;
      if (f.startsWith('content.en.linkLabel')) return fields.labelEn;
      if (f.startsWith('content.vi.linkLabel') || f === 'linkLabel') return fields.labelVi;
      if (f.startsWith('content.en')) return fields.en;
      if (f.startsWith('content')) return fields.vi;
      if (f === 'linkUrl') return fields.link;
      if (f === 'imageUrl') return fields.image;
      if (f.startsWith('audience.provinces')) return audience.provinces;
      if (f.startsWith('audience.districts')) return audience.districts;
      if (f.startsWith('template')) return { field: template.field, input: template.select };
      return null;
    },

    /**
     * A problem the preview found, in the officer's words; a link without its button label says so.
     * @param {Problem} problem
     */
    problemText(problem) {
      if (problem.field.endsWith('.linkLabel')) return t('consoleBroadcasts.composer.linkButtonRequired');
      return serverErrorText(ctx, problem, settings, ctx.session);
    },

    /**
     * A refused create in the officer's words; a malformed province or district code says which list.
     * @param {{ code?: string, field?: string, message?: string }} err
     */
    refusalText(err) {
      const f = err.field ?? '';
      if (err.code === 'validation_failed' && f.startsWith('audience.provinces')) return t('consoleBroadcasts.composer.provincesInvalid');
      if (err.code === 'validation_failed' && f.startsWith('audience.districts')) return t('consoleBroadcasts.composer.districtsInvalid');
      return serverErrorText(ctx, err, settings, ctx.session);
    },
  };
}
