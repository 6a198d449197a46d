import { previewPane } from '../preview-pane.js';
import { livePreview } from '../live-preview.js';

/**
 * The composer's preview: the server's rendering of the message as typed, how
 * many messages each platform makes of each text (under the text boxes), and
 * the link's problem once the officer leaves the link field.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/api-types.js').BroadcastSettings} BroadcastSettings
 * @typedef {import('../../../lib/api-types.js').Preview} Preview
 * @typedef {import('../preview-pane.js').Previews} Previews
 * @typedef {import('./message-fields.js').MessageFields} MessageFields
 * @typedef {import('./field-errors.js').FieldErrors} FieldErrors
 */

/** @param {PageContext} ctx @param {BroadcastSettings} settings @param {MessageFields} fields @param {FieldErrors} errors */
export function composerPreview(ctx, settings, fields, errors) {
  const t = ctx.t;
  const pane = previewPane(ctx);
  /** What the server would refuse in the message as last previewed. @type {Preview['problems']} */
  let problems = [];
  /** The link field was left: its problem is shown from then on, not while it is being typed. */
  let linkLeft = false;
  /** How many messages each platform makes of each text, from the last preview. @type {Partial<Record<'vi' | 'en', string>>} */
  let parts = {};

  /** @param {Preview | undefined} p */
  function partsOf(p) {
    if (!p) return undefined;
    /** @param {string} channel */
    const count = (channel) => p.channels.find((c) => c.channel === channel)?.bubbles.length ?? 0;
    return [
      t('consoleBroadcasts.composer.partsTelegram', { count: count('telegram') }),
      t('consoleBroadcasts.composer.partsZalo', { count: count('zalo'), max: ctx.fmt.number(settings.limits.zaloText) }),
    ].join(' · ');
  }

  function renderCounters() {
    fields.showCount('vi', parts.vi);
    fields.showCount('en', parts.en);
  }

  function showLinkProblem() {
    if (!linkLeft) return;
    const problem = problems.find((p) => p.field === 'linkUrl');
    fields.link.field.setError(problem ? errors.problemText(problem) : '');
  }

  const live = livePreview(ctx, (previews, message) => {
    pane.show(previews, Boolean(message.content.en));
    problems = previews.vi?.problems ?? [];
    parts = { vi: partsOf(previews.vi), en: partsOf(previews.en) };
    renderCounters();
    showLinkProblem();
  });

  fields.link.input.addEventListener('input', () => {
    linkLeft = false;
  });
  // The link is judged when the field is left, by the server's own check (the preview's problems).
  fields.link.input.addEventListener('change', () => {
    linkLeft = true;
    showLinkProblem();
    void live.settle();
  });

  return {
    el: pane.el,
    update: live.update,
    renderCounters,
    /** What the server would refuse in the message as it stands now. */
    async problems() {
      return (await live.settle())?.vi?.problems ?? [];
    },
  };
}
