import { button, confirmDialog, errorBox, pageHeader, progressBar } from '../../lib/ui.js';
import { poll } from '../../lib/poll.js';
import { fill } from '../../lib/dom.js';
import { OPEN, approvalReasons, finalCount, loadSettings, previewPanel, serverErrorText, staffLabel, statusBadge } from './shared.js';

/** One broadcast (#/broadcasts/<id>): its approval step, live progress and final report. */

const KNOWN_REASONS = ['outside_window', 'bad_request', 'network', 'rate_limited', 'no_channel', 'send_failed', 'zalo_token', 'unsubscribed', 'cancelled', 'unknown'];

function reasonLabel(ctx, code) {
  const t = ctx.t;
  if (KNOWN_REASONS.includes(code)) return t(`consoleBroadcasts.reasons.${code}`);
  const http = /^http_(\d+)$/.exec(code);
  if (http) return t('consoleBroadcasts.reasons.http', { code: http[1] });
  const zalo = /^zalo_(-?\d+)$/.exec(code);
  if (zalo) return t('consoleBroadcasts.reasons.zalo', { code: zalo[1] });
  return t('consoleBroadcasts.reasons.other', { code });
}

export async function detailPage(ctx, id) {
  const { h, t } = ctx;
  const path = `/broadcasts/${encodeURIComponent(id)}`;
  const back = h('a', { class: 'btn', href: '#/broadcasts' }, t('consoleBroadcasts.detail.back'));
  let b;
  let settings;
  try {
    [b, settings] = await Promise.all([ctx.api.get(path), loadSettings(ctx)]);
  } catch (err) {
    ctx.root.append(pageHeader(ctx, t('consoleBroadcasts.list.title'), back), err?.status === 404 || err?.status === 400 ? h('div', { class: 'alert alert-error', role: 'alert' }, t('consoleBroadcasts.detail.notFound')) : errorBox(ctx, err));
    return;
  }

  const titleEl = h('span', null, b.title);
  const badgeSlot = h('span');
  const header = pageHeader(ctx, '', back);
  fill(header.querySelector('h1'), titleEl, ' ', badgeSlot);
  // Kept across redraws and focusable: after an action replaces the buttons, focus moves here rather than to <body>.
  const stateText = h('div', { class: 'alert alert-info', tabindex: '-1', 'data-testid': 'state-text' });
  const stateActions = h('div');
  const stateBox = h('div', { 'data-testid': 'state' }, stateText, stateActions);
  const actionError = h('div', { 'aria-live': 'assertive' });
  const progressCard = h('section', { class: 'card', 'aria-labelledby': 'bc-progress-title', 'data-testid': 'progress' });
  const reportCard = h('section', { class: 'card', hidden: true, 'aria-labelledby': 'bc-report-title', 'data-testid': 'report' });
  const contentCard = h('section', { class: 'card', 'aria-labelledby': 'bc-content-title' });
  const preview = previewPanel(ctx, settings);
  ctx.root.append(header, actionError, stateBox, progressCard, reportCard, h('div', { class: 'bc-detail' }, contentCard, preview.el));

  // Progress: built once so the bar moves instead of being redrawn.
  const bar = progressBar(ctx, { value: 0, max: 0, label: t('consoleBroadcasts.progress.label') });
  bar.setAttribute('data-testid', 'progress-bar');
  const stat = (key) => {
    const dd = h('dd', { 'data-testid': `progress-${key}` }, '0');
    return { key, dd, el: h('div', { class: `bc-stat bc-stat-${key}` }, h('dt', null, t(`consoleBroadcasts.progress.${key}`)), dd) };
  };
  const stats = ['sent', 'blocked', 'failed', 'skipped', 'pending', 'rate', 'eta'].map(stat);
  const progressNote = h('p', { class: 'muted' });
  progressCard.append(h('h2', { id: 'bc-progress-title' }, t('consoleBroadcasts.progress.heading')), bar, h('dl', { class: 'bc-stats' }, stats.map((s) => s.el)), progressNote);

  let reportLoaded = false;
  /** The report request under way, so polls and actions arriving meanwhile do not ask again. */
  let reportLoading = null;
  let lastStatus = null;

  function renderProgress() {
    const p = b.progress;
    const done = finalCount(p.counts);
    bar.update(done, p.total);
    const values = {
      sent: ctx.fmt.number(p.counts.sent),
      blocked: ctx.fmt.number(p.counts.blocked),
      failed: ctx.fmt.number(p.counts.failed),
      skipped: ctx.fmt.number(p.counts.skipped),
      pending: ctx.fmt.number(p.pending),
      rate: t('consoleBroadcasts.progress.rateValue', { rate: ctx.fmt.number(p.ratePerSecond) }),
      eta: b.status === 'sending' && p.etaSeconds !== null ? ctx.fmt.duration(p.etaSeconds) : '—',
    };
    for (const s of stats) s.dd.textContent = values[s.key];
    const started = ['sending', 'done', 'cancelled'].includes(b.status) && b.startedAt;
    progressNote.textContent = !started ? t('consoleBroadcasts.progress.waiting') : p.total === 0 && b.status === 'done' ? t('consoleBroadcasts.progress.noRecipients') : '';
    progressNote.hidden = progressNote.textContent === '';
    progressCard.hidden = b.status === 'draft' || b.status === 'rejected' || (b.status === 'cancelled' && !b.startedAt);
  }

  function renderState() {
    fill(badgeSlot, statusBadge(ctx, b.status));
    titleEl.textContent = b.title;
    const by = (keyId) => (keyId ? t('consoleBroadcasts.detail.byLabel', { label: staffLabel(ctx, b, keyId) }) : '');
    const reasons = approvalReasons(ctx, { recipients: b.estimatedRecipients, threshold: settings.approvalThreshold, hasLink: Boolean(b.linkUrl), urgent: b.ignoreQuietHours });
    const lines = [];
    const actions = [];
    const isApprover = ctx.can() && !b.yours;
    switch (b.status) {
      case 'draft':
        lines.push(t('consoleBroadcasts.detail.draft'));
        if (ctx.can('broadcaster')) actions.push(button(ctx, t('consoleBroadcasts.detail.submit'), () => act('submit'), { variant: 'primary', testId: 'submit-broadcast' }));
        break;
      case 'pending_approval':
        lines.push(isApprover ? t('consoleBroadcasts.detail.pendingApprover') : b.yours ? t('consoleBroadcasts.detail.pendingYours') : t('consoleBroadcasts.detail.pendingOther'));
        if (reasons.length) lines.push(t('consoleBroadcasts.detail.approvalReasons', { reasons: reasons.join(', ') }));
        if (isApprover) {
          actions.push(button(ctx, t('consoleBroadcasts.detail.approve'), approve, { variant: 'primary', testId: 'approve' }));
          actions.push(button(ctx, t('consoleBroadcasts.detail.reject'), reject, { variant: 'danger', testId: 'reject' }));
        }
        break;
      case 'approved':
        lines.push(t('consoleBroadcasts.detail.approved'));
        break;
      case 'scheduled':
        lines.push(t('consoleBroadcasts.detail.scheduled', { time: ctx.fmt.dateTime(b.sendAt) }));
        break;
      case 'sending':
        lines.push(t('consoleBroadcasts.detail.sending'));
        break;
      case 'done':
        lines.push(t('consoleBroadcasts.detail.done', { time: ctx.fmt.dateTime(b.finishedAt) }));
        break;
      case 'cancelled':
        lines.push(t('consoleBroadcasts.detail.cancelled', { time: ctx.fmt.dateTime(b.finishedAt), by: by(b.cancelledBy) }));
        break;
      case 'rejected':
        lines.push(t('consoleBroadcasts.detail.rejected', { by: by(b.rejectedBy), reason: b.rejectionReason ?? '' }));
        break;
    }
    if (OPEN.includes(b.status) && ctx.can('broadcaster')) actions.push(button(ctx, t('consoleBroadcasts.detail.cancel'), cancel, { variant: 'danger', testId: 'cancel-broadcast' }));
    if (['rejected', 'cancelled', 'done'].includes(b.status) && ctx.can('broadcaster')) {
      actions.push(h('a', { class: 'btn', href: `#/broadcasts/new?from=${encodeURIComponent(b.id)}`, 'data-testid': 'copy' }, t('consoleBroadcasts.detail.copy')));
    }
    const kind = b.status === 'rejected' || b.status === 'cancelled' ? 'alert-warning' : 'alert-info';
    stateText.className = `alert ${kind}`;
    fill(stateText, lines.map((l) => h('p', null, l)));
    fill(stateActions, actions.length ? h('div', { class: 'row bc-actions' }, actions) : null);
  }

  function renderContent() {
    const a = b.audience;
    const join = (list, labelOf) => list.map(labelOf).join(', ');
    const audienceLines = [
      a.platforms.length ? t('consoleBroadcasts.detail.audiencePlatforms', { list: join(a.platforms, (p) => t(`consoleBroadcasts.platforms.${p}`)) }) : null,
      a.languages.length ? t('consoleBroadcasts.detail.audienceLanguages', { list: join(a.languages, (l) => t(`consoleBroadcasts.languages.${l}`)) }) : null,
      a.provinces.length ? t('consoleBroadcasts.detail.audienceProvinces', { list: a.provinces.join(', ') }) : null,
      a.districts?.length ? t('consoleBroadcasts.detail.audienceDistricts', { list: a.districts.join(', ') }) : null,
      a.benefitTypes.length ? t('consoleBroadcasts.detail.audienceBenefits', { list: join(a.benefitTypes, (x) => t(`consoleBroadcasts.benefitTypes.${x}`)) }) : null,
      a.linkedOnly ? t('consoleBroadcasts.detail.audienceLinked') : null,
    ].filter(Boolean);
    const row = (label, value) => [h('dt', null, label), h('dd', null, value)];
    const link = b.linkUrl ? `${b.content.vi.linkLabel ?? ''} → ${b.linkUrl}` : t('consoleBroadcasts.detail.none');
    fill(contentCard,
      h('h2', { id: 'bc-content-title' }, t('consoleBroadcasts.detail.sectionContent')),
      h('dl', { class: 'bc-facts' },
        row(t('consoleBroadcasts.detail.textVi'), h('span', { class: 'bc-text', lang: 'vi' }, b.content.vi.text)),
        row(t('consoleBroadcasts.detail.textEn'), b.content.en ? h('span', { class: 'bc-text', lang: 'en' }, b.content.en.text) : t('consoleBroadcasts.detail.noEn')),
        row(t('consoleBroadcasts.detail.link'), link),
        b.imageUrl ? row(t('consoleBroadcasts.detail.image'), b.imageUrl) : null,
        row(t('consoleBroadcasts.detail.audience'), audienceLines.length ? h('ul', { class: 'bc-plain' }, audienceLines.map((l) => h('li', null, l))) : t('consoleBroadcasts.detail.audienceAll')),
        b.estimatedRecipients !== null ? row(t('consoleBroadcasts.detail.estimated'), ctx.fmt.number(b.estimatedRecipients)) : null,
        row(t('consoleBroadcasts.detail.schedule'), [b.sendAt ? ctx.fmt.dateTime(b.sendAt) : t('consoleBroadcasts.detail.scheduleNow'), b.ignoreQuietHours ? ` · ${t('consoleBroadcasts.detail.urgent')}` : '']),
        b.template ? row(t('consoleBroadcasts.detail.template'), t('consoleBroadcasts.detail.templateValue', b.template)) : null,
        row(t('consoleBroadcasts.detail.createdBy'), `${staffLabel(ctx, b, b.createdBy)} · ${ctx.fmt.dateTime(b.createdAt)}`),
        b.approvedBy ? row(t('consoleBroadcasts.detail.approvedBy'), staffLabel(ctx, b, b.approvedBy)) : null,
      ),
    );
    preview.update(b);
  }

  function renderReport() {
    if (reportLoaded) return;
    reportLoading ??= loadReport().finally(() => {
      reportLoading = null;
    });
  }

  async function loadReport() {
    let r;
    try {
      r = await ctx.api.get(`${path}/report`);
    } catch {
      return;
    }
    // A cancelled broadcast may still have sends in flight: look again on the next poll.
    if (!r.final) return;
    reportLoaded = true;
    const reasonTable = (captionKey, reasons) => {
      const entries = Object.entries(reasons);
      if (entries.length === 0) return null;
      return h('table', { class: 'data bc-reasons' },
        h('caption', null, t(captionKey)),
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('consoleBroadcasts.report.colReason')), h('th', { scope: 'col', class: 'num' }, t('consoleBroadcasts.report.colCount')))),
        h('tbody', null, entries.map(([code, n]) => h('tr', { 'data-reason': code }, h('td', null, reasonLabel(ctx, code)), h('td', { class: 'num' }, ctx.fmt.number(n))))),
      );
    };
    const fact = (label, value, testId) => h('div', { class: 'bc-stat' }, h('dt', null, label), h('dd', { 'data-testid': testId }, value));
    fill(reportCard,
      h('h2', { id: 'bc-report-title' }, t('consoleBroadcasts.report.heading')),
      h('dl', { class: 'bc-stats' },
        fact(t('consoleBroadcasts.report.recipients'), ctx.fmt.number(r.recipients), 'report-recipients'),
        ['sent', 'blocked', 'failed', 'skipped'].map((k) => fact(t(`consoleBroadcasts.progress.${k}`), ctx.fmt.number(r.counts[k]), `report-${k}`)),
        fact(t('consoleBroadcasts.report.firstSent'), ctx.fmt.dateTime(r.firstSentAt), 'report-first'),
        fact(t('consoleBroadcasts.report.lastSent'), ctx.fmt.dateTime(r.lastSentAt), 'report-last'),
        fact(t('consoleBroadcasts.report.achievedRate'), r.achievedRatePerSecond === null ? '—' : t('consoleBroadcasts.progress.rateValue', { rate: ctx.fmt.number(r.achievedRatePerSecond) }), 'report-rate'),
      ),
      reasonTable('consoleBroadcasts.report.failures', r.failureReasons) ?? h('p', { class: 'muted' }, t('consoleBroadcasts.report.noFailures')),
      reasonTable('consoleBroadcasts.report.skips', r.skipReasons),
    );
    reportCard.hidden = false;
  }

  function render() {
    if (b.status !== lastStatus) {
      renderState();
      renderContent();
      lastStatus = b.status;
    }
    renderProgress();
    // The report is final once nothing is left in flight (a cancelled broadcast may still be finishing sends).
    if ((b.status === 'done' || (b.status === 'cancelled' && b.progress.pending === 0)) && b.startedAt) renderReport();
  }

  /** About every second while sending; slower while waiting; stops once nothing can change. */
  const delayFor = () => {
    if (b.status === 'sending' || b.status === 'approved') return 1000;
    if (b.status === 'cancelled' && (b.progress.counts.sending > 0 || (b.startedAt && !reportLoaded))) return 1000;
    if (b.status === 'done' && !reportLoaded) return 1000;
    if (b.status === 'pending_approval' || b.status === 'scheduled') return 5000;
    return null;
  };
  const poller = poll(ctx, async () => {
    b = await ctx.api.get(path);
    render();
    return delayFor();
  }, delayFor() ?? 5000, (err) => fill(actionError, errorBox(ctx, err)));

  /** One action on the broadcast; refusals are explained, and the page shows the state that holds now. */
  async function run(action, body) {
    fill(actionError);
    let ok = false;
    let looked = false;
    try {
      b = await ctx.api.post(`${path}/${action}`, body);
      render();
      ok = true;
    } catch (err) {
      const text = err?.code === 'four_eyes' ? t('consoleBroadcasts.detail.fourEyes') : err?.code === 'invalid_state' ? t('consoleBroadcasts.detail.invalidState') : serverErrorText(ctx, err, settings, ctx.session);
      fill(actionError, h('div', { class: 'alert alert-error', role: 'alert', 'data-testid': 'action-error' }, text));
      try {
        b = await ctx.api.get(path);
        render();
        looked = true;
      } catch {
        // The error above already says what happened.
      }
    }
    // The button that was pressed is gone when the state changed.
    if (!document.activeElement || document.activeElement === document.body) stateText.focus();
    // After a refusal the page has just looked: go on at the pace of what it saw, without asking twice.
    if (looked) poller.later(delayFor());
    else poller.now();
    return ok;
  }
  async function act(action) {
    if (await run(action)) ctx.toast(t('consoleBroadcasts.detail.submittedToast'), 'success');
  }
  async function approve() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.approveTitle'),
      body: t('consoleBroadcasts.detail.approveBody', { title: b.title, count: ctx.fmt.number(b.estimatedRecipients ?? 0) }),
      confirmLabel: t('consoleBroadcasts.detail.approveConfirm'),
    });
    if (answer.ok && (await run('approve'))) ctx.toast(t('consoleBroadcasts.detail.approvedToast'), 'success');
  }
  async function reject() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.rejectTitle'),
      body: t('consoleBroadcasts.detail.rejectBody'),
      confirmLabel: t('consoleBroadcasts.detail.rejectConfirm'),
      reasonLabel: t('consoleBroadcasts.detail.rejectReason'),
      danger: true,
    });
    if (answer.ok && (await run('reject', { reason: answer.reason }))) ctx.toast(t('consoleBroadcasts.detail.rejectedToast'), 'success');
  }
  async function cancel() {
    const answer = await confirmDialog(ctx, {
      title: t('consoleBroadcasts.detail.cancelTitle'),
      body: t('consoleBroadcasts.detail.cancelBody'),
      confirmLabel: t('consoleBroadcasts.detail.cancelConfirm'),
      danger: true,
    });
    if (answer.ok && (await run('cancel'))) ctx.toast(t('consoleBroadcasts.detail.cancelledToast'), 'success');
  }

  render();
}
