import { fill } from '../../../lib/dom.js';
import { staffLabel } from '../shared.js';

/**
 * What a broadcast says and to whom: both texts, the link and image, the
 * audience, the schedule, the template it came from and who wrote it.
 *
 * @typedef {import('../../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../../lib/api-types.js').Broadcast} Broadcast
 */

/** @param {PageContext} ctx @param {Broadcast} b */
function audienceLines(ctx, b) {
  const t = ctx.t;
  const a = b.audience;
  /** @param {string[]} list @param {(x: string) => string} labelOf */
  const join = (list, labelOf) => list.map(labelOf).join(', ');
  return [
    a.platforms.length ? t('consoleBroadcasts.detail.audiencePlatforms', { list: join(a.platforms, (p) => t(`consoleBroadcasts.platforms.${p}`)) }) : null,
    a.languages.length ? t('consoleBroadcasts.detail.audienceLanguages', { list: join(a.languages, (l) => t(`consoleBroadcasts.languages.${l}`)) }) : null,
    a.provinces.length ? t('consoleBroadcasts.detail.audienceProvinces', { list: a.provinces.join(', ') }) : null,
    a.districts?.length ? t('consoleBroadcasts.detail.audienceDistricts', { list: a.districts.join(', ') }) : null,
    a.benefitTypes.length ? t('consoleBroadcasts.detail.audienceBenefits', { list: join(a.benefitTypes, (x) => t(`consoleBroadcasts.benefitTypes.${x}`)) }) : null,
    a.linkedOnly ? t('consoleBroadcasts.detail.audienceLinked') : null,
  ].filter((l) => l !== null);
}

/** @param {PageContext} ctx */
export function contentCard(ctx) {
  const { h, t } = ctx;
  const el = h('section', { class: 'card', 'aria-labelledby': 'bc-content-title' });
  /** @param {Broadcast} b */
  function render(b) {
    const lines = audienceLines(ctx, b);
    /** @param {string} label @param {unknown} value */
    const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
    const link = b.linkUrl ? `${b.content.vi.linkLabel ?? ''} → ${b.linkUrl}` : t('consoleBroadcasts.detail.none');
    fill(el,
      h('h2', { id: 'bc-content-title' }, t('consoleBroadcasts.detail.sectionContent')),
      h('dl', { class: 'bc-facts' },
        row(t('consoleBroadcasts.detail.textVi'), h('span', { class: 'bc-text', lang: 'vi' }, b.content.vi.text)),
        row(t('consoleBroadcasts.detail.textEn'), b.content.en ? h('span', { class: 'bc-text', lang: 'en' }, b.content.en.text) : t('consoleBroadcasts.detail.noEn')),
        row(t('consoleBroadcasts.detail.link'), link),
        b.imageUrl ? row(t('consoleBroadcasts.detail.image'), b.imageUrl) : null,
        row(t('consoleBroadcasts.detail.audience'), lines.length ? h('ul', { class: 'bc-plain' }, lines.map((l) => h('li', null, l))) : t('consoleBroadcasts.detail.audienceAll')),
        b.estimatedRecipients !== null ? row(t('consoleBroadcasts.detail.estimated'), ctx.fmt.number(b.estimatedRecipients)) : null,
        row(t('consoleBroadcasts.detail.schedule'), [b.sendAt ? ctx.fmt.dateTime(b.sendAt) : t('consoleBroadcasts.detail.scheduleNow'), b.ignoreQuietHours ? ` · ${t('consoleBroadcasts.detail.urgent')}` : '']),
        b.template ? row(t('consoleBroadcasts.detail.template'), t('consoleBroadcasts.detail.templateValue', b.template)) : null,
        row(t('consoleBroadcasts.detail.createdBy'), `${staffLabel(ctx, b, b.createdBy)} · ${ctx.fmt.dateTime(b.createdAt)}`),
        b.approvedBy ? row(t('consoleBroadcasts.detail.approvedBy'), staffLabel(ctx, b, b.approvedBy)) : null,
      ),
    );
  }
  return { el, render };
}
