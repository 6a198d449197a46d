import { clear, fill } from '../../lib/dom.js';
import { errorBox, pageHeader } from '../../lib/ui.js';
import { renderCaseDetails } from './case-details.js';
import { renderNotes } from './notes.js';
import { photoSection } from './photo-viewer.js';
import { filtersOf, statusBadge, urgentBadge, withQuery } from './shared.js';
import { renderStatusForm } from './status-form.js';

/**
 * One fraud case (#/fraud/<case number>): the report, its evidence photos,
 * its status and the staff notes. What this key may change is the server's
 * answer (the session's `can`); the page only hides what would be refused.
 *
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').FraudCaseDetail} FraudCaseDetail
 */

/** @param {PageContext} ctx @param {string} caseNumber */
export async function casePage(ctx, caseNumber) {
  const { h, t } = ctx;
  const back = h('a', { href: withQuery('#/fraud', filtersOf(ctx.query)), class: 'fraud-back', 'data-testid': 'back-to-list' }, `← ${t('consoleFraud.backToList')}`);
  const canMove = ctx.may('postFraudCasesByCaseNumberStatus');
  const canSeePhotos = ctx.may('getFraudCasesByCaseNumberPhotosByIndex');
  const path = `/fraud-cases/${encodeURIComponent(caseNumber)}`;
  const load = async () => /** @type {FraudCaseDetail} */ (await ctx.api.get(path));

  /** @type {FraudCaseDetail} */
  let current;
  try {
    current = await load();
  } catch (err) {
    ctx.root.append(back, pageHeader(ctx, t('consoleFraud.caseTitle', { caseNumber })), errorBox(ctx, err));
    return;
  }

  const header = pageHeader(ctx, t('consoleFraud.caseTitle', { caseNumber }));
  const headerBadges = h('span', { class: 'row' });
  header.querySelector('h1')?.after(headerBadges);
  const details = h('section', { class: 'card', 'aria-labelledby': 'fraud-details-title' });
  const photos = photoSection(ctx, current, canSeePhotos);
  const statusBox = h('section', { class: 'card', 'aria-labelledby': 'fraud-status-title', hidden: !canMove });
  const notesBox = h('section', { class: 'card', 'aria-labelledby': 'fraud-notes-title' });

  header.classList.add('fraud-case-header');
  ctx.root.append(
    back,
    header,
    h('p', { class: 'alert alert-info', 'data-testid': 'viewer-note', hidden: canMove }, t('consoleFraud.viewerNote')),
    h('div', { class: 'fraud-case-grid' }, details, h('div', { class: 'fraud-side' }, statusBox, photos)),
    notesBox,
  );

  async function reload() {
    current = await load();
    render();
  }

  /** Everything but the photos is redrawn after a change; the photos stay (each load is an audited view). */
  function render() {
    fill(headerBadges, statusBadge(ctx, current.status), current.severity === 'urgent' ? urgentBadge(ctx) : null);
    renderCaseDetails(ctx, clear(details), current);
    if (canMove) renderStatusForm(ctx, clear(statusBox), { current, path, reload });
    renderNotes(ctx, clear(notesBox), { current, path, reload });
  }

  render();
}
