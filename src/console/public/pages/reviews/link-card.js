import { detailList } from './detail-list.js';
import { provinceLabel } from '../../lib/vocabulary.js';

/**
 * One relative's link: the beneficiary, who registered and how they are
 * related, and the paper they sent with its photo (shown to reviewers only:
 * each view is audited).
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').RelativeLink} RelativeLink
 */

/** @param {PageContext} ctx @param {RelativeLink} item */
function photo(ctx, item) {
  const { h } = ctx;
  /** @param {string} key */
  const tr = (key) => ctx.t(`consoleReviews.${key}`);
  // Looking at someone's papers is reviewer work (the server refuses others, and audits each view).
  if (!ctx.may('getLinksByIdPhoto')) return h('p', { class: 'muted', 'data-testid': 'photo-reviewer-only' }, tr('document.photoReviewerOnly'));
  const url = ctx.api.url(`/links/${encodeURIComponent(item.id)}/photo`);
  const fallback = h('p', { class: 'alert alert-warning', hidden: true, 'data-testid': 'photo-missing' }, tr('document.photoMissing'));
  const open = h('a', { href: url, target: '_blank', rel: 'noopener' }, tr('document.photoOpen'));
  const img = h('img', {
    class: 'review-photo',
    alt: tr('document.photo'),
    'data-testid': 'link-photo',
    'on:error': () => {
      img.hidden = true;
      open.hidden = true;
      fallback.hidden = false;
    },
  });
  img.src = url; // after the error listener is in place
  return h('figure', { class: 'review-figure' }, img, fallback, h('figcaption', null, tr('document.photo'), ' ', open));
}

/** @param {PageContext} ctx @param {RelativeLink} item @param {string} reference */
export function linkCard(ctx, item, reference) {
  const { h, fmt } = ctx;
  /** @param {string} key */
  const tr = (key) => ctx.t(`consoleReviews.${key}`);
  const doc = item.document;
  return h('div', { class: 'review-grid' },
    detailList(ctx, tr('section.person'), [
      [tr('field.beneficiary'), item.beneficiary?.fullName],
      [tr('field.bhxhCode'), item.beneficiary?.bhxhCodeMasked],
      [tr('field.province'), provinceLabel(item.provinceCode)],
    ]),
    detailList(ctx, tr('section.request'), [
      [tr('field.reference'), h('span', { class: 'mono' }, reference)],
      [tr('field.requestedBy'), tr(`requestedBy.${item.role}`)],
      [tr('field.relationship'), item.relationship ? h('strong', null, tr(`relationship.${item.relationship}`)) : null],
      [tr('field.channel'), tr(`channel.${item.channel}`)],
      [tr('field.submittedAt'), fmt.dateTime(item.createdAt)],
    ]),
    doc
      ? h('div', { class: 'review-document' },
        detailList(ctx, tr('document.title'), [
          [tr('document.type'), tr(`document.kind.${doc.kind}`)],
          [tr('document.number'), h('span', { class: 'mono' }, doc.number)],
          [tr('document.issuedOn'), fmt.date(doc.issuedOn)],
          [tr('document.issuer'), doc.issuer],
          [tr('document.expiresOn'), doc.expiresOn ? fmt.date(doc.expiresOn) : tr('document.noExpiry')],
        ]),
        photo(ctx, item),
      )
      : null,
  );
}
