import { detailList } from './detail-list.js';
import { provinceLabel } from '../../lib/vocabulary.js';

/**
 * One payment-method request: who, the new method (masked), who asked and
 * when, what approving today would set, and the warnings a reviewer must see
 * first ("this was not me", sent again too soon).
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').PaymentRequest} PaymentRequest
 */

/** `2026-05` → `05/2026`. @param {string | null} p */
const period = (p) => (p ? `${p.slice(5, 7)}/${p.slice(0, 4)}` : null);

/** @param {PageContext} ctx @param {boolean | null} value */
function nameMatch(ctx, value) {
  const { h, t } = ctx;
  if (value === true) return h('span', { class: 'match match-ok', 'data-testid': 'name-match' }, t('consoleReviews.nameMatch.ok'));
  if (value === false) {
    return h('span', { class: 'match match-bad', 'data-testid': 'name-match' },
      h('strong', null, t('consoleReviews.nameMatch.mismatch')), h('br'), t('consoleReviews.nameMatch.mismatchHint'));
  }
  return null;
}

/** @param {PageContext} ctx @param {PaymentRequest} item @param {boolean} canDecide */
function warnings(ctx, item, canDecide) {
  const { h, fmt } = ctx;
  /** @param {string} key @param {Record<string, unknown>} [vars] */
  const tr = (key, vars) => ctx.t(`consoleReviews.${key}`, vars);
  const out = [];
  if (item.notMe) {
    out.push(
      h('section', { class: 'alert alert-error review-notme', 'data-testid': 'not-me' },
        h('h3', null, tr('notMe.title')),
        h('p', null, tr('notMe.text', { time: fmt.dateTime(item.notMeAt) })),
        item.reviewedAt ? h('p', null, tr('notMe.approvedBefore')) : null,
        canDecide ? h('p', null, h('strong', null, tr('notMe.onlyReject'))) : null,
      ),
    );
  }
  if (item.withinMinInterval && item.status === 'submitted') out.push(h('p', { class: 'alert alert-warning' }, tr('withinInterval')));
  return out;
}

/** How the person is paid now, beside what is asked: "Tiền mặt qua bưu điện", or the bank and its masked account. @param {PageContext} ctx @param {PaymentRequest} item */
function currentMethod(ctx, item) {
  const now = item.beneficiary?.currentMethod;
  if (!now) return null;
  const kind = ctx.t(`consoleReviews.method.${now.kind}`);
  const where = [now.bankName, now.accountMasked].filter(Boolean).join(' ');
  return where ? `${kind} — ${where}` : kind;
}

/** @param {PageContext} ctx @param {PaymentRequest} item @param {boolean} canDecide */
export function requestCard(ctx, item, canDecide) {
  const { h, fmt } = ctx;
  /** @param {string} key @param {Record<string, unknown>} [vars] */
  const tr = (key, vars) => ctx.t(`consoleReviews.${key}`, vars);
  const m = item.method;
  // Approved before the freeze: the dates it had. Still submitted: what approving today would set.
  /** @type {[string, unknown][]} */
  const schedule = item.coolingOffUntil
    ? [[tr('field.coolingOff'), fmt.date(item.coolingOffUntil)], [tr('field.effective'), period(item.effectiveFromPeriod)]]
    : item.ifApprovedNow
      ? [[tr('field.coolingOff'), tr('schedule.ifApproved', { until: fmt.date(item.ifApprovedNow.coolingOffUntil), period: period(item.ifApprovedNow.effectiveFromPeriod) })]]
      : [];
  return [
    warnings(ctx, item, canDecide),
    h('div', { class: 'review-grid' },
      detailList(ctx, tr('section.person'), [
        [tr('field.beneficiary'), item.beneficiary?.fullName],
        [tr('field.bhxhCode'), item.beneficiary?.bhxhCodeMasked],
        [tr('field.province'), provinceLabel(item.provinceCode)],
        [tr('field.currentMethod'), currentMethod(ctx, item)],
      ]),
      detailList(ctx, tr('section.method'), [
        [tr('field.method'), h('strong', null, tr(`method.${m.kind}`))],
        [tr('field.bank'), m.kind === 'bank' ? [m.bankName ?? '—', m.bankBin ? h('span', { class: 'muted' }, ` (BIN ${m.bankBin})`) : null] : null],
        [tr('field.wallet'), m.kind === 'ewallet' ? tr(`wallet.${m.walletProvider}`) : null],
        [m.kind === 'ewallet' ? tr('field.walletPhone') : tr('field.account'), m.accountMasked ? h('span', { class: 'mono' }, m.accountMasked) : null],
        [tr('field.holder'), m.holderName],
        [tr('field.nameMatch'), nameMatch(ctx, m.nameMatches)],
        [tr('field.homeReason'), m.homeReason ? tr(`homeReason.${m.homeReason}`) : null],
      ]),
      detailList(ctx, tr('section.request'), [
        [tr('field.reference'), h('span', { class: 'mono' }, item.reference)],
        [tr('field.requestedBy'), tr(`requestedBy.${item.requestedBy.role}`)],
        [tr('field.channel'), tr(`channel.${item.requestedBy.channel}`)],
        [tr('field.submittedAt'), fmt.dateTime(item.createdAt)],
        ...schedule,
      ]),
    ),
  ];
}
