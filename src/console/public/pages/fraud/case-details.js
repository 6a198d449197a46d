import { append } from '../../lib/dom.js';
import { money, statusBadge, urgentBadge } from './shared.js';

/**
 * What a fraud report says: category, severity, status, money lost, the
 * scammer's contact, how the reporter can be reached, and their description.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').FraudCaseDetail} FraudCaseDetail
 */

/** @param {PageContext} ctx @param {HTMLElement} box @param {FraudCaseDetail} c */
export function renderCaseDetails(ctx, box, c) {
  const { h, t, fmt } = ctx;
  /** @param {string} key @param {unknown} value @param {string} [testId] */
  const row = (key, value, testId) => [h('dt', null, t(`consoleFraud.field.${key}`)), h('dd', { 'data-testid': testId }, value)];
  const moneyLost = !c.moneyLost
    ? t('consoleFraud.no')
    : c.amountLost === null
      ? t('consoleFraud.amountUnknown')
      : t('consoleFraud.amountLost', { amount: money(ctx, c.amountLost) });
  const reporter = c.reporterChannel
    ? t('consoleFraud.reporterVia', {
        channel: t(`consoleFraud.channel.${c.reporterChannel}`),
        language: t(`consoleFraud.language.${c.reporterLocale}`),
      })
    : t('consoleFraud.reporterErased');
  // append() skips the null of an absent note (Element.append would print "null").
  append(box, [
    h('h2', { id: 'fraud-details-title' }, t('consoleFraud.details')),
    h('dl', { class: 'fraud-dl' },
      row('category', t(`consoleFraud.category.${c.category}`), 'case-category'),
      row('severity', c.severity === 'urgent' ? [urgentBadge(ctx), ' ', t('consoleFraud.urgentHint')] : t('consoleFraud.normal')),
      row('status', statusBadge(ctx, c.status)),
      row('createdAt', fmt.dateTime(c.createdAt)),
      row('updatedAt', fmt.dateTime(c.updatedAt)),
      row('province', c.provinceCode ?? t('consoleFraud.noProvince')),
      row('moneyLost', moneyLost, 'case-money'),
      row('scammerContact', c.scammerContact ? h('span', { class: 'mono' }, c.scammerContact) : t('consoleFraud.none')),
      row('reporter', reporter, 'case-reporter'),
      c.reporterChannel ? row('reporterContact', t('consoleFraud.reporterContactHidden'), 'case-reporter-contact') : null,
      row('staffAlertedAt', c.staffAlertedAt ? fmt.dateTime(c.staffAlertedAt) : t('consoleFraud.notAlerted')),
    ),
    h('h3', null, t('consoleFraud.field.description')),
    h('blockquote', { class: 'fraud-description', 'data-testid': 'case-description' }, c.description),
    c.description.includes('***') ? h('p', { class: 'muted' }, t('consoleFraud.descriptionNote')) : null,
  ]);
}
