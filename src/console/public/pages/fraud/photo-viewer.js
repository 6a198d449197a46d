import { button, nextId } from '../../lib/ui.js';

/**
 * @typedef {import('../../lib/types.js').PageContext} PageContext
 * @typedef {import('../../lib/api-types.js').FraudCaseDetail} FraudCaseDetail
 */

/**
 * Thumbnails that open a larger view in a modal dialog (arrow keys move between
 * photos, Escape closes, focus returns to the thumbnail). Each image is an
 * admin API URL: same origin, the session cookie authenticates it.
 * @param {PageContext} ctx @param {FraudCaseDetail} c @param {boolean} canView the server lets this key see the photos
 */
export function photoSection(ctx, c, canView) {
  const { h, t } = ctx;
  const count = c.photoCount;
  const section = h('section', { class: 'card', 'aria-labelledby': 'fraud-photos-title', 'data-testid': 'photos' },
    h('h2', { id: 'fraud-photos-title' }, t('consoleFraud.photos.title')),
  );
  if (count === 0) {
    section.append(h('p', { class: 'muted' }, t('consoleFraud.photos.none')));
    return section;
  }
  if (!canView) {
    section.append(h('p', { class: 'muted', 'data-testid': 'photos-reviewer-only' }, t('consoleFraud.photos.reviewerOnly', { count: ctx.fmt.number(count) })));
    return section;
  }
  /** @param {number} i */
  const urlOf = (i) => ctx.api.url(`/fraud-cases/${encodeURIComponent(c.caseNumber)}/photos/${i}`);
  /** @param {number} i */
  const labels = (i) => ({ index: ctx.fmt.number(i + 1), count: ctx.fmt.number(count), caseNumber: c.caseNumber });
  /** @type {Set<number>} */
  const failed = new Set();

  const thumbs = Array.from({ length: count }, (_, i) => {
    const img = h('img', { src: urlOf(i), alt: t('consoleFraud.photos.alt', labels(i)), class: 'fraud-thumb-img', 'data-testid': 'photo-thumb' });
    const open = h('button', { type: 'button', class: 'fraud-thumb', 'aria-label': t('consoleFraud.photos.open', labels(i)), 'on:click': () => show(i) }, img);
    const item = h('li', null, open);
    img.addEventListener('error', () => {
      failed.add(i);
      item.replaceChildren(h('p', { class: 'fraud-photo-failed', 'data-testid': 'photo-failed' }, t('consoleFraud.photos.failed', labels(i))));
    });
    return { item, open };
  });
  section.append(
    h('ul', { class: 'fraud-thumbs' }, thumbs.map((th) => th.item)),
    h('p', { class: 'muted fraud-audited' }, t('consoleFraud.photos.audited')),
  );

  const titleId = nextId('photo-title');
  const title = h('h2', { id: titleId });
  const large = h('img', { class: 'fraud-large', alt: '', 'data-testid': 'photo-large' });
  const prev = button(ctx, t('consoleFraud.photos.previous'), () => move(-1), { testId: 'photo-previous' });
  const next = button(ctx, t('consoleFraud.photos.next'), () => move(1), { testId: 'photo-next' });
  const close = button(ctx, t('consoleFraud.photos.close'), () => dialog.close(), { variant: 'primary', testId: 'photo-close' });
  const dialog = h('dialog', { class: 'fraud-viewer', 'aria-labelledby': titleId, 'data-testid': 'photo-viewer' },
    title,
    h('div', { class: 'fraud-large-wrap' }, large),
    h('div', { class: 'row' }, count > 1 ? [prev, next] : null, h('span', { class: 'fraud-spacer' }), close),
  );
  let showing = 0;
  function paint() {
    title.textContent = t('consoleFraud.photos.viewerTitle', labels(showing));
    large.src = urlOf(showing);
    large.alt = t('consoleFraud.photos.alt', labels(showing));
  }
  /** @param {number} i */
  function show(i) {
    showing = i;
    paint();
    if (!dialog.isConnected) document.body.append(dialog);
    dialog.showModal();
    close.focus();
  }
  /** @param {number} step */
  function move(step) {
    // Skip photos that failed to load: the dialog would only show a broken image.
    for (let k = 1; k <= count; k++) {
      const i = (showing + step * k + count * count) % count;
      if (!failed.has(i)) {
        showing = i;
        break;
      }
    }
    paint();
  }
  dialog.addEventListener('keydown', (ev) => {
    if (count < 2) return;
    if (ev.key === 'ArrowRight') move(1);
    else if (ev.key === 'ArrowLeft') move(-1);
    else return;
    ev.preventDefault();
  });
  dialog.addEventListener('close', () => {
    large.removeAttribute('src');
    thumbs[showing]?.open.focus();
  });
  ctx.onDispose(() => {
    if (dialog.open) dialog.close();
    dialog.remove();
  });
  return section;
}
